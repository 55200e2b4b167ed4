import { describe, expect, it } from "vitest";
import { CAUSES } from "../../../../src/model/mode.js";
import { fixFor } from "../../../../src/rules/modes/fix.js";
import { target } from "./fixtures.js";

describe("the fix for each attempt cause", () => {
  it("tells a missing intermediate from an unknown CA when the probe saw the chain stop short", () => {
    expect(fixFor("unknown-ca", { ...target, certIssuer: "CN=inter", chainIncomplete: true })).toContain(
      "without the intermediate CA",
    );
    expect(fixFor("unknown-ca", { ...target, rootPath: "/ca.crt" })).toContain(
      "The root file /ca.crt does not hold the CA",
    );
    expect(fixFor("unknown-ca", target)).toContain("Add sslrootcert=");
  });
  it("has a concrete fix for every cause in the closed set", () => {
    for (const cause of CAUSES) expect(fixFor(cause, target), cause).not.toBe("See libpq's message.");
  });
});
