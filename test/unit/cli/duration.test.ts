import { describe, expect, it } from "vitest";
import { parseDuration } from "../../../src/cli/duration.js";
import { UsageError } from "../../../src/errors.js";

describe("--timeout durations", () => {
  it.each([
    ["5s", 5000],
    ["250ms", 250],
    ["1m", 60_000],
    ["2", 2000],
    ["1.5s", 1500],
  ])("%s is %d ms", (text, ms) => expect(parseDuration(text, "--timeout")).toBe(ms));
  it.each(["", "abc", "5h", "0", "-1s"])("rejects %j with a usage error", (text) => {
    expect(() => parseDuration(text, "--timeout")).toThrow(UsageError);
  });
});
