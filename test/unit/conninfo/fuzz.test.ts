// Robustness and secrecy properties of the parser: it never throws on any input, and a password never reaches
// the redacted text of an error, nor the stage's facts or the rules' findings, whichever part of the string is broken.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { analyzeConninfo } from "../../../src/conninfo/analyze.js";
import {
  parseLibpqConninfo,
  redactConninfoString,
  reportableMessage,
  uriEncodeComponent,
  validateOptions,
} from "../../../src/conninfo/libpq.js";
import { LIBPQ_MAJORS, type LibpqMajor } from "../../../src/model/options.js";
import { argument, context, judged } from "../../helpers/conninfo.js";
import { corpus } from "./corpus.js";

const major = fc.constantFrom(...LIBPQ_MAJORS);
const seeds = corpus.parse.map((c) => c.input).filter((s) => s.length > 0);

/** A corpus string with random characters inserted, deleted or replaced. */
const mutated = fc
  .tuple(
    fc.constantFrom(...seeds),
    fc.array(
      fc.tuple(
        fc.nat(),
        fc.constantFrom("insert", "delete", "replace"),
        fc.constantFrom("@", ":", "/", "?", "&", "=", "%", "[", "]", ",", "'", "\\", " ", "\t", "#", "+", "é", "\0"),
      ),
      { maxLength: 6 },
    ),
  )
  .map(([s, edits]) => {
    let out = s;
    for (const [pos, op, ch] of edits) {
      const i = out.length === 0 ? 0 : pos % (out.length + 1);
      if (op === "insert") out = out.slice(0, i) + ch + out.slice(i);
      else if (op === "delete") out = out.slice(0, i) + out.slice(i + 1);
      else out = out.slice(0, i) + ch + out.slice(i + 1);
    }
    return out;
  });

const anyInput = fc.oneof(
  fc.string({ maxLength: 80 }),
  fc.string({ unit: "grapheme", maxLength: 40 }),
  fc.string({ unit: "binary", maxLength: 40 }),
  mutated,
  mutated.map((s) => `postgresql://${s}`),
);

describe("parseLibpqConninfo on arbitrary input", () => {
  it("never throws and always returns a well-formed result (10,000 inputs)", () => {
    fc.assert(
      fc.property(anyInput, major, (input, m) => {
        const r = parseLibpqConninfo(input, m);
        expect(r.format === "uri" || r.format === "keyword-value").toBe(true);
        if (r.ok) {
          for (const v of Object.values(r.params)) expect(typeof v).toBe("string");
          expect(Array.isArray(validateOptions(r.params, m))).toBe(true);
        } else {
          expect(r.error.stage).toBe("parse");
          expect(r.error.message.length).toBeGreaterThan(0);
          expect(typeof reportableMessage(r.error)).toBe("string");
        }
        expect(typeof redactConninfoString(input)).toBe("string");
      }),
      { numRuns: 10_000, seed: 1 },
    );
  });
});

// Passwords use upper case, digits and URI/keyword-value metacharacters; everything else in the strings is lower
// case, so any run of password characters with a letter or digit in an output text is a leak.
const PW_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789@:/?#&=%+' \\".split("");
const password = fc
  .array(fc.constantFrom(...PW_CHARS), { minLength: 6, maxLength: 16 })
  .map((a) => a.join(""))
  .filter((p) => /[A-Z0-9]{2}/.test(p));

function leaks(text: string, pw: string): string | null {
  for (let len = Math.min(pw.length, 8); len >= 4; len--)
    for (let i = 0; i + len <= pw.length; i++) {
      const piece = pw.slice(i, i + len);
      if (/[A-Z0-9]/.test(piece) && text.includes(piece)) return piece;
    }
  return null;
}

/** Broken parts placed around the password: each makes libpq's parser fail somewhere else. */
const uriBreakage = fc.constantFrom(
  { host: "h%zz", query: "" },
  { host: "[::1", query: "" },
  { host: "[]", query: "" },
  { host: "[::1]x", query: "" },
  { host: "host", query: "?ssl=1" },
  { host: "host", query: "?sslmode" },
  { host: "host", query: "?a=b=c" },
  { host: "host", query: "?sslmode=%zz" },
  { host: "host", query: "?sslMode=require" },
  { host: "ho st", query: "" },
  { host: "host", query: "?application_name=a b" },
  { host: "host", query: "" },
);

/** What dbdoctor shows of a string libpq reads: the stage's facts (report and rules), the findings, the redactions. */
function redactedTexts(input: string, m: LibpqMajor): string[] {
  const a = analyzeConninfo(argument(input), context({ urlStyle: "libpq", libpq: m }));
  const texts = judged(a).flatMap((f) => [f.message, f.hint ?? "", f.subject, JSON.stringify(f.evidence ?? {})]);
  texts.push(JSON.stringify(a.facts), JSON.stringify(a.ruleFacts), a.redacted);
  const r = parseLibpqConninfo(input, m);
  if (!r.ok) texts.push(reportableMessage(r.error), r.error.keyword ?? "");
  texts.push(redactConninfoString(input));
  return texts;
}

describe("a password never appears in what dbdoctor shows of an error", () => {
  it("percent-encoded password in a URI whose other parts are broken", () => {
    fc.assert(
      fc.property(password, uriBreakage, fc.constantFrom<LibpqMajor>(15, 18), (pw, b, m) => {
        const input = `postgresql://user:${uriEncodeComponent(pw)}@${b.host}/db${b.query}`;
        for (const t of redactedTexts(input, m)) {
          expect(t.includes(pw), `${t} quotes the password`).toBe(false);
          expect(t.includes(uriEncodeComponent(pw)), `${t} quotes the encoded password`).toBe(false);
        }
      }),
      { numRuns: 2000, seed: 2 },
    );
  });

  it("unencoded password in a URI: libpq quotes pieces of it, dbdoctor masks them", () => {
    fc.assert(
      fc.property(password, uriBreakage, fc.constantFrom<LibpqMajor>(15, 18), (pw, b, m) => {
        const input = `postgresql://user:${pw}@${b.host}/db${b.query}`;
        for (const t of redactedTexts(input, m)) expect(leaks(t, pw), `${JSON.stringify(input)} -> ${t}`).toBeNull();
      }),
      { numRuns: 3000, seed: 3 },
    );
  });

  it("password in the query of a URI, also with & and = inside it", () => {
    fc.assert(
      fc.property(password, fc.constantFrom("", "&sslmode=bad", "&uzer=x", "&ssl=1"), (pw, tail) => {
        const input = `postgresql://host/db?password=${pw}${tail}`;
        for (const t of redactedTexts(input, 15)) expect(leaks(t, pw), `${JSON.stringify(input)} -> ${t}`).toBeNull();
      }),
      { numRuns: 2000, seed: 4 },
    );
  });

  it("password in a keyword/value string, quoted or not", () => {
    fc.assert(
      fc.property(
        password,
        fc.constantFrom("", "'"),
        fc.constantFrom("host=db", "host=db sslmode=verify_full", "uzer=x host=db", "host=db port=abc"),
        (pw, quote, rest) => {
          const input = `password=${quote}${pw}${quote} ${rest}`;
          for (const t of redactedTexts(input, 15)) expect(leaks(t, pw), `${JSON.stringify(input)} -> ${t}`).toBeNull();
        },
      ),
      { numRuns: 3000, seed: 5 },
    );
  });

  it("libpq's own message still quotes the component verbatim (what the oracle compares)", () => {
    const r = parseLibpqConninfo("postgresql://user:SECRET%zz@host/db", 15);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.message).toBe('invalid percent-encoded token: "SECRET%zz"');
      expect(reportableMessage(r.error)).toBe('invalid percent-encoded token: "********"');
    }
  });
});

describe("redactConninfoString", () => {
  it("masks passwords in URIs and keyword/value strings, also malformed ones", () => {
    expect(redactConninfoString("postgresql://u:s3cret@host/db")).toBe("postgresql://u:********@host/db");
    expect(redactConninfoString("postgresql://u:p@ss/w?rd@host/db?sslmode=require")).toBe(
      "postgresql://u:********@host/db?sslmode=require",
    );
    expect(redactConninfoString("postgresql://u@host/db?application_name=a@b")).toBe(
      "postgresql://u@host/db?application_name=a@b",
    );
    expect(redactConninfoString("postgresql://host/db?password=a&b&sslmode=require")).toBe(
      "postgresql://host/db?password=********&sslmode=require",
    );
    expect(redactConninfoString("host=db password=foo bar sslmode=require")).toBe(
      "host=db password=******** sslmode=require",
    );
    expect(redactConninfoString("password='it\\'s x' host=db")).toBe("password=******** host=db");
    expect(redactConninfoString("postgresql+psycopg2://u:pw@h/db")).toBe("postgresql+psycopg2://u:********@h/db");
    expect(redactConninfoString("host=db sslpassword=k3y")).toBe("host=db sslpassword=********");
    expect(redactConninfoString("host=db")).toBe("host=db");
  });
});
