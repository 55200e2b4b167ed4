// One fixture case per finding code of the conninfo family (fixtures/conninfo/rules-cases.json), run through the
// real parser and option checks, so each finding is tied to what libpq reads.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseLibpqConninfo, validateOptions } from "../../../src/conninfo/libpq.js";
import type { EffectiveParam } from "../../../src/conninfo/types.js";
import type { LibpqMajor } from "../../../src/model/options.js";
import { CONNINFO_FINDINGS } from "../../../src/rules/definitions/conninfo.js";
import { conninfoRules } from "../../../src/rules/sslmode.js";

interface RuleCase {
  name: string;
  input: string;
  major: LibpqMajor;
  env?: Record<string, string>;
  files?: string[];
  expect: Record<string, string[]>;
  absent?: string[];
  absentAll?: boolean;
  never?: string[];
  notInHint?: Record<string, string>;
}

const { cases } = JSON.parse(
  readFileSync(fileURLToPath(new URL("../../../fixtures/conninfo/rules-cases.json", import.meta.url)), "utf8"),
) as { cases: RuleCase[] };

const HOME_ROOT = "/home/app/.postgresql/root.crt";

/** The stage facts for a case: what libpq parses, plus environment values and the defaults libpq would add. */
function run(c: RuleCase) {
  const parsed = parseLibpqConninfo(c.input, c.major);
  const params = parsed.ok ? parsed.params : {};
  const effective: Record<string, EffectiveParam> = {};
  for (const [k, v] of Object.entries(params)) effective[k] = { value: v, source: "connstring" };
  for (const [k, v] of Object.entries(c.env ?? {}))
    effective[k] ??= { value: v, source: "env", detail: `PG${k.toUpperCase()}` };
  if (!effective.sslmode) {
    const system = effective.sslrootcert?.value === "system" && c.major >= 16;
    effective.sslmode = { value: system ? "verify-full" : "prefer", source: "default" };
  }
  if (!effective.sslrootcert?.value) effective.sslrootcert = { value: HOME_ROOT, source: "default" };
  const values = Object.fromEntries(Object.entries(effective).map(([k, p]) => [k, p.value]));
  const errors = parsed.ok ? validateOptions(values, c.major) : [parsed.error];
  const files = new Set(c.files ?? []);
  return conninfoRules({
    params,
    effective,
    errors,
    major: c.major,
    format: parsed.format,
    raw: c.input,
    fileExists: (p) => files.has(p),
  });
}

describe("conninfo and sslmode findings", () => {
  it("every code of the family has a fixture case", () => {
    const covered = new Set(cases.flatMap((c) => Object.keys(c.expect)));
    expect([...Object.keys(CONNINFO_FINDINGS)].filter((code) => !covered.has(code))).toEqual([]);
  });

  for (const c of cases) {
    it(`${c.name}: ${c.input}`, () => {
      const findings = run(c);
      const codes = findings.map((f) => f.code);
      for (const [code, needles] of Object.entries(c.expect)) {
        const f = findings.find((x) => x.code === code);
        expect(f, `${code} in ${JSON.stringify(codes)}`).toBeDefined();
        const text = `${f?.message}\n${f?.hint}`;
        for (const n of needles) expect(text).toContain(n);
        expect(f?.severity).toBe(CONNINFO_FINDINGS[code as keyof typeof CONNINFO_FINDINGS].severity);
      }
      for (const code of c.absent ?? []) expect(codes).not.toContain(code);
      if (c.absentAll) expect(codes).toEqual([]);
      for (const secret of c.never ?? []) expect(JSON.stringify(findings)).not.toContain(secret);
      for (const [code, word] of Object.entries(c.notInHint ?? {}))
        expect(findings.find((x) => x.code === code)?.hint).not.toContain(word);
    });
  }
});
