// The corpus cannot drift from libpq: every expectation that applies to the installed libpq's major is checked
// against real libpq (PQconninfoParse, and PQconnectdb for the option checks), and dbdoctor's parser is compared
// with libpq on the corpus and on random strings. A disagreement is a bug in dbdoctor's parser.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseLibpqConninfo, validateOptions } from "../../src/conninfo/libpq.js";
import { LIBPQ_MAJORS, type LibpqMajor } from "../../src/model/options.js";
import { libpqOracle, oracleOptionError, oracleParse } from "../helpers/oracle/libpq-oracle.js";
import { corpus, majorsOf, withPort } from "../unit/conninfo/corpus.js";

const oracle = libpqOracle();
const major = (oracle.available ? oracle.major : 0) as LibpqMajor;
const skip = !oracle.available || !(LIBPQ_MAJORS as readonly number[]).includes(major);
if (!oracle.available) console.warn(`conninfo oracle tests skipped: ${oracle.reason}`);
else if (skip) console.warn(`conninfo oracle tests skipped: installed libpq ${major} is outside 12..18`);

const ours = (input: string) => {
  const r = parseLibpqConninfo(input, major);
  return r.ok ? { ok: true, params: r.params } : { ok: false, error: r.error.message };
};

describe.skipIf(skip)("conninfo against real libpq", () => {
  const binary = oracle.available ? oracle.binary : "";

  it("every parse expectation for this major is what PQconninfoParse says, and so is our parser", () => {
    const cases = corpus.parse.filter((c) => majorsOf(c).includes(major));
    const libpq = oracleParse(
      binary,
      cases.map((c) => c.input),
    );
    let corpusAgrees = 0;
    let parserAgrees = 0;
    const disagreements: string[] = [];
    cases.forEach((c, i) => {
      const real = libpq[i];
      const realExpect = real?.ok ? { params: real.params } : { error: real?.error };
      if (JSON.stringify(sorted(realExpect)) === JSON.stringify(sorted(c.expect))) corpusAgrees++;
      else disagreements.push(`corpus ${JSON.stringify(c.input)}: libpq ${JSON.stringify(realExpect)}`);
      if (JSON.stringify(sorted(ours(c.input))) === JSON.stringify(sorted(real))) parserAgrees++;
      else disagreements.push(`parser ${JSON.stringify(c.input)}: ours ${JSON.stringify(ours(c.input))}`);
    });
    console.log(
      `libpq ${major} PQconninfoParse: corpus agrees ${corpusAgrees}/${cases.length}, parser agrees ${parserAgrees}/${cases.length}`,
    );
    expect(disagreements).toEqual([]);
    expect(cases.length).toBeGreaterThanOrEqual(150);
  });

  it("every option expectation for this major is libpq's first error before the network", () => {
    const cases = corpus.options.filter((c) => majorsOf(c).includes(major));
    const libpq = oracleOptionError(
      binary,
      cases.map((c) => c.input),
    );
    const disagreements: string[] = [];
    let agree = 0;
    cases.forEach((c, i) => {
      const parsed = parseLibpqConninfo(withPort(c.input), major);
      const mine = parsed.ok ? (validateOptions(parsed.params, major)[0]?.message ?? null) : parsed.error.message;
      const real = libpq[i] ?? null;
      if (real === c.expect.error && mine === real) agree++;
      else
        disagreements.push(
          `${JSON.stringify(c.input)}: libpq ${JSON.stringify(real)}, corpus ${JSON.stringify(c.expect.error)}, ours ${JSON.stringify(mine)}`,
        );
    });
    console.log(`libpq ${major} option checks: ${agree}/${cases.length} agree`);
    expect(disagreements).toEqual([]);
  });

  it("our parser reads 3000 random and mutated strings exactly as libpq does", () => {
    const pieces = [
      "postgresql://",
      "postgres://",
      "@",
      ":",
      "/",
      "?",
      "&",
      "=",
      ",",
      "[",
      "]",
      "%",
      "%2",
      "%25",
      "%00",
      "%zz",
      "%41",
      "'",
      "\\",
      " ",
      "\t",
      "\n",
      "host",
      "user",
      "password",
      "sslmode",
      "ssl",
      "true",
      "requiressl",
      "1",
      "dbname",
      "port",
      "5432",
      "::1",
      "é",
      "+",
      "#",
      "uzer",
      "hostaddr",
    ];
    const piece = fc.constantFrom(...pieces);
    const arb = fc.oneof(
      fc.array(piece, { maxLength: 12 }).map((a) => a.join("")),
      fc.string({ maxLength: 30 }).map((s) => s.replace(/\0/g, "")),
      fc
        .tuple(
          fc.constantFrom("postgresql://", "host="),
          fc.array(fc.oneof(piece, fc.string({ maxLength: 4 })), { maxLength: 10 }),
        )
        .map(([a, b]) => (a + b.join("")).replace(/\0/g, "")),
    );
    const inputs = fc.sample(arb, { numRuns: 3000, seed: 20240915 });
    const libpq = oracleParse(binary, inputs);
    const diffs: string[] = [];
    inputs.forEach((s, i) => {
      if (JSON.stringify(sorted(ours(s))) !== JSON.stringify(sorted(libpq[i])))
        diffs.push(`${JSON.stringify(s)}: libpq ${JSON.stringify(libpq[i])} ours ${JSON.stringify(ours(s))}`);
    });
    console.log(`libpq ${major} random strings: ${inputs.length - diffs.length}/${inputs.length} agree`);
    expect(diffs.slice(0, 20)).toEqual([]);
  });

  it("our option checks agree with libpq on 600 random option combinations", () => {
    const opt = (kw: string, values: string[]) =>
      fc.option(
        fc.constantFrom(...values).map((v) => `${kw}='${v}'`),
        { nil: "" },
      );
    const arb = fc
      .tuple(
        fc.constantFrom(
          "host=127.0.0.1",
          "host=127.0.0.1,127.0.0.1",
          "hostaddr=127.0.0.1",
          "host=a,b hostaddr=127.0.0.1,127.0.0.1",
          "host=a hostaddr=127.0.0.1,127.0.0.1",
        ),
        fc.constantFrom(
          "port=@PORT@",
          "port=@PORT@,@PORT@",
          "port=0",
          "port=x",
          "port=@PORT@,70000",
          "port=1,2,3",
          "",
          "port=' @PORT@'",
        ),
        opt("sslmode", [
          "disable",
          "allow",
          "prefer",
          "require",
          "verify-ca",
          "verify-full",
          "verify_full",
          "Require",
          "",
        ]),
        opt("gssencmode", ["disable", "prefer", "require", "maybe"]),
        opt("channel_binding", ["disable", "prefer", "require", "yes"]),
        opt("target_session_attrs", [
          "any",
          "read-write",
          "read-only",
          "primary",
          "standby",
          "prefer-standby",
          "master",
        ]),
        opt("ssl_min_protocol_version", ["TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3", "tlsv1.3", "TLSv2", ""]),
        opt("ssl_max_protocol_version", ["TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3", "SSLv3", ""]),
        opt("connect_timeout", ["10", "-1", "0", "1s", "", " 5 ", "99999999999"]),
      )
      .map((parts) => parts.filter((p) => p !== "").join(" "));
    const inputs = fc.sample(arb, { numRuns: 600, seed: 42 });
    const libpq = oracleOptionError(binary, inputs);
    const diffs: string[] = [];
    inputs.forEach((s, i) => {
      const parsed = parseLibpqConninfo(withPort(s), major);
      const mine = parsed.ok ? (validateOptions(parsed.params, major)[0]?.message ?? null) : parsed.error.message;
      if (mine !== (libpq[i] ?? null))
        diffs.push(`${JSON.stringify(s)}: libpq ${JSON.stringify(libpq[i])} ours ${JSON.stringify(mine)}`);
    });
    console.log(`libpq ${major} random option combinations: ${inputs.length - diffs.length}/${inputs.length} agree`);
    expect(diffs.slice(0, 20)).toEqual([]);
  });
});

function sorted(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sorted);
  if (v !== null && typeof v === "object") {
    const o: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) o[k] = sorted((v as Record<string, unknown>)[k]);
    return o;
  }
  return v;
}
