// Property: whatever the password or sslpassword holds, no part of it reaches the output of `dbdoctor parse`, in text
// or JSON, for URLs (libpq and SQLAlchemy readings), keyword/value strings and .env files, well-formed or not.
// The engine runs in-process and the renderers' raw output is checked (without the CLI's registered-secret scrub).
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import type { CommonOptions } from "../../src/cli/options.js";
import { uriEncodeComponent } from "../../src/conninfo/libpq.js";
import { runParse } from "../../src/engine/parse.js";
import { UsageError } from "../../src/errors.js";
import { renderJson } from "../../src/report/renderers/json.js";
import { renderText } from "../../src/report/renderers/text.js";
import { forgetSecrets } from "../../src/secrets.js";

const dir = mkdtempSync(join(tmpdir(), "dbdoctor-secrets-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const common = (urlStyle: CommonOptions["urlStyle"]): CommonOptions => ({
  format: "json",
  output: undefined,
  failOn: "error",
  timeoutMs: 5000,
  deadlineMs: 15000,
  offline: true,
  urlStyle,
  libpq: 17,
  authProbe: "safe",
  color: false,
  verbose: true,
});

// A marker in the middle makes any leak of the password, or of a piece holding its middle, detectable without
// false alarms from ordinary output text.
const MARK = "Zq9X";
const CHARS = [
  ..."abcXYZ019",
  "@",
  ":",
  "/",
  "?",
  "#",
  "%",
  '"',
  "'",
  " ",
  "\\",
  "=",
  "&",
  "$",
  "{",
  "}",
  "+",
  ",",
  "[",
  "]",
];
const side = fc.array(fc.constantFrom(...CHARS), { maxLength: 10 }).map((a) => a.join(""));
const password = fc
  .tuple(side, side)
  .map(([a, b]) => `${a}${MARK}${b}`)
  .filter((p) => p.length >= 8);

const kvQuote = (s: string) => `'${s.replace(/([\\'])/g, "\\$1")}'`;

interface Case {
  name: string;
  args: Record<string, unknown>;
  env?: NodeJS.ProcessEnv;
  style?: CommonOptions["urlStyle"];
}

function cases(pw: string, n: number): Case[] {
  const enc = uriEncodeComponent(pw);
  const envFile = (name: string, text: string) => {
    const p = join(dir, `${n}-${name}.env`);
    writeFileSync(p, text);
    return { envFile: [p] };
  };
  return [
    { name: "libpq URL, raw", args: { connstring: `postgresql://app:${pw}@db.internal:5432/app?sslmode=require` } },
    { name: "libpq URL, encoded", args: { connstring: `postgresql://app:${enc}@db/app?sslpassword=${enc}` } },
    { name: "libpq URL, raw sslpassword", args: { connstring: `postgresql://db/app?sslpassword=${pw}&sslmode=x` } },
    { name: "SQLAlchemy URL, raw", args: {}, env: { SKILLFLAW_DATABASE_URL: `postgresql+psycopg://app:${pw}@db/app` } },
    {
      name: "SQLAlchemy URL, encoded",
      args: { connstring: `postgresql+psycopg://app:${enc}@db/app?sslmode=verify_full` },
    },
    {
      name: "forced SQLAlchemy reading",
      args: { connstring: `postgresql://app:${pw}@h:5432:5432/db` },
      style: "sqlalchemy",
    },
    {
      name: "keyword/value, quoted",
      args: { connstring: `host=db password=${kvQuote(pw)} sslpassword=${kvQuote(pw)}` },
    },
    { name: "keyword/value, raw", args: { connstring: `host=db password=${pw} sslmode=require` } },
    { name: "keyword/value, raw sslpassword first", args: { connstring: `sslpassword=${pw} host=db` } },
    { name: ".env unquoted", args: envFile("a", `SKILLFLAW_DATABASE_URL=postgresql://app:${pw}@db/app\n`) },
    {
      name: ".env single-quoted",
      args: envFile("b", `export SKILLFLAW_DATABASE_URL='postgresql://app:${pw}@db/app'\n`),
    },
    {
      name: ".env double-quoted",
      args: envFile("c", `SKILLFLAW_DATABASE_URL="postgresql://app:${pw}@db/app"\nPGPASSWORD=${pw}\n`),
    },
    {
      name: ".env PGPASSWORD",
      args: envFile("d", `PGPASSWORD='${pw}'\nSKILLFLAW_DATABASE_URL=postgresql://app@db/app\n`),
    },
  ];
}

describe("no password or sslpassword in parse's output", () => {
  it("holds for 300 random passwords across 13 input shapes", async () => {
    let reports = 0;
    await fc.assert(
      fc.asyncProperty(password, async (pw) => {
        const n = reports;
        for (const c of cases(pw, n)) {
          forgetSecrets();
          let out: string;
          try {
            const report = await runParse(
              { var: "SKILLFLAW_DATABASE_URL", envFile: [], ...c.args },
              common(c.style ?? "auto"),
              { HOME: dir, PATH: process.env.PATH, ...c.env },
            );
            out =
              renderText(report, { color: false, verbose: true }) + renderJson(report, { color: false, verbose: true });
          } catch (err) {
            if (!(err instanceof UsageError)) throw err;
            out = `${err.message}\n${err.hint ?? ""}`;
          }
          reports++;
          if (out.includes(MARK)) {
            const at = out.indexOf(MARK);
            throw new Error(
              `${c.name}: the password leaked near: ${JSON.stringify(out.slice(Math.max(0, at - 60), at + 60))}`,
            );
          }
          expect(out.includes(pw)).toBe(false);
        }
      }),
      { numRuns: 300, seed: 424242 },
    );
    expect(reports).toBeGreaterThanOrEqual(300 * 13);
  });
});
