// dbdoctor audit through the built CLI (node scripts/build.mjs first), on fixtures/audit: every format, the
// JSON schema, the SARIF structure, JUnit parsed by a real XML parser, GitHub annotations, exit codes, and no
// password anywhere.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { CLI, runCli } from "../helpers/cli.js";
import { auditSchemaErrors, sarifProblems } from "../unit/audit/helpers.js";
import { checkJunitXml, NO_PYTHON_REASON, PYTHON } from "../unit/report/xml.js";

const ROOT = new URL("../../", import.meta.url).pathname;
const SECRETS = [
  "hunter2secret",
  "c0mposepass",
  "configmappass",
  "b64secretpass",
  "l0gpassword",
  "ignoredlocalpass",
  "ignoreddirpass",
  "binpass",
];
const tmp = mkdtempSync(join(tmpdir(), "dbdoctor-audit-e2e-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const audit = (...args: string[]) => runCli(["audit", ...args], { cwd: ROOT });
const noSecrets = (text: string) => {
  for (const s of SECRETS) expect(text, `output shows ${s}`).not.toContain(s);
};

if (!existsSync(CLI)) console.warn(`${CLI} is missing: run node scripts/build.mjs before the e2e tests`);

describe.skipIf(!existsSync(CLI))("dbdoctor audit (built CLI)", () => {
  it("prints the summary table and the settings as text, and exits 1 on error findings", () => {
    const r = audit("fixtures/audit");
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/settings\s+13/);
    expect(r.stdout).toMatch(/url\.postgres-scheme\s+1/);
    expect(r.stdout).toContain("fixtures/audit/app/.env:2:24");
    expect(r.stdout).toContain("Verdict: FAIL");
    noSecrets(r.stdout + r.stderr);
  });

  it("writes JSON that matches docs/audit.schema.json", () => {
    const r = audit("fixtures/audit", "--format", "json");
    expect(r.status).toBe(1);
    const json = JSON.parse(r.stdout) as { summary: { settings: number; files: number }; command: string };
    expect(auditSchemaErrors(json)).toEqual([]);
    expect(json.summary.settings).toBe(13);
    noSecrets(r.stdout);
  });

  it("writes SARIF 2.1.0 to a file with the text report still on the terminal", () => {
    const out = join(tmp, "audit.sarif");
    const r = audit("fixtures/audit", "--format", "sarif", "--output", out);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain("Verdict: FAIL");
    const sarif = JSON.parse(readFileSync(out, "utf8")) as {
      runs: Array<{
        results: Array<{
          ruleId: string;
          locations: Array<{
            physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number; startColumn: number } };
          }>;
        }>;
      }>;
    };
    expect(sarifProblems(sarif)).toEqual([]);
    const scheme = sarif.runs[0]?.results.find((x) => x.ruleId === "url.postgres-scheme");
    expect(scheme?.locations[0]?.physicalLocation).toMatchObject({
      artifactLocation: { uri: "fixtures/audit/app/.env" },
      region: { startLine: 2, startColumn: 24 },
    });
    noSecrets(readFileSync(out, "utf8"));
  });

  it("annotates GitHub with file, line and col", () => {
    const r = audit("fixtures/audit", "--format", "github");
    expect(r.stdout).toMatch(
      /^::error file=fixtures\/audit\/app\/\.env,line=2,col=24,title=dbdoctor url\.postgres-scheme/m,
    );
    expect(r.stdout).toMatch(/^::warning file=fixtures\/audit\/broken\.yaml,line=5,/m);
    noSecrets(r.stdout);
  });

  it.skipIf(!PYTHON)("writes well-formed JUnit with one testcase per setting", () => {
    const r = audit("fixtures/audit", "--format", "junit");
    const [check] = checkJunitXml([r.stdout]);
    expect(check).toEqual({ error: null, mismatches: [] });
    expect((r.stdout.match(/<testcase /g) ?? []).length).toBe(13 + 1);
    noSecrets(r.stdout);
  });
  if (!PYTHON) console.warn(NO_PYTHON_REASON);

  it("writes Markdown with the summary and findings tables", () => {
    const r = audit("fixtures/audit", "--format", "markdown");
    expect(r.stdout).toContain("## dbdoctor audit: ❌ fail");
    expect(r.stdout).toContain("| Files | Skipped | Settings | Errors | Warnings | Infos |");
    noSecrets(r.stdout);
  });

  it("follows --fail-on and --include/--exclude in its exit code", () => {
    expect(audit("fixtures/audit", "--fail-on", "never", "--format", "json").status).toBe(0);
    // The Helm values alone: one invalid sslmode (error), one clean setting.
    const helm = audit("fixtures/audit", "--include", "values.yaml", "--format", "json");
    expect(helm.status).toBe(1);
    expect((JSON.parse(helm.stdout) as { summary: { settings: number } }).summary.settings).toBe(2);
    // Only the clean file: nothing at or above error.
    const clean = join(tmp, "clean");
    rmSync(clean, { recursive: true, force: true });
    mkdirSync(clean);
    writeFileSync(
      join(clean, ".env"),
      "SKILLFLAW_DATABASE_URL=postgresql://app@db.example.com/app?sslmode=verify-full&sslrootcert=system\n",
    );
    const ok = runCli(["audit", clean, "--format", "json"]);
    expect(ok.status).toBe(0);
    expect((JSON.parse(ok.stdout) as { verdict: { status: string } }).verdict.status).toBe("pass");
    expect(runCli(["audit", clean, "--fail-on", "warning"]).status).toBe(0);
  });

  it("exits 2 with a clear message for a missing path or a bad format", () => {
    const missing = audit("fixtures/audit/nope");
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain("fixtures/audit/nope does not exist");
    expect(missing.stderr).not.toMatch(/\n\s+at /);
    const bad = audit("fixtures/audit", "--format", "xml");
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/sarif/);
  });
});
