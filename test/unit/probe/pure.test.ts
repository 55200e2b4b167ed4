import { describe, expect, it } from "vitest";
import type { EffectiveParam } from "../../../src/conninfo/types.js";
import { UsageError } from "../../../src/errors.js";
import {
  classifySslReply,
  errorResponseComplete,
  libpqReplyMessage,
  parseErrorResponse,
  SSL_REQUEST,
} from "../../../src/probe/reply.js";
import { libpqSniName, looksLikeIpLiteralForSni } from "../../../src/probe/sni.js";
import { parseTarget } from "../../../src/probe/target.js";
import type { TlsVersion, VersionStatus } from "../../../src/probe/types.js";
import {
  clientTlsRange,
  commonVersions,
  libpqProtocolRangeHint,
  parseLibpqTlsVersion,
  versionsInRange,
} from "../../../src/probe/versions.js";
import { errorResponse } from "../../helpers/hostile.js";

const param = (value: string): EffectiveParam => ({ value, source: "connstring" });

describe("the SSLRequest", () => {
  it("is exactly 8 bytes: length 8 and code 80877103", () => {
    expect(SSL_REQUEST.toString("hex")).toBe("0000000804d2162f");
    expect(SSL_REQUEST.readUInt32BE(0)).toBe(8);
    expect(SSL_REQUEST.readUInt32BE(4)).toBe(80877103);
  });
});

describe("reply classification, as libpq reads it", () => {
  it("a lone 'S' goes on to TLS with no message", () => {
    const r = classifySslReply(Buffer.from("S"));
    expect(r).toMatchObject({ kind: "S" });
    expect(libpqReplyMessage(r, true)).toBeUndefined();
  });
  it("'S' followed by bytes is libpq's CVE-2021-23222 error", () => {
    const r = classifySslReply(Buffer.from("SR\0\0\0\x08", "latin1"));
    expect(r.kind === "S" && r.extra.length).toBe(5);
    expect(libpqReplyMessage(r, false)).toBe("received unencrypted data after SSL response");
  });
  it("'N' is an error only when SSL is required", () => {
    const r = classifySslReply(Buffer.from("N"));
    expect(libpqReplyMessage(r, true)).toBe("server does not support SSL, but SSL was required");
    expect(libpqReplyMessage(r, false)).toBeUndefined();
  });
  it("'E' uses the post-CVE-2024-10977 wording and parses the ErrorResponse fields", () => {
    const data = errorResponse("no SSL here", "0A000");
    const r = classifySslReply(data);
    expect(libpqReplyMessage(r, false)).toBe("server sent an error response during SSL exchange");
    expect(errorResponseComplete(data)).toBe(true);
    expect(errorResponseComplete(data.subarray(0, data.length - 2))).toBe(false);
    expect(parseErrorResponse(data)).toEqual({
      severity: "FATAL",
      severityNonLocalized: "FATAL",
      code: "0A000",
      message: "no SSL here",
    });
  });
  it("a malformed 'E' gives no fields", () => {
    expect(parseErrorResponse(Buffer.from("Ehello world", "latin1"))).toBeNull();
  });
  it("any other byte is an invalid response, printed like %c (escaped when not printable)", () => {
    expect(libpqReplyMessage(classifySslReply(Buffer.from("HTTP/1.1")), true)).toBe(
      "received invalid response to SSL negotiation: H",
    );
    expect(libpqReplyMessage(classifySslReply(Buffer.from([0x15, 0x03])), true)).toBe(
      "received invalid response to SSL negotiation: \\x15",
    );
  });
});

describe("libpq's SNI rule", () => {
  it.each([
    ["db.example.com", "db.example.com"],
    ["localhost", "localhost"],
    ["db-1", "db-1"],
    ["127.0.0.1", null],
    ["10.1", null],
    ["1234", null], // all digits: libpq's strspn test says "IP literal"
    ["::1", null],
    ["fe80::1%eth0", null],
    ["", null],
  ])("host %j sends SNI %j", (host, sni) => {
    expect(libpqSniName(host, undefined)).toBe(sni);
  });
  it("sslsni=0 (or anything not starting with 1) sends none", () => {
    expect(libpqSniName("db.example.com", "0")).toBeNull();
    expect(libpqSniName("db.example.com", "")).toBeNull();
    expect(libpqSniName("db.example.com", "1")).toBe("db.example.com");
  });
  it("a name with a digit-and-dot prefix is still a name", () => {
    expect(looksLikeIpLiteralForSni("1.2.3.example")).toBe(false);
  });
});

describe("target parsing", () => {
  it.each([
    ["db", { host: "db", port: 5432 }],
    ["db.internal:6432", { host: "db.internal", port: 6432 }],
    ["10.0.0.1:5433", { host: "10.0.0.1", port: 5433 }],
    ["[::1]:5433", { host: "::1", port: 5433 }],
    ["[::1]", { host: "::1", port: 5432 }],
    ["::1", { host: "::1", port: 5432 }],
    ["fe80::1", { host: "fe80::1", port: 5432 }],
  ])("%s", (text, want) => {
    expect(parseTarget(text)).toEqual(want);
  });
  it.each(["", "db:", "db:0", "db:70000", "db:54a", ":5432", "[db]:5432", "[::1]x", "a:b:c"])(
    "rejects %j with a usage error naming it",
    (text) => {
      expect(() => parseTarget(text)).toThrow(UsageError);
    },
  );
});

describe("TLS version ranges", () => {
  const all = (status: VersionStatus, over: Partial<Record<TlsVersion, VersionStatus>> = {}) =>
    Object.fromEntries(
      (["TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"] as const).map((v) => [v, { status: over[v] ?? status }]),
    ) as Record<TlsVersion, { status: VersionStatus }>;

  it("parses libpq's spellings case-insensitively", () => {
    expect(parseLibpqTlsVersion("tlsv1.3")).toBe("TLSv1.3");
    expect(parseLibpqTlsVersion("TLSv1")).toBe("TLSv1");
    expect(parseLibpqTlsVersion("1.2")).toBeNull();
  });
  it("libpq >= 13 defaults to TLSv1.2 and no maximum", () => {
    const r = clientTlsRange({}, 17);
    expect(r).toMatchObject({ min: "TLSv1.2", max: null });
    expect(versionsInRange(r)).toEqual(["TLSv1.2", "TLSv1.3"]);
  });
  it("libpq 12 has no such parameters", () => {
    expect(versionsInRange(clientTlsRange({ ssl_min_protocol_version: param("TLSv1.3") }, 12))).toEqual([
      "TLSv1",
      "TLSv1.1",
      "TLSv1.2",
      "TLSv1.3",
    ]);
  });
  it("an inverted range is libpq's option error and meets nothing", () => {
    const r = clientTlsRange(
      { ssl_min_protocol_version: param("TLSv1.3"), ssl_max_protocol_version: param("TLSv1.2") },
      16,
    );
    expect(r.invalid).toBe("invalid SSL protocol version range");
    expect(commonVersions(all("accepted"), r)).toEqual([]);
  });
  it("a TLS 1.3-only server and a client capped at TLS 1.2 have nothing in common", () => {
    const r = clientTlsRange({ ssl_max_protocol_version: param("TLSv1.2") }, 17);
    expect(commonVersions(all("refused", { "TLSv1.3": "accepted" }), r)).toEqual([]);
    expect(commonVersions(all("refused", { "TLSv1.3": "accepted" }), clientTlsRange({}, 17))).toEqual(["TLSv1.3"]);
  });
  it("is undecided when the only versions in range could not be tested", () => {
    const r = clientTlsRange(
      { ssl_min_protocol_version: param("TLSv1"), ssl_max_protocol_version: param("TLSv1.1") },
      17,
    );
    expect(commonVersions(all("refused", { TLSv1: "untestable", "TLSv1.1": "untestable" }), r)).toBeNull();
  });
  it("libpq's handshake hint names the raw values or OpenSSL's bounds", () => {
    expect(libpqProtocolRangeHint({}, 17)).toBe(
      "This may indicate that the server does not support any SSL protocol version between TLSv1.2 and TLSv1.3.",
    );
    expect(libpqProtocolRangeHint({ ssl_max_protocol_version: param("tlsv1.2") }, 15)).toContain("TLSv1.2 and tlsv1.2");
    expect(libpqProtocolRangeHint({}, 12)).toBeUndefined();
  });
});
