// Issue 13: a fix tested before it is suggested. Against the lab's wrong-host server (its certificate names
// db.wrong.example only; the application connects to localhost, as through a tunnel), `check` under verify-full tries
// host=db.wrong.example hostaddr=127.0.0.1 live, says "verified" only when that session was established, and puts
// the corrected setting in verdict.fix. The test then applies every verified fix with psql (libpq itself), which
// must connect; and a scenario without a verifiable fix says verified: false or gives none.
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { certPath, LAB_PASSWORD, type Lab, startLab } from "../../scripts/lab/index.js";
import type { Report } from "../../src/report/report.js";
import { runCliAsync } from "../helpers/cli.js";
import { assertValidReport } from "../helpers/schema.js";

const PSQL = process.env.LAB_PSQL || "psql";

/** psql with exactly this connection string (-d), the password from PGPASSWORD, nothing else from the machine. */
function psql(conn: string, home: string): Promise<{ ok: boolean; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      PSQL,
      ["-X", "-w", "-A", "-t", "-c", "select 1", "-d", conn],
      {
        env: {
          PATH: process.env.PATH ?? "/usr/bin:/bin",
          HOME: home,
          PGSYSCONFDIR: home,
          PGPASSWORD: LAB_PASSWORD,
          PGCONNECT_TIMEOUT: "10",
        },
        timeout: 30_000,
        encoding: "utf8",
      },
      (err, stdout, stderr) => resolve({ ok: !err && stdout.trim() === "1", stderr }),
    );
  });
}

let lab: Lab;
let home: string;

beforeAll(async () => {
  lab = await startLab(["wrong-host", "good"]);
  home = await mkdtemp(join(tmpdir(), "dbdoctor-fix-home-"));
}, 120_000);

afterAll(async () => {
  await lab?.stop();
  if (home) await rm(home, { recursive: true, force: true });
});

const port = (name: string) => {
  const s = lab.servers.get(name);
  if (!s) throw new Error(`lab server ${name} did not start`);
  return s.port;
};

describe("verified fixes", () => {
  it("wrong-host through a keyword/value string: host=<certificate name> hostaddr=127.0.0.1, verified, and psql connects with it", async () => {
    const conn = `host=localhost port=${port("wrong-host")} user=app dbname=postgres sslmode=verify-full sslrootcert=${certPath("root-ca.crt")}`;
    expect((await psql(conn, home)).ok).toBe(false);
    const run = await runCliAsync(["check", conn, "--format", "json", "--timeout", "5s"], {
      env: { HOME: home, PGPASSWORD: LAB_PASSWORD },
    });
    const report = JSON.parse(run.stdout) as Report;
    assertValidReport(report);
    expect(report.verdict.rootCause).toBe("session.configured-mode-fails");
    expect(report.verdict.summary).toContain("host=db.wrong.example hostaddr=127.0.0.1");
    expect(report.verdict.fix?.verified).toBe(true);
    expect(report.verdict.fix?.setting).toBe("connection string");
    const fixed = report.verdict.fix?.value ?? "";
    expect(fixed).toContain("host=db.wrong.example hostaddr=127.0.0.1");
    const applied = await psql(fixed, home);
    expect(applied.ok, applied.stderr).toBe(true);
  });

  it("the same from SKILLFLAW_DATABASE_URL in a .env: the whole line, and psql connects with its URL", async () => {
    const envFile = join(home, ".env");
    await writeFile(
      envFile,
      `SKILLFLAW_DATABASE_URL=postgresql+psycopg://app:${encodeURIComponent(LAB_PASSWORD)}@localhost:${port("wrong-host")}/postgres?sslmode=verify-full&sslrootcert=${certPath("root-ca.crt")}\n`,
    );
    const run = await runCliAsync(["check", "--env-file", envFile, "--format", "json", "--timeout", "5s"], {
      env: { HOME: home },
    });
    const report = JSON.parse(run.stdout) as Report;
    assertValidReport(report);
    const fix = report.verdict.fix;
    expect(fix?.setting).toBe("SKILLFLAW_DATABASE_URL");
    expect(fix?.verified).toBe(true);
    expect(fix?.value).toMatch(
      /^SKILLFLAW_DATABASE_URL=postgresql\+psycopg:\/\/app:\*{8}@db\.wrong\.example:\d+\/postgres\?.*hostaddr=127\.0\.0\.1/,
    );
    expect(run.stdout).not.toContain(LAB_PASSWORD);
    // Applied as libpq reads it: the scheme without SQLAlchemy's driver, the user's own password in place of the mask.
    const url = (fix?.value ?? "")
      .slice("SKILLFLAW_DATABASE_URL=".length)
      .replace("postgresql+psycopg://", "postgresql://");
    const applied = await psql(url.replace("********", encodeURIComponent(LAB_PASSWORD)), home);
    expect(applied.ok, applied.stderr).toBe(true);
  });

  it("a healthy server has no fix to suggest", async () => {
    const conn = `host=localhost port=${port("good")} user=app dbname=postgres sslmode=verify-full sslrootcert=${certPath("root-ca.crt")}`;
    const run = await runCliAsync(["check", conn, "--format", "json", "--timeout", "5s"], {
      env: { HOME: home, PGPASSWORD: LAB_PASSWORD },
    });
    const report = JSON.parse(run.stdout) as Report;
    expect(run.status).toBe(0);
    expect(report.verdict.fix).toBeUndefined();
    expect(report.verdict.strongestOkMode).toBe("verify-full");
  });
});
