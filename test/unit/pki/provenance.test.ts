// A file's provenance is named from its real source (issue 13): a root file from PGSSLROOTCERT is labelled so, not
// "(explicit)"; the connection string, the service file and command-line options likewise; libpq's defaults too.
import { describe, expect, it } from "vitest";
import { analyzeFiles } from "../../../src/pki/analyze.js";

const ROOT = new URL("../../../certs/root-ca.crt", import.meta.url).pathname;

describe("file provenance", () => {
  it("names the variable, the connection string, the option and the default", () => {
    const a = analyzeFiles(
      {
        sslmode: { value: "verify-full", source: "connstring" },
        sslrootcert: { value: ROOT, source: "env", detail: "PGSSLROOTCERT" },
        sslcert: { value: "/nonexistent/client.crt", source: "connstring" },
        sslkey: { value: "/nonexistent/client.key", source: "application", detail: "--sslkey" },
      },
      { libpq: 17, now: new Date(), env: { HOME: "/nonexistent-home" }, securityLevel: 1 },
    );
    expect(a.root?.facts).toMatchObject({ origin: "explicit", from: "PGSSLROOTCERT", exists: true });
    expect(a.cert?.facts.from).toBe("connection string");
    expect(a.key?.file.facts.from).toBe("--sslkey");
    expect(a.crl?.facts).toMatchObject({ origin: "default", from: "default" });
  });
});
