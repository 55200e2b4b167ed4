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
  it("keeps a tunnel's address: host=<name on the certificate> hostaddr=<the address connected to>", () => {
    const tunnel = { ...target, host: "127.0.0.1", certNames: ["db.internal", "10.0.0.5"] };
    expect(fixFor("hostname-mismatch", tunnel)).toContain("host=db.internal hostaddr=127.0.0.1");
    expect(fixFor("hostname-mismatch", { ...tunnel, host: "localhost" })).toContain(
      "host=db.internal hostaddr=127.0.0.1",
    );
    // A DNS name that is simply not on the certificate: use the name on it.
    expect(fixFor("hostname-mismatch", { ...tunnel, host: "db.example.com" })).toContain("Use host db.internal");
    expect(fixFor("hostname-mismatch", { ...target, certNames: [] })).toContain("Reissue");
  });
  it("has a concrete fix for every cause in the closed set", () => {
    for (const cause of CAUSES) expect(fixFor(cause, target), cause).not.toBe("See libpq's message.");
  });
});
