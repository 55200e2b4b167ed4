// One certificate, three ways in: a server certificate that expires within --warn-days is reported with the same
// code by `certs --server-cert` (the file), `server` (the chain a lab server sends) and `check` (the whole
// diagnosis), and --warn-days reaches each of them. The lab's "expiring-leaf" scenario serves certs/server-expiring.crt,
// which the lab PKI keeps 7 to 14 days from expiry.
import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { certPath, LAB_PASSWORD, type Lab, startLab } from "../../scripts/lab/index.js";
import type { Report } from "../../src/report/report.js";
import { runCliAsync } from "../helpers/cli.js";
import { assertValidReport } from "../helpers/schema.js";

const ROOT = certPath("root-ca.crt");
const LEAF = "O=dbdoctor lab, CN=localhost";

let lab: Lab;
let port = 0;
let home = "";

beforeAll(async () => {
  lab = await startLab(["expiring-leaf"]);
  const s = lab.servers.get("expiring-leaf");
  if (!s) throw new Error("the lab's expiring scenario did not start");
  port = s.port;
  home = await mkdtemp(join(tmpdir(), "dbdoctor-expiring-home-"));
}, 120_000);

afterAll(async () => {
  await lab?.stop();
  if (home) await rm(home, { recursive: true, force: true });
});

async function run(command: "certs" | "server" | "check", extra: string[] = []): Promise<Report> {
  const args: Record<typeof command, string[]> = {
    certs: ["certs", "--server-cert", certPath("server-expiring.crt"), "--host", "localhost", "--sslrootcert", ROOT],
    server: ["server", `localhost:${port}`, "--sslrootcert", ROOT],
    check: [
      "check",
      `host=localhost port=${port} user=app dbname=postgres sslmode=verify-full sslrootcert=${ROOT}`,
      "--auth-probe",
      "all",
      // The lab server's max_connections is below SkillFlaw's default pools (ops.capacity-exceeded, an error).
      "--fail-on",
      "never",
    ],
  };
  // certs reads files only: it has no --timeout.
  const timeout = command === "certs" ? [] : ["--timeout", "5s"];
  const r = await runCliAsync([...args[command], "--format", "json", ...timeout, ...extra], {
    env: { HOME: home, PGPASSWORD: LAB_PASSWORD },
  });
  // certs and server: warnings only, so exit 0 under the default --fail-on error.
  expect(r.status, `${command}: ${r.stderr}`).toBe(0);
  assertValidReport(r.stdout);
  return JSON.parse(r.stdout) as Report;
}

const expiring = (report: Report) => report.findings.filter((f) => f.code === "cert.expiring");

describe("a server certificate that expires within --warn-days", () => {
  it("is cert.expiring for certs --server-cert, server and check alike", async () => {
    const reports = {
      certs: await run("certs"),
      server: await run("server"),
      check: await run("check"),
    };
    const subjects: Record<string, string> = {};
    for (const [command, report] of Object.entries(reports)) {
      const found = expiring(report);
      expect(found, `${command}: ${report.findings.map((f) => f.code).join(", ")}`).toHaveLength(1);
      const f = found[0];
      expect(f?.severity).toBe("warning");
      expect(f?.message).toContain(`${LEAF} expires on`);
      expect(f?.message).toContain("(--warn-days 30)");
      expect(f?.hint).toContain("reload PostgreSQL");
      subjects[command] = f?.subject ?? "";
    }
    // Where it was found: the file, or the endpoint that sent it.
    expect(subjects.certs).toBe("server-cert");
    expect(subjects.server).toBe(`localhost:${port} (127.0.0.1)`);
    expect(subjects.check).toBe(`localhost:${port} (127.0.0.1)`);
    // The chain itself verifies on every path: the warning is about the date alone.
    expect(reports.certs.files.status === "completed" && reports.certs.files.value.server?.accepted).toBe(true);
    expect(reports.check.modes.find((m) => m.sslmode === "verify-full")?.ok).toBe(true);
  });

  it("--warn-days reaches every command: 5 days leaves it alone", async () => {
    for (const command of ["certs", "server", "check"] as const)
      expect(expiring(await run(command, ["--warn-days", "5"])), command).toEqual([]);
  });

  it("every certificate judged carries notAfter and daysLeft in the JSON (the file's and the chain sent)", async () => {
    const certs = await run("certs");
    const file =
      certs.files.status === "completed" ? certs.files.value.files.find((f) => f.role === "server-cert") : undefined;
    const fromFile = file?.certificates?.[0];
    const server = await run("server");
    const sent = server.server.status === "completed" ? server.server.value.endpoints[0]?.tls?.chain?.[0] : undefined;
    for (const c of [fromFile, sent]) {
      expect(c?.notAfter).toMatch(/^\d{4}-\d\d-\d\dT/);
      expect(c?.daysLeft).toBeGreaterThanOrEqual(6);
      expect(c?.daysLeft).toBeLessThanOrEqual(14);
    }
  });

  it("--save-chain writes what the server sent, PEM, leaf first, for server and check", async () => {
    const want = readFileSync(certPath("server-expiring.crt"), "utf8").replace(/\r/g, "");
    for (const command of ["server", "check"] as const) {
      const file = join(home, `${command}-chain.pem`);
      const report = await run(command, ["--save-chain", file]);
      expect(report.verdict.summary).toContain("saved the 1 certificate");
      const saved = readFileSync(file, "utf8");
      expect(saved.match(/-----BEGIN CERTIFICATE-----/g)).toHaveLength(1);
      // The same DER as the server's ssl_cert_file, in OpenSSL's 64-column PEM.
      const der = (pem: string) => pem.replace(/-----[^-]+-----|\s/g, "");
      expect(der(saved)).toBe(der(want));
    }
  });

  it("a negative --warn-days is a usage error naming the flag", async () => {
    for (const command of ["server", "check"] as const) {
      const target = command === "server" ? `localhost:${port}` : `host=localhost port=${port}`;
      const r = await runCliAsync([command, target, "--warn-days", "-1"], { env: { HOME: home } });
      expect(r.status).toBe(2);
      expect(r.stderr).toContain("--warn-days must be 0 or more");
    }
  });
});
