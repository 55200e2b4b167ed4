// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} is the .env syntax under test
// The URL-password masking of sanitizeString is a hand-written scan (the regex it replaces was quadratic on long
// runs of letters). Differential test: on random URL-shaped text it masks exactly what that regex masked.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MASK } from "../../../src/conninfo/types.js";
import { sanitizeString } from "../../../src/report/renderers/sanitize.js";

/** The previous implementation, kept here as the reference (fine on short inputs). */
const URL_PASSWORD = /([a-z][a-z0-9+.-]*:\/\/[^:/?#@\s]*:)([^@/?#\s]+)@/gi;
const PLACEHOLDER = /^'?(?:\*+|PASSWORD|<[^<>]*>|\$\{?[A-Za-z_][A-Za-z0-9_]*\}?)'?$/;
const reference = (text: string) =>
  text.replace(URL_PASSWORD, (m, head: string, secret: string) => (PLACEHOLDER.test(secret) ? m : `${head}${MASK}@`));

const PIECES = [
  "postgresql",
  "a",
  "1",
  "+",
  ".",
  "-",
  "://",
  ":",
  "@",
  "/",
  "?",
  "#",
  " ",
  "\n",
  "\u00a0",
  "u",
  "pw",
  "PASSWORD",
  "<x>",
  "${V}",
  "***",
  "é",
  "Z",
];
const text = fc.array(fc.constantFrom(...PIECES), { maxLength: 30 }).map((p) => p.join(""));

describe("sanitizeString URL passwords", () => {
  it("masks what the reference regex masks, on 5000 random texts", () => {
    // No keyword=value or PEM pieces: only the URL rule can change these texts.
    for (const t of fc.sample(text, { numRuns: 5000, seed: 18 })) expect(sanitizeString(t)).toBe(reference(t));
  });

  it("masks the password of a URL and keeps placeholders", () => {
    expect(sanitizeString("x postgresql://u:s3cret@h/d y")).toBe(`x postgresql://u:${MASK}@h/d y`);
    expect(sanitizeString("postgresql://USER:PASSWORD@HOST/db")).toBe("postgresql://USER:PASSWORD@HOST/db");
    expect(sanitizeString("a://b:c@d e://f:g@h")).toBe(`a://b:${MASK}@d e://f:${MASK}@h`);
    expect(sanitizeString("1://u:p@h")).toBe("1://u:p@h");
  });
});
