// Writes fixtures/reports/audit.json, the audit report the golden files render (test/unit/report/golden.test.ts):
// the real audit of a copy of fixtures/audit under deploy/, plus two files that draw the audit family's other
// findings (a verify-full setting without sslrootcert, a .env that is not UTF-8), with a fixed clock and timings.
// Two probed servers are added by hand (a real --live run needs the network); run: npx tsx scripts/gen-audit-fixture.ts
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { runAuditWith } from "../src/engine/audit.js";
import { buildAuditReport } from "../src/report/audit.js";
import { CLIENT_SECURITY_LEVEL } from "../src/rules/certs/policy.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const work = mkdtempSync(join(tmpdir(), "dbdoctor-audit-fixture-"));
try {
  const deploy = join(work, "deploy");
  cpSync(join(root, "fixtures/audit"), deploy, { recursive: true });
  mkdirSync(join(deploy, "extra"));
  writeFileSync(
    join(deploy, "extra", "verify.env"),
    "# verify-full, but which CA?\nDATABASE_URL=postgresql://app@db.internal:5432/app?sslmode=verify-full\n",
  );
  writeFileSync(
    join(deploy, "extra", "latin1.env"),
    Buffer.from("DATABASE_URL=postgresql://caf\xe9@db/app\n", "latin1"),
  );
  const now = new Date("2026-05-01T12:00:00.000Z");
  // The files stage opens the report's relative paths from the process's working directory.
  process.chdir(work);
  const report = await runAuditWith({
    paths: ["deploy"],
    include: [],
    exclude: [],
    noIgnore: false,
    live: false,
    concurrency: 8,
    libpq: 17,
    urlStyle: "auto",
    timeoutMs: 5000,
    failOn: "error",
    warnDays: 30,
    securityLevel: CLIENT_SECURITY_LEVEL,
    now,
    cwd: work,
  });
  const fixture = buildAuditReport({
    inputs: {
      ...report.inputs,
      live: true,
      assumptions: [
        ...report.inputs.assumptions.slice(0, -1),
        "--live: each distinct server (host:port with the same TLS settings) was probed once, without sending any credential.",
      ],
    },
    files: report.files,
    skipped: report.skipped,
    settings: report.settings,
    fileFindings: report.fileFindings,
    servers: [
      {
        host: "db",
        port: 5432,
        settings: [0, 3],
        result: { status: "error", reason: 'could not translate host name "db" to address' },
      },
      {
        host: "db.internal",
        port: 5432,
        hostaddr: "10.0.0.5",
        settings: [5],
        result: { status: "skipped", reason: "no host to probe" },
      },
    ],
    failOn: "error",
    timings: { discover: 3, extract: 5, pipeline: 41, live: 120 },
    now,
  });
  writeFileSync(join(root, "fixtures/reports/audit.json"), `${JSON.stringify(fixture, null, 2)}\n`);
} finally {
  process.chdir(root);
  rmSync(work, { recursive: true, force: true });
}
