// Issue 13's acceptance property: whatever the password is — random, or a word that is also report vocabulary (JSON
// words, the port, libpq keywords, the user and database names, characters that need percent-encoding) — every
// offline command (parse, check --offline, certs, audit) in every format produces output that parses and validates,
// shows the user, the database, the host, the scheme and the paths intact, and holds the password nowhere it is not
// also a legitimately shown value.
//
// How "nowhere" is decided for a password that is an ordinary word: the same input is run again with a different
// password of the same kind (a guessable one for a guessable one), and the word must occur exactly as often, as a
// token, in both outputs. More occurrences is a leak; fewer is vocabulary that was masked. Random passwords carry a
// marker that no output text holds, so any occurrence of it is a leak.
//
// The engine and the CLI's write path (src/cli/output.ts: the one every format goes through) run in-process, plus a
// few runs of the built CLI as a process.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import type { CommonOptions } from "../../src/cli/options.js";
import { writeOutputs } from "../../src/cli/output.js";
import { ALL_KEYWORDS } from "../../src/conninfo/keywords.js";
import { uriEncodeComponent } from "../../src/conninfo/libpq.js";
import { runAudit } from "../../src/engine/audit.js";
import { runCerts } from "../../src/engine/certs.js";
import { runCheck } from "../../src/engine/check.js";
import { runParse } from "../../src/engine/parse.js";
import type { AnyReport } from "../../src/report/kinds.js";
import { FORMATS, type Format } from "../../src/report/renderers/index.js";
import { GUESSABLE_PASSWORDS } from "../../src/rules/url/password-guessable.js";
import { RunScope } from "../../src/run/scope.js";
import { forgetSecrets } from "../../src/secrets.js";
import { runCli } from "../helpers/cli.js";
import { SARIF_VALID, sarifSchemaErrors } from "../helpers/sarif-schema.js";
import { reportSchemaErrors } from "../helpers/schema.js";
import { auditSchemaErrors } from "../unit/audit/helpers.js";
import { checkJunitXml, PYTHON } from "../unit/report/xml.js";

const USER = "app_user";
const DB = "orders";
const HOST = "db.example.com";
const MARK = "Zq9X";

const root = mkdtempSync(join(tmpdir(), "dbdoctor-prop-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
// Paths spelled with dangerous words: a password "postgres" or "root" must not mask them.
const pgDir = join(root, "postgres", "root", ".postgresql");
mkdirSync(pgDir, { recursive: true });
const CERTS = new URL("../../certs/", import.meta.url);
const ROOT_CRT = join(pgDir, "root.crt");
const CLIENT_CRT = join(pgDir, "postgresql.crt");
const CLIENT_KEY = join(pgDir, "postgresql.key");
copyFileSync(new URL("root-ca.crt", CERTS), ROOT_CRT);
copyFileSync(new URL("client-good.crt", CERTS), CLIENT_CRT);
copyFileSync(new URL("client-good.key", CERTS), CLIENT_KEY);

const common = (over: Partial<CommonOptions> = {}): CommonOptions => ({
  format: "json",
  output: undefined,
  failOn: "error",
  timeoutMs: 5000,
  deadlineMs: 15000,
  offline: true,
  urlStyle: "auto",
  libpq: 17,
  authProbe: "safe",
  color: false,
  verbose: true,
  ...over,
});

/** The dangerous passwords of the issue, each a word some output also prints. */
const DANGEROUS: readonly string[] = [
  "postgres",
  "password",
  "user",
  "host",
  "mode",
  "info",
  "error",
  "root",
  "true",
  "false",
  "null",
  "5432",
  "require",
  "prefer",
  "verify-full",
  "sslmode",
  "dbname",
  "sslrootcert",
  "postgresql",
  "crt",
  "warning",
  "certs",
  "connstring",
  USER,
  DB,
  // characters that need percent-encoding, with the marker so any leak is seen
  `p@ss${MARK}:w/rd`,
  `${MARK}?#%&=`,
  `a b${MARK}'"\\`,
  `${MARK}[]{}+,;$`,
];

for (const k of ["host", "user", "sslmode", "dbname", "password"]) if (!ALL_KEYWORDS.has(k)) throw new Error(k);

const CHARS = [..."abcXYZ019", "@", ":", "/", "?", "#", "%", '"', "'", " ", "\\", "=", "&", "$", "+", ","];
const side = fc.array(fc.constantFrom(...CHARS), { maxLength: 8 }).map((a) => a.join(""));
const randomPassword = fc.tuple(side, side).map(([a, b]) => `${a}${MARK}${b}`);

const GUESSABLE = new Set(GUESSABLE_PASSWORDS.map((p) => p.toLowerCase()));

/** A password of the same kind that is not report vocabulary, for the occurrence count. */
function counterpart(pw: string): string {
  if (GUESSABLE.has(pw.toLowerCase())) return pw.toLowerCase() === "changeme" ? "letmein" : "changeme";
  return `${MARK}n0tGuessable`;
}

interface Run {
  command: "parse" | "check" | "certs" | "audit";
  shape: string;
  report: AnyReport;
}

const kvQuote = (s: string) => `'${s.replace(/([\\'])/g, "\\$1")}'`;

let runCount = 0;

async function runs(pw: string, folder: string): Promise<Run[]> {
  const n = runCount++;
  const dir = join(root, `case-${n}`);
  mkdirSync(dir, { recursive: true });
  const enc = uriEncodeComponent(pw);
  const env = { HOME: join(root, "postgres", "root"), PATH: process.env.PATH };
  const out: Run[] = [];
  forgetSecrets();
  const url = `postgresql://${USER}:${enc}@${HOST}:5432/${DB}?sslmode=verify-full&sslrootcert=${ROOT_CRT}`;
  out.push({ command: "parse", shape: "libpq URL", report: await runParse({ connstring: url }, common(), env) });
  const envFile = join(dir, ".env");
  writeFileSync(
    envFile,
    `SKILLFLAW_DATABASE_URL=postgresql+psycopg://${USER}:${enc}@${HOST}:5432/${DB}?sslmode=verify-full&sslrootcert=${ROOT_CRT}\n`,
  );
  out.push({
    command: "parse",
    shape: ".env SQLAlchemy URL",
    report: await runParse({ envFile: [envFile], var: "SKILLFLAW_DATABASE_URL" }, common(), env),
  });
  const kv = `host=${HOST} port=5432 user=${USER} dbname=${DB} password=${kvQuote(pw)} sslmode=require sslrootcert=${ROOT_CRT} sslcert=${CLIENT_CRT} sslkey=${CLIENT_KEY}`;
  out.push({
    command: "check",
    shape: "keyword/value",
    report: await runCheck({ connstring: kv }, common(), new RunScope(15000), env),
  });
  const before = process.env.DBDOCTOR_SSLPASSWORD;
  process.env.DBDOCTOR_SSLPASSWORD = pw;
  try {
    out.push({
      command: "certs",
      shape: "sslpassword",
      report: await runCerts({ sslrootcert: ROOT_CRT, sslcert: CLIENT_CRT, sslkey: CLIENT_KEY, user: USER }, common()),
    });
  } finally {
    if (before === undefined) delete process.env.DBDOCTOR_SSLPASSWORD;
    else process.env.DBDOCTOR_SSLPASSWORD = before;
  }
  // audit: the password in one file, a folder named like a dangerous word holding another setting
  const auditDir = join(dir, "audit");
  const other = join(auditDir, "postgres", folder);
  mkdirSync(other, { recursive: true });
  writeFileSync(join(auditDir, ".env"), `SKILLFLAW_DATABASE_URL=postgresql://${USER}:${enc}@${HOST}:5432/${DB}\n`);
  writeFileSync(join(other, "app.env"), `DATABASE_URL=postgresql://${USER}@${HOST}:5432/${DB}?sslmode=verify-full\n`);
  out.push({
    command: "audit",
    shape: "a tree of .env files",
    report: await runAudit({ paths: [auditDir] }, common()),
  });
  return out;
}

async function render(report: AnyReport, format: Format): Promise<string> {
  let text = "";
  await writeOutputs(report, [{ format, path: null }], {
    color: false,
    verbose: true,
    width: undefined,
    writeStdout: (t) => {
      text += t;
    },
  });
  return text;
}

const WORD = /[\p{L}\p{N}_]/u;
/** Occurrences of `word` as a token (not glued to letters or digits). */
function tokenCount(text: string, word: string): number {
  let n = 0;
  for (let i = text.indexOf(word); i >= 0; i = text.indexOf(word, i + 1)) {
    const before = text[i - 1];
    const after = text[i + word.length];
    if (
      (before === undefined || !WORD.test(before) || !WORD.test(word[0] as string)) &&
      (after === undefined || !WORD.test(after) || !WORD.test(word.at(-1) as string))
    )
      n++;
  }
  return n;
}

/** What differs between two runs of the same input regardless of the password: clocks and durations. */
function normalize(text: string): string {
  return text
    .replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z/g, "TIME")
    .replace(
      /"(durationMs|resolve|conninfo|files|server|modes|ops|total|discover|extract|pipeline|live)": \d+/g,
      '"$1": N',
    )
    .replace(/\b(time|timestamp)="[^"]*"/g, '$1="T"')
    .replace(/\b\d+(\.\d+)?\s?(ms|s)\b/g, "N ms");
}

interface Rendered {
  run: Run;
  format: Format;
  text: string;
}

const junitDocs: string[] = [];
let outputs = 0;

/** Parses and validates one output, and checks that the vocabulary the issue names is shown intact. */
function validate({ run, format, text }: Rendered, pw: string): void {
  const where = `${run.command} ${run.shape} --format ${format} (password ${JSON.stringify(pw)})`;
  outputs++;
  if (format === "json") {
    const json = JSON.parse(text) as Record<string, unknown>;
    const errors = run.command === "audit" ? auditSchemaErrors(json) : reportSchemaErrors(json);
    expect(errors, where).toEqual([]);
    if (run.command === "parse" || run.command === "check") {
      const c = json.conninfo as { params: Record<string, string>; effective: Record<string, { value: string }> };
      expect(c.params.user, where).toBe(USER);
      expect(c.params.dbname, where).toBe(DB);
      expect(c.params.host, where).toBe(HOST);
      expect(c.params.password, where).toBe("********");
      expect(c.effective.sslrootcert?.value, where).toBe(ROOT_CRT);
      const redacted = (json.input as { redacted: string }).redacted;
      if (run.shape === "keyword/value")
        expect(redacted, where).toContain(`host=${HOST} port=5432 user=${USER} dbname=${DB} password=********`);
      else
        expect(redacted, where).toMatch(
          new RegExp(`^postgresql(\\+psycopg)?://${USER}:\\*{8}@${HOST.replace(/\./g, "\\.")}:5432/${DB}\\?`),
        );
      expect(Object.keys(c.params), where).not.toContain("********");
    }
    if (run.command === "certs") {
      const files = (json.files as { value: { files: Array<{ path: string }> } }).value.files.map((f) => f.path);
      expect(files, where).toEqual(expect.arrayContaining([ROOT_CRT, CLIENT_CRT, CLIENT_KEY]));
    }
    if (run.command === "audit") {
      const settings = json.settings as Array<{ location: { file: string } }>;
      const files = settings.map((s) => s.location.file).sort();
      expect(files.length, where).toBe(2);
      for (const f of files) expect(text, where).toContain(f);
      expect(
        files.some((f) => f.endsWith("app.env") && f.includes("postgres")),
        where,
      ).toBe(true);
    }
  } else if (format === "sarif") {
    expect(sarifSchemaErrors(text), where).toEqual(SARIF_VALID);
  } else if (format === "junit") {
    junitDocs.push(text);
  } else if (format === "github") {
    for (const line of text.split("\n").filter((l) => l !== ""))
      expect(line, where).toMatch(/^(::(error|warning|notice)( [^\n]*)?::[^\n]*|[^:][^\n]*)$/);
  }
  if ((format === "text" || format === "markdown") && (run.command === "parse" || run.command === "check")) {
    for (const v of [USER, DB, HOST, ROOT_CRT]) expect(text, `${where}: shows ${v}`).toContain(v);
    if (run.command === "parse" && run.shape === "libpq URL")
      expect(text, where).toContain(`postgresql://${USER}:********@${HOST}:5432/${DB}`);
  }
  if ((format === "text" || format === "markdown") && run.command === "certs")
    for (const v of [ROOT_CRT, CLIENT_CRT, CLIENT_KEY]) expect(text, where).toContain(v);
  if (run.command === "audit" && format !== "junit" && format !== "openmetrics")
    expect(text, where).toMatch(/postgres[/\\][^\s"]+[/\\]app\.env/);
}

/** All outputs of one password, validated; `folder` names a folder of the audited tree (a dangerous word). */
async function outputsFor(pw: string, folder = /^[A-Za-z0-9_.-]+$/.test(pw) ? pw : "root"): Promise<Rendered[]> {
  const all: Rendered[] = [];
  for (const run of await runs(pw, folder))
    for (const format of FORMATS) {
      const r = { run, format, text: await render(run.report, format) };
      validate(r, pw);
      all.push(r);
    }
  return all;
}

function leakCheck(pw: string, mine: Rendered[], theirs: Rendered[] | null): void {
  for (const [i, r] of mine.entries()) {
    const where = `${r.run.command} ${r.run.shape} --format ${r.format} (password ${JSON.stringify(pw)})`;
    if (pw.includes(MARK)) {
      const at = r.text.indexOf(MARK);
      if (at >= 0)
        throw new Error(`${where}: the password leaked near ${JSON.stringify(r.text.slice(at - 60, at + 60))}`);
      continue;
    }
    if (theirs === null) continue;
    const other = theirs[i] as Rendered;
    expect(tokenCount(normalize(r.text), pw), `${where}: "${pw}" occurs as often as with another password`).toBe(
      tokenCount(normalize(other.text), pw),
    );
  }
}

describe("every offline command in every format, whatever the password", () => {
  it("holds for the dangerous passwords (counted against a password of the same kind)", async () => {
    for (const pw of DANGEROUS) {
      const folder = /^[A-Za-z0-9_.-]+$/.test(pw) ? pw : "root";
      const mine = await outputsFor(pw, folder);
      // The user's or database's own name is shown as that name: nothing to count.
      const legit = pw === USER || pw === DB;
      leakCheck(pw, mine, legit || pw.includes(MARK) ? null : await outputsFor(counterpart(pw), folder));
    }
  }, 600_000);

  it("holds for random passwords with characters that need percent-encoding", async () => {
    await fc.assert(
      fc.asyncProperty(randomPassword, async (pw) => {
        leakCheck(pw, await outputsFor(pw), null);
      }),
      { numRuns: 25, seed: 1313 },
    );
  }, 600_000);

  it.skipIf(!PYTHON)("every JUnit document is well-formed XML with true counts", () => {
    expect(junitDocs.length).toBeGreaterThan(0);
    const bad = checkJunitXml(junitDocs).filter((c) => c.error !== null || c.mismatches.length > 0);
    expect(bad).toEqual([]);
    console.log(`secrets property: ${outputs} outputs validated from ${runCount} password runs`);
  });
});

describe("the built CLI, as a process", () => {
  it("parse and audit keep the vocabulary and hide the password: postgres, true, 5432", () => {
    for (const pw of ["postgres", "true", "5432"]) {
      const r = runCli(["parse", `postgresql://${USER}:${pw}@${HOST}:5432/${DB}`, "--format", "json"], {
        env: { HOME: join(root, "postgres", "root") },
      });
      expect(r.status, r.stderr).toBe(0);
      const json = JSON.parse(r.stdout) as {
        input: { redacted: string };
        conninfo: { params: Record<string, string> };
      };
      expect(reportSchemaErrors(json)).toEqual([]);
      expect(json.input.redacted).toBe(`postgresql://${USER}:********@${HOST}:5432/${DB}`);
      expect(json.conninfo.params).toMatchObject({ user: USER, dbname: DB, host: HOST, port: "5432" });
    }
    const dir = join(root, "cli-audit");
    mkdirSync(join(dir, "postgres"), { recursive: true });
    writeFileSync(join(dir, "a.env"), "SKILLFLAW_DATABASE_URL=postgresql://postgres:postgres@db.example.com/app\n");
    writeFileSync(join(dir, "postgres", "b.env"), "DATABASE_URL=postgresql://app@db.example.com/app\n");
    const r = runCli(["audit", dir, "--format", "sarif"], { cwd: root });
    const log = JSON.parse(r.stdout) as unknown;
    expect(sarifSchemaErrors(log)).toEqual(SARIF_VALID);
    expect(r.stdout).toContain(`${relative(root, join(dir, "postgres", "b.env"))}`);
    expect(readFileSync(join(dir, "a.env"), "utf8")).toContain("postgres:postgres");
    expect(r.stdout).not.toContain("postgres:postgres");
  });
});
