// The whole offline audit over fixtures/audit: what is found, where, with which findings, counted right,
// and never a secret in any format (including passwords decoded from a Secret's base64 data).
import { beforeAll, describe, expect, it } from "vitest";
import { runAuditWith } from "../../../src/engine/audit.js";
import { type AuditReport, summarize } from "../../../src/report/audit.js";
import { exitCode } from "../../../src/report/kinds.js";
import { FORMATS, loadRenderer } from "../../../src/report/renderers/index.js";
import { CLIENT_SECURITY_LEVEL } from "../../../src/rules/certs/policy.js";
import type { FindingCode } from "../../../src/rules/registry.js";
import { forgetSecrets, knownSecrets } from "../../../src/secrets.js";
import { auditSchemaErrors, sarifProblems } from "./helpers.js";

const FIXTURE_SECRETS = ["hunter2secret", "c0mposepass", "configmappass", "b64secretpass", "l0gpassword"];
const NEVER_READ = ["ignoredlocalpass", "ignoreddirpass", "binpass"];

let report: AuditReport;
const cwd = new URL("../../../", import.meta.url).pathname;

beforeAll(async () => {
  forgetSecrets();
  report = await runAuditWith({
    paths: ["fixtures/audit"],
    include: [],
    exclude: [],
    live: false,
    concurrency: 8,
    libpq: 17,
    urlStyle: "auto",
    timeoutMs: 5000,
    failOn: "error",
    warnDays: 30,
    securityLevel: CLIENT_SECURITY_LEVEL,
    now: new Date(),
    cwd,
  });
});

const setting = (file: string, variable: string | null) => {
  const s = report.settings.find((x) => x.location.file === `fixtures/audit/${file}` && x.variable === variable);
  if (!s) throw new Error(`no setting ${variable} in ${file}`);
  return s;
};
const codes = (s: { findings: { code: string }[] }) => s.findings.map((f) => f.code).sort();

describe("audit of fixtures/audit", () => {
  it("reads every kind of file and skips the .gitignore'd ones and the binary", () => {
    const files = report.files.map((f) => f.path);
    expect(files).toEqual(
      expect.arrayContaining([
        "fixtures/audit/app/.env",
        "fixtures/audit/compose/docker-compose.yml",
        "fixtures/audit/k8s/skillflaw.yaml",
        "fixtures/audit/helm/values.yaml",
        "fixtures/audit/logs/app-output.txt",
        "fixtures/audit/broken.yaml",
      ]),
    );
    expect(files.some((f) => f.includes("secret.local.env") || f.includes("ignored/"))).toBe(false);
    expect(report.skipped).toEqual([{ path: "fixtures/audit/bin/blob.bin", reason: "binary file" }]);
    expect(report.settings.map((s) => s.source).sort()).toEqual(
      [
        ...Array(3).fill("dotenv"),
        ...Array(2).fill("compose"),
        "kubernetes-env",
        ...Array(2).fill("kubernetes-configmap"),
        ...Array(2).fill("kubernetes-secret"),
        ...Array(2).fill("helm-values"),
        "text",
      ].sort(),
    );
  });

  it("reads SKILLFLAW_DATABASE_URL as SQLAlchemy does and other values by libpq's rules", () => {
    expect(setting("app/.env", "SKILLFLAW_DATABASE_URL")).toMatchObject({
      urlStyle: "sqlalchemy",
      format: "sqlalchemy-url",
    });
    expect(codes(setting("app/.env", "SKILLFLAW_DATABASE_URL"))).toContain("url.postgres-scheme");
    expect(setting("app/.env", "DATABASE_URL")).toMatchObject({ urlStyle: "libpq", format: "uri" });
    expect(setting("app/.env", "REPORTING_DSN")).toMatchObject({ urlStyle: "libpq", format: "keyword-value" });
    expect(codes(setting("compose/docker-compose.yml", "SKILLFLAW_DATABASE_URL"))).toContain("url.driver-asyncpg");
    expect(codes(setting("helm/values.yaml", "url"))).toContain("conninfo.invalid-value");
  });

  it("resolves relative certificate paths against the config file's directory", () => {
    const db = setting("app/.env", "DATABASE_URL");
    expect(db.files.status).toBe("completed");
    if (db.files.status === "completed")
      expect(db.files.value.files.map((f) => [f.role, f.path, f.exists])).toEqual([
        ["sslrootcert", "fixtures/audit/app/certs/ca.crt", true],
      ]);
    expect(codes(db)).not.toContain("sslmode.root-missing");
    const dsn = setting("app/.env", "REPORTING_DSN");
    const wrong = dsn.findings.find((f) => f.code === "file.wrong-content");
    expect(wrong?.message).toContain("fixtures/audit/app/certs/client.crt");
  });

  it("applies the variables next to a setting (a container's PGSSLROOTCERT), not the auditor's environment", () => {
    const k8s = setting("k8s/skillflaw.yaml", "SKILLFLAW_DATABASE_URL");
    expect(k8s.conninfo.effective.sslrootcert).toMatchObject({ value: "/etc/ssl/db/ca.crt", source: "env" });
    expect(codes(k8s)).toContain("sslmode.root-missing");
    const worker = setting("compose/docker-compose.yml", "DATABASE_URL");
    expect(worker.conninfo.password.source).toBe("env");
    expect(codes(worker)).not.toContain("audit.secret-in-plain-config");
  });

  it("flags stored passwords by where they are stored", () => {
    const secret = report.settings.find((s) => s.source === "kubernetes-secret" && s.base64);
    expect(secret?.variable).toBe("DATABASE_URL");
    expect(codes(secret ?? { findings: [] })).toContain("audit.base64-secret");
    const cm = report.settings.find((s) => s.source === "kubernetes-configmap" && s.variable === "DATABASE_URL");
    expect(codes(cm ?? { findings: [] })).toContain("audit.secret-in-plain-config");
    const log = setting("logs/app-output.txt", null);
    expect(codes(log)).toContain("audit.secret-in-plain-config");
    expect(codes(setting("helm/values.yaml", "SKILLFLAW_DATABASE_URL"))).toEqual([]);
  });

  it("gives every finding a file, line and column, the setting's own unless it points into another file", () => {
    for (const s of report.settings)
      for (const f of s.findings) {
        expect(f.location?.line).toBeGreaterThan(0);
        if (f.location?.file === s.location.file && f.location.line === s.location.line)
          expect(f.location.column).toBe(s.location.column);
      }
    expect(report.fileFindings).toEqual([
      expect.objectContaining({
        code: "audit.unparseable-file",
        location: expect.objectContaining({ file: "fixtures/audit/broken.yaml", line: 5 }),
      }),
    ]);
  });

  it("counts files, settings, severities and rules", () => {
    const all = [...report.fileFindings, ...report.settings.flatMap((s) => s.findings)];
    const s = report.summary;
    expect(s.settings).toBe(report.settings.length);
    expect(s.files).toBe(report.files.length);
    expect(s.errors).toBe(all.filter((f) => f.severity === "error").length);
    expect(s.warnings).toBe(all.filter((f) => f.severity === "warning").length);
    expect(s.infos).toBe(all.filter((f) => f.severity === "info").length);
    expect(Object.values(s.byRule).reduce((a, b) => a + b, 0)).toBe(all.length);
    for (const [code, n] of Object.entries(s.byRule)) expect(all.filter((f) => f.code === code).length).toBe(n);
    expect(s.errors).toBeGreaterThan(0);
    expect(report.verdict.status).toBe("fail");
    expect(exitCode(report, "error")).toBe(1);
    expect(exitCode(report, "never")).toBe(0);
  });

  it("summarize counts hand-built findings", () => {
    const f = (code: FindingCode, severity: "error" | "warning" | "info") => ({
      code,
      severity,
      subject: "x",
      message: "m",
    });
    const st = report.settings[0];
    if (!st) throw new Error("no setting");
    const sum = summarize(
      2,
      [
        {
          ...st,
          findings: [
            f("url.password-unescaped", "error"),
            f("url.password-unescaped", "error"),
            f("env.empty-value", "info"),
          ],
        },
      ],
      [f("audit.root-default", "warning")],
      1,
    );
    expect(sum).toEqual({
      files: 2,
      settings: 1,
      errors: 2,
      warnings: 1,
      infos: 1,
      byRule: { "url.password-unescaped": 2, "audit.root-default": 1, "env.empty-value": 1 },
      skipped: 1,
    });
  });

  it("registers every password it saw, including the one decoded from base64", () => {
    for (const s of FIXTURE_SECRETS) expect(knownSecrets()).toContain(s);
    for (const s of NEVER_READ) expect(knownSecrets()).not.toContain(s);
  });

  it("never prints a password in any format", async () => {
    for (const format of FORMATS) {
      const render = await loadRenderer(format);
      const out = await render(report, { color: false, verbose: true });
      for (const s of [...FIXTURE_SECRETS, ...NEVER_READ]) expect(out, `${format} shows ${s}`).not.toContain(s);
      // Formats that show the values show them masked.
      if (["text", "json", "markdown", "junit"].includes(format)) expect(out).toContain("********");
    }
  });

  it("produces JSON that matches docs/audit.schema.json and SARIF with the essential 2.1.0 structure", async () => {
    const json = JSON.parse((await loadRenderer("json"))(report, { color: false, verbose: false })) as unknown;
    expect(auditSchemaErrors(json)).toEqual([]);
    const sarif = JSON.parse((await loadRenderer("sarif"))(report, { color: false, verbose: false })) as {
      runs: Array<{
        results: Array<{
          locations: Array<{ physicalLocation: { region: { startLine: number; startColumn: number } } }>;
        }>;
      }>;
    };
    expect(sarifProblems(sarif)).toEqual([]);
    const results = sarif.runs[0]?.results ?? [];
    expect(results.length).toBe(report.summary.errors + report.summary.warnings + report.summary.infos);
    const located = results.filter((r) => r.locations[0]?.physicalLocation.region?.startColumn !== undefined);
    // Every setting finding has a column; a YAML syntax error has the parser's column.
    expect(located.length).toBe(results.length);
  });

  it("the schema rejects a report that breaks the contract", async () => {
    const json = JSON.parse((await loadRenderer("json"))(report, { color: false, verbose: false })) as Record<
      string,
      unknown
    >;
    expect(auditSchemaErrors({ ...json, schemaVersion: 2 })).not.toEqual([]);
    const settings = json.settings as Array<Record<string, unknown>>;
    expect(
      auditSchemaErrors({ ...json, settings: [{ ...settings[0], location: { file: "x", line: 0, column: 1 } }] }),
    ).not.toEqual([]);
  });
});
