import { describe, expect, it } from "vitest";
import { envVarFor, keywordIntroducedIn, keywordRemovedIn, keywordsFor } from "../../../src/conninfo/libpq.js";
import { LIBPQ_MAJORS } from "../../../src/model/options.js";

describe("libpq keyword tables", () => {
  it("libpq 15 has exactly the 36 keywords of its PQconninfoOptions", () => {
    const pg15 = [
      "service",
      "user",
      "password",
      "passfile",
      "channel_binding",
      "connect_timeout",
      "dbname",
      "host",
      "hostaddr",
      "port",
      "client_encoding",
      "options",
      "application_name",
      "fallback_application_name",
      "keepalives",
      "keepalives_idle",
      "keepalives_interval",
      "keepalives_count",
      "tcp_user_timeout",
      "sslmode",
      "sslcompression",
      "sslcert",
      "sslkey",
      "sslpassword",
      "sslrootcert",
      "sslcrl",
      "sslcrldir",
      "sslsni",
      "requirepeer",
      "ssl_min_protocol_version",
      "ssl_max_protocol_version",
      "gssencmode",
      "krbsrvname",
      "gsslib",
      "replication",
      "target_session_attrs",
    ];
    expect([...keywordsFor(15)].sort()).toEqual([...pg15].sort());
  });

  it("each major adds and drops what its release did", () => {
    const diff = (a: number, b: number) => [...keywordsFor(b as 12)].filter((k) => !keywordsFor(a as 12).has(k)).sort();
    expect(diff(12, 13)).toEqual([
      "channel_binding",
      "ssl_max_protocol_version",
      "ssl_min_protocol_version",
      "sslpassword",
    ]);
    expect(diff(13, 14)).toEqual(["sslcrldir", "sslsni"]);
    expect(diff(14, 15)).toEqual([]);
    expect(diff(15, 16)).toEqual(["gssdelegation", "load_balance_hosts", "require_auth", "sslcertmode"]);
    expect(diff(16, 17)).toEqual(["sslnegotiation"]);
    expect(diff(17, 18)).toEqual([
      "max_protocol_version",
      "min_protocol_version",
      "oauth_client_id",
      "oauth_client_secret",
      "oauth_issuer",
      "oauth_scope",
      "scram_client_key",
      "scram_server_key",
      "sslkeylogfile",
    ]);
    expect(keywordsFor(13).has("tty")).toBe(true);
    expect(keywordsFor(14).has("tty")).toBe(false);
    expect(keywordsFor(14).has("authtype")).toBe(false);
    expect(keywordsFor(12).has("gssencmode")).toBe(true);
    for (const m of LIBPQ_MAJORS) expect(keywordsFor(m).has("requiressl")).toBe(false);
  });

  it("names the major that introduced or removed a keyword", () => {
    expect(keywordIntroducedIn("sslnegotiation")).toBe(17);
    expect(keywordIntroducedIn("sslrootcert")).toBe(12);
    expect(keywordIntroducedIn("channel_binding")).toBe(13);
    expect(keywordIntroducedIn("sslcrldir")).toBe(14);
    expect(keywordIntroducedIn("sslsni")).toBe(14);
    expect(keywordIntroducedIn("require_auth")).toBe(16);
    expect(keywordIntroducedIn("oauth_issuer")).toBe(18);
    expect(keywordIntroducedIn("sslMode")).toBeNull();
    expect(keywordRemovedIn("tty")).toBe(14);
    expect(keywordRemovedIn("host")).toBeNull();
  });

  it("maps keywords to the environment variables of that major", () => {
    expect(envVarFor("sslmode", 15)).toBe("PGSSLMODE");
    expect(envVarFor("sslnegotiation", 17)).toBe("PGSSLNEGOTIATION");
    expect(envVarFor("sslnegotiation", 16)).toBeUndefined();
    expect(envVarFor("sslcertmode", 16)).toBe("PGSSLCERTMODE");
    expect(envVarFor("require_auth", 16)).toBe("PGREQUIREAUTH");
    expect(envVarFor("load_balance_hosts", 16)).toBe("PGLOADBALANCEHOSTS");
    expect(envVarFor("connect_timeout", 12)).toBe("PGCONNECT_TIMEOUT");
    expect(envVarFor("ssl_min_protocol_version", 13)).toBe("PGSSLMINPROTOCOLVERSION");
    expect(envVarFor("sslpassword", 18)).toBeUndefined();
    expect(envVarFor("keepalives", 15)).toBeUndefined();
    expect(envVarFor("min_protocol_version", 18)).toBe("PGMINPROTOCOLVERSION");
  });
});
