// action.yml: what the composite action declares, and what it does when its steps run the way a runner runs them
// (test/helpers/action-runner.ts) with the built CLI on PATH: the job summary, annotations, the report and SARIF
// files, the SARIF upload's input, the exit code and the failing last step. Installing from the action's own
// checkout is exercised by test/e2e/install.test.ts.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { type ActionRun, loadAction, runAction } from "../helpers/action-runner.js";
import { CLI } from "../helpers/cli.js";
import { assertValidReport } from "../helpers/schema.js";
import { auditSchemaErrors, sarifProblems } from "../unit/audit/helpers.js";

const ROOT = new URL("../../", import.meta.url).pathname;
const action = loadAction(join(ROOT, "action.yml"));
const tmp = mkdtempSync(join(tmpdir(), "dbdoctor-action-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

// `install: false` takes dbdoctor from PATH: the built bin, started through its own start-up line.
const bin = join(tmp, "bin");
mkdirSync(bin);
symlinkSync(CLI, join(bin, "dbdoctor"));
let runs = 0;
function run(inputs: Record<string, string>, env: NodeJS.ProcessEnv = {}): ActionRun {
  const temp = join(tmp, `run-${++runs}`);
  mkdirSync(temp);
  return runAction(action, {
    actionPath: ROOT,
    workspace: ROOT,
    temp,
    inputs: { install: "false", ...inputs },
    env: { NO_COLOR: "1", PATH: `${bin}${delimiter}${process.env.PATH}`, ...env },
  });
}
const step = (r: ActionRun, name: string) => {
  const s = r.steps.find((x) => x.step.name === name);
  if (!s) throw new Error(`no step "${name}"`);
  return s;
};

describe("action.yml declares", () => {
  const steps = action.runs.steps;
  it("a composite action whose every input is used by a step", () => {
    expect(action.runs.using).toBe("composite");
    const used = JSON.stringify(steps.map((s) => [s.if, s.env, s.with]));
    for (const input of Object.keys(action.inputs)) expect(used, `input ${input}`).toContain(`inputs.${input}`);
    for (const name of ["env-file", "format", "fail-on", "command"]) expect(action.inputs).toHaveProperty(name);
  });
  it("scripts that never interpolate an expression (inputs arrive as environment variables)", () => {
    for (const s of steps.filter((x) => x.run !== undefined)) {
      expect(s.run, s.name).not.toContain(`\${{`);
      expect(s.shell, s.name).toBe("bash");
    }
  });
  it("a SARIF upload that runs after findings, reading the file the run step wrote", () => {
    const upload = steps.find((s) => s.uses?.startsWith("github/codeql-action/upload-sarif@"));
    expect(upload?.uses).toBe("github/codeql-action/upload-sarif@v3");
    expect(upload?.with?.sarif_file).toBe(`\${{ steps.run.outputs.sarif }}`);
    expect(String(upload?.if)).toMatch(/!cancelled\(\)|always\(\)/);
    expect(action.outputs["exit-code"]?.value).toBe(`\${{ steps.run.outputs.exit-code }}`);
  });
});

describe("action.yml run on this machine", () => {
  const SECRETS = ["hunter2secret", "c0mposepass", "configmappass", "b64secretpass", "l0gpassword"];

  it("audit: summary, annotations, JSON report, SARIF for upload, then fails on the error findings", () => {
    const r = run({ command: "audit", paths: "fixtures/audit\n" });
    const main = step(r, "Run dbdoctor");
    expect(main.status, main.stderr).toBe(0);
    expect(r.outputs["exit-code"]).toBe("1");
    expect(main.stdout).toMatch(/^::error file=fixtures\/audit\/[^,]+,line=\d+/m);
    expect(main.stdout).toContain("::group::dbdoctor report");
    expect(main.summary).toMatch(/^#/m);
    expect(main.summary).toMatch(/^\|.*\|$/m);
    expect(auditSchemaErrors(JSON.parse(readFileSync(r.outputs.report ?? "", "utf8")))).toEqual([]);
    const upload = step(r, "Upload SARIF to code scanning");
    expect(upload.ran).toBe(true);
    expect(upload.with?.sarif_file).toBe(r.outputs.sarif);
    expect(sarifProblems(JSON.parse(readFileSync(upload.with?.sarif_file ?? "", "utf8")))).toEqual([]);
    const fail = step(r, "Fail on findings");
    expect(fail.status).toBe(1);
    expect(fail.stdout).toContain("::error title=dbdoctor::findings at or above --fail-on error");
    expect(r.failed).toBe(true);
    for (const text of [main.stdout, main.stderr, main.summary, readFileSync(r.outputs.sarif ?? "", "utf8")])
      for (const s of SECRETS) expect(text).not.toContain(s);
  });

  it("audit with fail-on never passes, and still uploads SARIF", () => {
    const r = run({ command: "audit", paths: "fixtures/audit", "fail-on": "never", format: "junit" });
    expect(r.outputs["exit-code"]).toBe("0");
    expect(readFileSync(r.outputs.report ?? "", "utf8")).toMatch(/^<\?xml/);
    expect(step(r, "Upload SARIF to code scanning").ran).toBe(true);
    expect(step(r, "Fail on findings").ran).toBe(false);
    expect(r.failed).toBe(false);
  });

  it("check: reads the env file, annotates its line, writes the JSON report; no SARIF for check", () => {
    const envFile = join(tmp, "app.env");
    writeFileSync(
      envFile,
      "# SkillFlaw\nSKILLFLAW_DATABASE_URL=postgresql+psycopg://app:Act10n-Pa55@db.internal/app?sslmode=verify-full&sslrootcert=/nonexistent/ca.crt\n",
    );
    const r = run({ command: "check", "env-file": envFile, offline: "true" });
    const main = step(r, "Run dbdoctor");
    expect(r.outputs["exit-code"]).toBe("1");
    // The password-in-URL finding points at the line of the .env file.
    expect(main.stdout).toContain(`::notice file=${envFile},line=2,title=dbdoctor url.password-present`);
    expect(main.stdout).toMatch(/^::error title=dbdoctor tls.root-missing/m);
    assertValidReport(readFileSync(r.outputs.report ?? "", "utf8"));
    expect(main.summary).toContain("verify-full");
    expect(r.outputs.sarif).toBe("");
    expect(step(r, "Upload SARIF to code scanning").ran).toBe(false);
    for (const text of [main.stdout, main.stderr, main.summary]) expect(text).not.toContain("Act10n-Pa55");
  });

  it("check: a connection string input, its password never shown", () => {
    const r = run({
      command: "check",
      connstring: "host=127.0.0.1 port=1 password=Act10n-Pa55 sslmode=require",
      offline: "true",
      format: "",
      "fail-on": "warning",
      args: "--libpq=16\n  --verbose\n",
    });
    const main = step(r, "Run dbdoctor");
    expect(r.outputs.report).toBe("");
    expect(main.stdout).toContain("libpq 16");
    for (const text of [main.stdout, main.stderr, main.summary]) expect(text).not.toContain("Act10n-Pa55");
  });

  it("a command it does not know: exit code 2, the last step fails with it", () => {
    const r = run({ command: "lint" });
    expect(r.outputs["exit-code"]).toBe("2");
    expect(step(r, "Run dbdoctor").stdout).toContain("the command input is check or audit");
    expect(step(r, "Fail on findings").status).toBe(2);
    expect(r.failed).toBe(true);
  });

  it("a usage error from dbdoctor: exit code 2 and a summary that says so", () => {
    const r = run({ command: "audit", paths: "no/such/dir" });
    expect(r.outputs["exit-code"]).toBe("2");
    expect(step(r, "Run dbdoctor").summary).toContain("dbdoctor could not run");
    expect(r.outputs.sarif).toBe("");
    expect(step(r, "Upload SARIF to code scanning").ran).toBe(false);
  });
});
