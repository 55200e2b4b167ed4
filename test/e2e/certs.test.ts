// `dbdoctor certs` as a process: exit 1 exactly when libpq would refuse (or another error finding exists),
// JSON as DESIGN.md, and the key passphrase taken from DBDOCTOR_SSLPASSWORD and never printed.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureCerts, LAB_KEY_PASSPHRASE } from "../../scripts/gen-certs.js";
import { runCli } from "../helpers/cli.js";

let dir: string;
let home: string;
const P = (f: string) => join(dir, f);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "dbdoctor-e2e-certs-"));
  home = mkdtempSync(join(tmpdir(), "dbdoctor-e2e-home-"));
  await ensureCerts(dir);
}, 60_000);

afterAll(() => {
  for (const d of [dir, home]) if (d) rmSync(d, { recursive: true, force: true });
});

const certs = (args: string[], env: NodeJS.ProcessEnv = {}) =>
  runCli(["certs", "--libpq", "15", "--sslrootcert", P("root-ca.crt"), ...args], { env: { HOME: home, ...env } });

describe("dbdoctor certs", () => {
  it("exits 0 when libpq would accept the server certificate, 1 when it would refuse", () => {
    const good = certs(["--server-cert", P("server-good.crt"), "--host", "127.0.0.1"]);
    expect(good.stderr).toBe("");
    expect(good.status).toBe(0);
    expect(good.stdout).toContain("libpq would accept");
    const bad = certs(["--server-cert", P("server-wrong-host.crt"), "--host", "localhost"]);
    expect(bad.status).toBe(1);
    expect(bad.stdout).toContain('server certificate for "db.wrong.example" does not match host name "localhost"');
    // verify-ca does not look at the name.
    expect(
      certs(["--server-cert", P("server-wrong-host.crt"), "--host", "localhost", "--sslmode", "verify-ca"]).status,
    ).toBe(0);
  });

  it("prints the JSON report with files facts and the server verdict", () => {
    const r = certs(["--server-cert", P("server-intermediate.crt"), "--host", "localhost", "--format", "json"]);
    expect(r.status).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report.schemaVersion).toBe(1);
    expect(report.command).toBe("certs");
    expect(report.conninfo).toBeNull();
    expect(report.modes).toEqual([]);
    expect(report.files.status).toBe("completed");
    expect(report.files.value.server).toMatchObject({ accepted: false, chainOk: false, sslmode: "verify-full" });
    expect(report.findings.map((f: { code: string }) => f.code)).toContain("tls.chain-unknown-ca");
    expect(report.verdict.status).toBe("fail");
  });

  it("takes the passphrase from DBDOCTOR_SSLPASSWORD and never prints it", () => {
    const args = [
      "--sslcert",
      P("client-good.crt"),
      "--sslkey",
      P("client-good-pkcs8-encrypted.key"),
      "--format",
      "json",
    ];
    const ok = certs(args, { DBDOCTOR_SSLPASSWORD: LAB_KEY_PASSPHRASE });
    expect(ok.status).toBe(0);
    expect(ok.stdout + ok.stderr).not.toContain(LAB_KEY_PASSPHRASE);
    const wrong = certs(args, { DBDOCTOR_SSLPASSWORD: "not-it" });
    expect(wrong.status).toBe(1);
    expect(wrong.stdout).toContain("bad decrypt");
    expect(wrong.stdout).not.toContain("not-it");
    const none = certs(args);
    expect(none.status).toBe(1);
    expect(none.stdout).toContain("key.encrypted-no-password");
  });

  it("compares the client certificate's CN with --user, else PGUSER", () => {
    const client = ["--sslcert", P("client-good.crt"), "--sslkey", P("client-good.key"), "--format", "json"];
    const codes = (r: { stdout: string }) =>
      (JSON.parse(r.stdout) as { findings: { code: string }[] }).findings.map((f) => f.code);
    expect(codes(certs([...client, "--user", "app"]))).toContain("cert.client-cn-user");
    expect(codes(certs([...client, "--user", "dbdoctor"]))).not.toContain("cert.client-cn-user");
    expect(codes(certs(client, { PGUSER: "app" }))).toContain("cert.client-cn-user");
  });

  it("rejects an invalid sslmode and --host without --server-cert with exit 2", () => {
    expect(certs(["--sslmode", "verify"]).status).toBe(2);
    const r = certs(["--host", "x"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("--host needs --server-cert");
  });
});
