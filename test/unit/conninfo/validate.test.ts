// Option checks beyond the corpus: every error in libpq's order, version switches, require_auth's list grammar.
import { describe, expect, it } from "vitest";
import { validateOptions } from "../../../src/conninfo/libpq.js";

const msgs = (e: Record<string, string>, m: 12 | 13 | 14 | 15 | 16 | 17 | 18) =>
  validateOptions(e, m).map((x) => x.message);

describe("validateOptions", () => {
  it("reports every invalid value in libpq's order, stage options, with the keyword", () => {
    const errors = validateOptions({ sslmode: "verify_full", gssencmode: "maybe", target_session_attrs: "master" }, 15);
    expect(errors.map((e) => e.message)).toEqual([
      'invalid sslmode value: "verify_full"',
      'invalid gssencmode value: "maybe"',
      'invalid target_session_attrs value: "master"',
    ]);
    expect(errors.every((e) => e.stage === "options")).toBe(true);
    expect(errors.map((e) => e.keyword)).toEqual(["sslmode", "gssencmode", "target_session_attrs"]);
  });

  it("accepts libpq's defaults and valid values", () => {
    expect(msgs({}, 17)).toEqual([]);
    expect(msgs({ sslmode: "verify-full", sslrootcert: "system", sslnegotiation: "direct" }, 17)).toEqual([]);
    expect(msgs({ host: "a,b,c", port: "5432" }, 15)).toEqual([]);
    expect(msgs({ host: "a,b", port: "1,2", connect_timeout: "-3" }, 15)).toEqual([]);
  });

  it("weak sslmode with sslrootcert=system from 16, not before; the system roots make verify-full the default", () => {
    expect(msgs({ sslrootcert: "system", sslmode: "verify-ca" }, 16)).toEqual([
      'weak sslmode "verify-ca" may not be used with sslrootcert=system (use "verify-full")',
    ]);
    expect(msgs({ sslrootcert: "system", sslmode: "verify-ca" }, 15)).toEqual([]);
    expect(msgs({ sslrootcert: "system" }, 16)).toEqual([]);
  });

  it("sslnegotiation exists from 17 and needs an encrypted mode", () => {
    expect(msgs({ sslnegotiation: "direct", sslmode: "allow" }, 17)).toEqual([
      'weak sslmode "allow" may not be used with sslnegotiation=direct (use "require", "verify-ca", or "verify-full")',
    ]);
    expect(msgs({ sslnegotiation: "direct", sslmode: "require" }, 18)).toEqual([]);
    expect(msgs({ sslnegotiation: "nope" }, 16)).toEqual([]);
    // an invalid sslmode is reported once; the direct check never runs on it
    expect(msgs({ sslnegotiation: "direct", sslmode: "Require" }, 17)).toEqual(['invalid sslmode value: "Require"']);
  });

  it("TLS protocol bounds: 13+, default minimum TLSv1.2, 18 quotes the keyword", () => {
    expect(msgs({ ssl_max_protocol_version: "TLSv1.1" }, 13)).toEqual(["invalid SSL protocol version range"]);
    expect(msgs({ ssl_max_protocol_version: "TLSv1.1" }, 12)).toEqual([]);
    expect(msgs({ ssl_min_protocol_version: "TLSv9" }, 17)).toEqual([
      'invalid ssl_min_protocol_version value: "TLSv9"',
    ]);
    expect(msgs({ ssl_min_protocol_version: "TLSv9" }, 18)).toEqual([
      'invalid "ssl_min_protocol_version" value: "TLSv9"',
    ]);
    expect(msgs({ ssl_min_protocol_version: "TLSv1", ssl_max_protocol_version: "tlsv1" }, 15)).toEqual([]);
  });

  it("target_session_attrs: 12 and 13 know any and read-write only", () => {
    expect(msgs({ target_session_attrs: "standby" }, 13)).toEqual(['invalid target_session_attrs value: "standby"']);
    expect(msgs({ target_session_attrs: "standby" }, 14)).toEqual([]);
  });

  it("require_auth list grammar (16+)", () => {
    expect(msgs({ require_auth: "!password,!md5" }, 16)).toEqual([]);
    expect(msgs({ require_auth: "none,scram-sha-256" }, 16)).toEqual([]);
    expect(msgs({ require_auth: "none,none" }, 16)).toEqual(['require_auth method "none" is specified more than once']);
    expect(msgs({ require_auth: "!none,!none" }, 16)).toEqual([
      'require_auth method "!none" is specified more than once',
    ]);
    expect(msgs({ require_auth: "!scram-sha-256,!scram-sha-256" }, 16)).toEqual([
      'require_auth method "!scram-sha-256" is specified more than once',
    ]);
    expect(msgs({ require_auth: "oauth" }, 17)).toEqual(['invalid require_auth value: "oauth"']);
    expect(msgs({ require_auth: "oauth" }, 18)).toEqual([]);
    expect(msgs({ require_auth: "bogus" }, 15)).toEqual([]);
  });

  it("port and connect_timeout checks follow libpq's connection loop", () => {
    expect(msgs({ host: "a,b", port: "0,70000", connect_timeout: "x" }, 15)).toEqual([
      'invalid port number: "0"',
      'invalid port number: "70000"',
    ]);
    expect(msgs({ host: "a,b", port: "x,1" }, 15)).toEqual(['invalid integer value "x" for connection option "port"']);
    expect(msgs({ host: "a,b", port: "1,x" }, 15)).toEqual([]);
    expect(msgs({ port: "+5432" }, 15)).toEqual([]);
    expect(msgs({ connect_timeout: "2147483648" }, 15)).toEqual([
      'invalid integer value "2147483648" for connection option "connect_timeout"',
    ]);
    expect(msgs({ hostaddr: "1.1.1.1,2.2.2.2", host: "a,b,c", port: "1,2,3" }, 15)).toEqual([
      "could not match 3 host names to 2 hostaddr values",
    ]);
  });
});
