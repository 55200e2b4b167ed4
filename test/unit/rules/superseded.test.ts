import { describe, expect, it } from "vitest";
import { CODES, dropSuperseded, finding } from "../../../src/rules/registry.js";

describe("findings superseded by a more detailed one", () => {
  it("drops the conninfo guess about the root file once the files stage reported it", () => {
    const guess = finding("sslmode.root-missing", "sslrootcert", "guess");
    const seen = finding("tls.root-missing", "sslrootcert", "seen");
    expect(dropSuperseded([guess, seen]).map((f) => f.code)).toEqual(["tls.root-missing"]);
    expect(dropSuperseded([guess]).map((f) => f.code)).toEqual(["sslmode.root-missing"]);
  });

  it("every supersededBy names a registered code", () => {
    for (const [code, def] of Object.entries(CODES)) {
      if (def.supersededBy) expect(Object.keys(CODES), code).toContain(def.supersededBy);
    }
  });
});
