// The client a report predicts for (issue 12): SkillFlaw's .env means psycopg[binary] (libpq 18), said in the text
// header and in the JSON; --client and --libpq pick another; the sslrootcert=system advice fits the client.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { assertValidReport } from "../helpers/schema.js";

const home = mkdtempSync(join(tmpdir(), "dbdoctor-client-e2e-"));
afterAll(() => rmSync(home, { recursive: true, force: true }));
const env = {
  HOME: home,
  SKILLFLAW_DATABASE_URL: undefined,
  SSL_CERT_FILE: undefined,
  SSL_CERT_DIR: undefined,
  PGSSLMODE: undefined,
};
const run = (args: string[], extra: NodeJS.ProcessEnv = {}) => runCli(args, { env: { ...env, ...extra }, cwd: home });
const dotenv = join(home, ".env");
writeFileSync(dotenv, "SKILLFLAW_DATABASE_URL=postgresql://app:pw@db.example.com/app?sslmode=verify-full\n");

interface ClientJson {
  input: { client: { name: string; libpq: number; trustStore: { present: boolean; file: string } } };
  findings: { code: string; hint?: string }[];
}

describe("the client a report predicts for", () => {
  it("a SkillFlaw .env: psycopg-binary (libpq 18) in the header and in input.client", () => {
    const text = run(["check", "--env-file", dotenv, "--offline"]);
    expect(text.stdout.split("\n")[0]).toContain("psycopg-binary (libpq 18)");
    const r = run(["check", "--env-file", dotenv, "--offline", "--format", "json"]);
    assertValidReport(r.stdout);
    const rep = JSON.parse(r.stdout) as ClientJson;
    expect(rep.input.client).toMatchObject({ name: "psycopg-binary", libpq: 18 });
    // The wheel's OpenSSL has no store here, so advice naming sslrootcert=system brings SSL_CERT_FILE along.
    expect(rep.input.client.trustStore.present).toBe(false);
    const hint = rep.findings.find((f) => f.code.endsWith(".root-missing"))?.hint ?? "";
    expect(hint).toContain("SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt");
  });

  it("--client and --libpq choose another; both at once is a usage error", () => {
    const a = run(["parse", "--env-file", dotenv, "--client", "psycopg2-binary", "--format", "json"]);
    expect((JSON.parse(a.stdout) as ClientJson).input.client).toMatchObject({ name: "psycopg2-binary", libpq: 17 });
    const b = run(["parse", "host=db", "--libpq", "16", "--format", "json"]);
    expect((JSON.parse(b.stdout) as ClientJson).input.client).toMatchObject({ name: "libpq-16", libpq: 16 });
    const c = run(["parse", "host=db", "--libpq", "16", "--client", "psql"]);
    expect(c.status).toBe(2);
    expect(c.stderr).toContain("--client psql and --libpq 16 both name the client");
  });
});
