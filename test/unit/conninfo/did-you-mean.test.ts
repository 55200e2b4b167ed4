import { describe, expect, it } from "vitest";
import { suggestKeyword, suggestValue } from "../../../src/conninfo/libpq.js";

describe("did you mean", () => {
  it("suggests libpq's exact keyword for case, separator and small typos", () => {
    expect(suggestKeyword("sslMode", 17)).toBe("sslmode");
    expect(suggestKeyword("ssl_mode", 17)).toBe("sslmode");
    expect(suggestKeyword("SSLROOTCERT", 17)).toBe("sslrootcert");
    expect(suggestKeyword("ssl-root-cert", 17)).toBe("sslrootcert");
    expect(suggestKeyword("uzer", 17)).toBe("user");
    expect(suggestKeyword("sslmdoe", 17)).toBe("sslmode");
    expect(suggestKeyword("conect_timeout", 17)).toBe("connect_timeout");
    expect(suggestKeyword("targetsessionattrs", 17)).toBe("target_session_attrs");
  });

  it("knows other drivers' names", () => {
    expect(suggestKeyword("ssl", 17)).toBe("sslmode");
    expect(suggestKeyword("database", 17)).toBe("dbname");
    expect(suggestKeyword("username", 17)).toBe("user");
    expect(suggestKeyword("sslca", 17)).toBe("sslrootcert");
    expect(suggestKeyword("passwd", 17)).toBe("password");
  });

  it("only suggests keywords the modelled libpq has, and nothing for unrelated words", () => {
    expect(suggestKeyword("sslnegotiaton", 17)).toBe("sslnegotiation");
    expect(suggestKeyword("sslnegotiaton", 16)).not.toBe("sslnegotiation");
    expect(suggestKeyword("uselibpqcompat", 17)).toBeUndefined();
    expect(suggestKeyword("zzz", 17)).toBeUndefined();
    expect(suggestKeyword("", 17)).toBeUndefined();
  });

  it("suggests the exact enum value", () => {
    expect(suggestValue("sslmode", "verify_full", 17)).toBe("verify-full");
    expect(suggestValue("sslmode", "VERIFY-FULL", 17)).toBe("verify-full");
    expect(suggestValue("sslmode", "Require", 17)).toBe("require");
    expect(suggestValue("sslmode", "true", 17)).toBe("require");
    expect(suggestValue("sslmode", "no-verify", 17)).toBe("require");
    expect(suggestValue("sslmode", "false", 17)).toBe("disable");
    expect(suggestValue("target_session_attrs", "readwrite", 17)).toBe("read-write");
    expect(suggestValue("target_session_attrs", "primary", 13)).toBeUndefined();
    expect(suggestValue("sslnegotiation", "Direct", 17)).toBe("direct");
    expect(suggestValue("sslmode", "banana", 17)).toBeUndefined();
    expect(suggestValue("host", "x", 17)).toBeUndefined();
  });
});
