import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { makeScrubber } from "../../../src/audit/scrub.js";
import { scrubString } from "../../../src/report/redact.js";

describe("the one-pass scrubber", () => {
  it("masks raw, percent-encoded and JSON-escaped forms, longest first, and leaves short secrets alone", () => {
    const scrub = makeScrubber(["p@ss w0rd", 'q"uote', "abc"]);
    expect(scrub("a p@ss w0rd b p%40ss%20w0rd c")).toBe("a ******** b ******** c");
    expect(scrub('{"x":"q\\"uote"} q"uote')).toBe('{"x":"********"} ********');
    expect(scrub("abc stays")).toBe("abc stays");
    expect(makeScrubber([])("anything")).toBe("anything");
  });

  it("agrees with scrubString (src/report/redact.ts) on random texts and secrets", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.string({ minLength: 4, maxLength: 12 }), { maxLength: 6 }),
        fc.array(fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom("a", " ", "%")), { maxLength: 12 }),
        (secrets, parts) => {
          // No secret inside another or overlapping at the joins: then both must mask exactly the same spans.
          fc.pre(
            secrets.every((s) =>
              secrets.every((t) => s === t || (!s.includes(t.slice(0, 4)) && !t.includes(s.slice(0, 4)))),
            ),
          );
          const text = parts.map((p, i) => `${p}${secrets[i % Math.max(1, secrets.length)] ?? ""}`).join("|");
          const mine = makeScrubber(secrets)(text);
          for (const s of secrets) if (s.length >= 4) expect(mine).not.toContain(s);
          expect(mine).toBe(scrubString(text, secrets));
        },
      ),
      { numRuns: 500 },
    );
  });
});
