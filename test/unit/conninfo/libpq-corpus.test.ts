// Every corpus expectation, for every libpq major it applies to: the parser must read each string exactly as
// libpq does (params or the exact error), and the option checks must report libpq's first error.
import { describe, expect, it } from "vitest";
import { parseLibpqConninfo, validateOptions } from "../../../src/conninfo/libpq.js";
import type { LibpqMajor } from "../../../src/model/options.js";
import { corpus, majorsOf, withPort } from "./corpus.js";

function read(input: string, major: LibpqMajor) {
  const r = parseLibpqConninfo(input, major);
  return r.ok ? { params: r.params } : { error: r.error.message };
}

function firstOptionError(input: string, major: LibpqMajor): string | null {
  const r = parseLibpqConninfo(input, major);
  if (!r.ok) return r.error.message;
  return validateOptions(r.params, major)[0]?.message ?? null;
}

describe("libpq corpus: parse", () => {
  it("holds at least 150 strings, both formats, and PostgreSQL's own URI vectors", () => {
    expect(corpus.parse.length).toBeGreaterThanOrEqual(150);
    expect(corpus.parse.filter((c) => c.source === "001_uri.pl").length).toBeGreaterThanOrEqual(50);
    expect(corpus.parse.some((c) => parseLibpqConninfo(c.input, 15).format === "keyword-value")).toBe(true);
  });
  for (const c of corpus.parse) {
    for (const major of majorsOf(c)) {
      it(`libpq ${major}: ${JSON.stringify(c.input)} (${c.note})`, () => {
        expect(read(c.input, major)).toEqual(c.expect);
      });
    }
  }
});

describe("libpq corpus: option checks before the network", () => {
  for (const c of corpus.options) {
    for (const major of majorsOf(c)) {
      it(`libpq ${major}: ${JSON.stringify(c.input)} (${c.note})`, () => {
        expect(firstOptionError(withPort(c.input), major)).toBe(c.expect.error);
      });
    }
  }
});
