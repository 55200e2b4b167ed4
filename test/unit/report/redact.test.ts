import { describe, expect, it } from "vitest";
import { scrubSecrets, scrubString } from "../../../src/report/redact.js";

describe("secret scrubbing safety net", () => {
  it("replaces raw and percent-encoded forms everywhere in a value", () => {
    const secret = "p@ss w/rd";
    const value = { a: `x ${secret} y`, b: [`${encodeURIComponent(secret)}`], c: 3 };
    const out = scrubSecrets(value, [secret]);
    expect(JSON.stringify(out)).not.toContain(secret);
    expect(JSON.stringify(out)).not.toContain(encodeURIComponent(secret));
    expect(out.c).toBe(3);
  });
  it("leaves text without secrets untouched", () => {
    expect(scrubString("hello", ["longsecret"])).toBe("hello");
  });
});
