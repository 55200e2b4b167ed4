// Issue 20's acceptance: the audit of a tree of real public deployment files (fixtures/audit-real, origins in its
// README) and of minimal synthetic cases (fixtures/audit-cases) reports exactly the findings of each tree's
// expected-findings.tsv (file, line, code, severity), nothing missing and nothing more; the Langflow chart's
// settings are found; every report validates against docs/audit.schema.json and holds no secret; and a
// .gitignore'd .env is listed as skipped, audited with --no-ignore, by --include and by naming it.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { AuditOptions } from "../../../src/audit/types.js";
import { runAuditWith } from "../../../src/engine/audit.js";
import type { AuditReport } from "../../../src/report/audit.js";
import { FORMATS, loadRenderer } from "../../../src/report/renderers/index.js";
import { CLIENT_SECURITY_LEVEL } from "../../../src/rules/certs/policy.js";
import { forgetSecrets } from "../../../src/secrets.js";
import { auditSchemaErrors } from "./helpers.js";

const ROOT = new URL("../../../", import.meta.url).pathname;
/** The trees' own documentation (their README quotes the cases) is not part of what is audited. */
const TREE_DOCS = ["README.md", "expected-findings.tsv"];

function options(cwd: string, extra: Partial<AuditOptions> = {}): AuditOptions {
  return {
    paths: ["."],
    include: [],
    exclude: [],
    noIgnore: false,
    live: false,
    concurrency: 1,
    libpq: 17,
    urlStyle: "auto",
    timeoutMs: 1000,
    failOn: "error",
    warnDays: 30,
    securityLevel: CLIENT_SECURITY_LEVEL,
    now: new Date("2026-06-01T00:00:00Z"),
    cwd,
    ...extra,
  };
}

/** One row per finding: file, line, code, severity (the table's columns), in a stable order. */
function rows(report: AuditReport): string[] {
  const all = [...report.fileFindings, ...report.settings.flatMap((s) => s.findings)];
  return all.map((f) => [f.location?.file ?? "", String(f.location?.line ?? ""), f.code, f.severity].join("\t")).sort();
}

function expected(tree: string): string[] {
  return readFileSync(join(ROOT, "fixtures", tree, "expected-findings.tsv"), "utf8")
    .split("\n")
    .slice(1)
    .filter((l) => l.trim() !== "")
    .sort();
}

/** Passwords written in the trees that look real (stand-ins like changeme are not secrets). */
const SECRETS = [
  "Lf-9c2Rx71qz",
  "Bn-ad4Min-77",
  "Ext-Db-Pw-482",
  "hB7-kq2Lw9x",
  "Zt-8u2Pq55",
  "N8n-pw-Qr71",
  "Wk-pass-90xz",
  "Bk-pw-2231q",
  "Sf-pw-8812",
  "Dev-pw-001",
  "Ci-pw-4821",
  "Jd-pw-5512",
  "Pa$w0rd-17",
  "langflow_test_pass",
  "langflow-postgres",
];

describe.each(["audit-real", "audit-cases"])("fixtures/%s", (tree) => {
  let report: AuditReport;
  const load = async () => {
    if (!report) {
      forgetSecrets();
      report = await runAuditWith(options(join(ROOT, "fixtures", tree), { exclude: TREE_DOCS }));
    }
    return report;
  };

  it("reports exactly the findings of expected-findings.tsv", async () => {
    const r = await load();
    const got = rows(r);
    const want = expected(tree);
    const missing = want.filter((w) => !got.includes(w));
    const extra = got.filter((g) => !want.includes(g));
    expect({ missing, extra }).toEqual({ missing: [], extra: [] });
    expect(got).toEqual(want);
  });

  it("validates against docs/audit.schema.json and no format shows a password", async () => {
    const r = await load();
    expect(auditSchemaErrors(JSON.parse(JSON.stringify(r)))).toEqual([]);
    for (const format of FORMATS) {
      const out = (await loadRenderer(format))(r, { color: false, verbose: true, width: 120 });
      for (const s of SECRETS) expect(out, `${format} shows ${s}`).not.toContain(s);
    }
  });
});

describe("the real tree's settings", () => {
  it("finds the Langflow chart's settings, written as separate values", async () => {
    forgetSecrets();
    const r = await runAuditWith(options(join(ROOT, "fixtures", "audit-real"), { exclude: TREE_DOCS }));
    const chart = r.settings.filter((s) => s.location.file.endsWith("langflow-ide/dev-values-postgres.yaml"));
    const external = chart.find((s) => s.path === "langflow.backend.externalDatabase");
    expect(external?.form).toBe("parts");
    expect(external?.conninfo.effective.host?.value).toBe("langflow-ide-postgresql-service");
    expect(external?.conninfo.effective.dbname?.value).toBe("langflow-db");
    expect(external?.parts?.host).toMatchObject({ key: "host", line: 16 });
    expect(external?.placeholders?.password).toBe("(from Secret langflow-ide-postgresql-service, key password)");
    const auth = chart.find((s) => s.path === "postgresql.auth");
    expect(auth?.parts?.password).toMatchObject({ key: "password", line: 6 });
    expect(auth?.findings.map((f) => f.code)).toEqual(["audit.secret-in-plain-config"]);
  });
});

describe(".gitignore'd files", () => {
  const dir = mkdtempSync(join(tmpdir(), "dbdoctor-audit-ignore-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, ".git"));
  mkdirSync(join(dir, "deploy"));
  writeFileSync(join(dir, ".gitignore"), ".env\nsecrets/\n");
  writeFileSync(join(dir, ".env"), "SKILLFLAW_DATABASE_URL=postgresql://app:Ign-pw-7731@db.prod.example.com/app\n");
  mkdirSync(join(dir, "secrets"));
  writeFileSync(join(dir, "secrets", "prod.env"), "DATABASE_URL=postgresql://x@db.example.com/x?sslmode=disable\n");
  writeFileSync(
    join(dir, "deploy", "app.env"),
    "DATABASE_URL=postgresql://app@db.example.com/app?sslmode=verify-full&sslrootcert=system\n",
  );

  const files = (r: AuditReport) => r.files.map((f) => f.path).sort();

  it("lists an ignored file and directory as skipped and does not read them", async () => {
    const r = await runAuditWith(options(dir));
    expect(files(r)).toEqual([".gitignore", "deploy/app.env"]);
    expect(r.skipped).toEqual([
      { path: ".env", reason: "skipped by .gitignore (--no-ignore audits it)" },
      { path: "secrets/", reason: "skipped by .gitignore (--no-ignore audits it)" },
    ]);
  });

  it("audits them with --no-ignore", async () => {
    const r = await runAuditWith(options(dir, { noIgnore: true }));
    expect(files(r)).toEqual([".env", ".gitignore", "deploy/app.env", "secrets/prod.env"]);
    expect(r.skipped).toEqual([]);
    const env = r.settings.find((s) => s.location.file === ".env");
    expect(env?.findings.map((f) => [f.code, f.severity])).toContainEqual(["audit.secret-in-plain-config", "error"]);
  });

  it("reads an ignored file named by --include or on the command line", async () => {
    expect(files(await runAuditWith(options(dir, { include: [".env"] })))).toEqual([".env"]);
    expect(files(await runAuditWith(options(dir, { include: ["prod.env"] })))).toEqual(["secrets/prod.env"]);
    expect(files(await runAuditWith(options(dir, { paths: [".env", "secrets"] })))).toEqual([
      ".env",
      "secrets/prod.env",
    ]);
  });
});
