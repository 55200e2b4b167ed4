// libpq's authentication-side checks (fe-auth.c), case by case; the texts are the ones the real clients printed on
// the lab's auth-methods, sslcertmode and ed25519-signed scenarios (fixtures/clients/outcomes.json).
import { describe, expect, it } from "vitest";
import type { LibpqMajor } from "../../../src/model/options.js";
import {
  type AuthRequestKind,
  type AuthSettings,
  type AuthWireState,
  authSettingsFrom,
  libpqAnswers,
  signatureHasDigest,
} from "../../../src/modes/libpq-auth.js";

const TLS_SCRAM: AuthWireState = { ssl: true, mechanisms: ["SCRAM-SHA-256-PLUS", "SCRAM-SHA-256"] };
const PLAIN_SCRAM: AuthWireState = { ssl: false, mechanisms: ["SCRAM-SHA-256"] };

function s(values: Record<string, string>, major: LibpqMajor = 17): AuthSettings {
  return authSettingsFrom(values, major);
}

const cases: Array<[string, AuthRequestKind, AuthSettings, AuthWireState, string | null]> = [
  ["SCRAM, channel_binding=require over TLS", "sasl", s({ channel_binding: "require" }), TLS_SCRAM, null],
  [
    "SCRAM, channel_binding=require in plaintext",
    "sasl",
    s({ channel_binding: "require" }),
    PLAIN_SCRAM,
    "channel binding required, but SSL not in use",
  ],
  [
    "require_auth=md5 against SCRAM",
    "sasl",
    s({ require_auth: "md5" }),
    TLS_SCRAM,
    'authentication method requirement "md5" failed: server requested SASL authentication',
  ],
  [
    "require_auth=!scram-sha-256, libpq 17",
    "sasl",
    s({ require_auth: "!scram-sha-256" }),
    TLS_SCRAM,
    'authentication method requirement "!scram-sha-256" failed: server requested SASL authentication',
  ],
  [
    "require_auth=!scram-sha-256, libpq 18 names the mechanism it chose",
    "sasl",
    s({ require_auth: "!scram-sha-256" }, 18),
    TLS_SCRAM,
    'authentication method requirement "!scram-sha-256" failed: server requested SCRAM-SHA-256-PLUS authentication',
  ],
  ["require_auth=scram-sha-256 against SCRAM, 18", "sasl", s({ require_auth: "scram-sha-256" }, 18), TLS_SCRAM, null],
  ["require_auth=!md5,!password against SCRAM", "sasl", s({ require_auth: "!md5,!password" }), TLS_SCRAM, null],
  [
    "require_auth=none against SCRAM",
    "sasl",
    s({ require_auth: "none" }, 18),
    TLS_SCRAM,
    'authentication method requirement "none" failed: server requested SASL authentication',
  ],
  [
    "md5 user, channel_binding=require",
    "md5",
    s({ channel_binding: "require" }),
    { ssl: true },
    "channel binding required but not supported by server's authentication request",
  ],
  [
    "md5 user, require_auth=scram-sha-256",
    "md5",
    s({ require_auth: "scram-sha-256" }, 18),
    { ssl: true },
    'authentication method requirement "scram-sha-256" failed: server requested a hashed password',
  ],
  ["md5 user, require_auth=password,md5", "md5", s({ require_auth: "password,md5" }), { ssl: true }, null],
  [
    "password user, require_auth=md5",
    "password",
    s({ require_auth: "md5" }),
    { ssl: true },
    'authentication method requirement "md5" failed: server requested a cleartext password',
  ],
  ["trust user, require_auth=none", "ok", s({ require_auth: "none" }), { ssl: true }, null],
  [
    "trust user, require_auth=!none",
    "ok",
    s({ require_auth: "!none" }),
    { ssl: true },
    'authentication method requirement "!none" failed: server did not complete authentication',
  ],
  [
    "trust user, channel_binding=require",
    "ok",
    s({ channel_binding: "require" }),
    { ssl: true },
    "channel binding required, but server authenticated client without channel binding",
  ],
  [
    "SCRAM-SHA-256-PLUS finished: channel binding satisfied",
    "ok",
    s({ channel_binding: "require" }),
    { ssl: true, scramMechanism: "SCRAM-SHA-256-PLUS", clientFinishedAuth: true },
    null,
  ],
  [
    "sslcertmode=require, no CertificateRequest",
    "ok",
    s({ sslcertmode: "require" }, 16),
    { ssl: true, certificateRequested: false },
    "server did not request an SSL certificate",
  ],
  [
    "sslcertmode=require, requested but none sent",
    "ok",
    s({ sslcertmode: "require" }, 18),
    { ssl: true, certificateRequested: true, certificateSent: false },
    "server accepted connection without a valid SSL certificate",
  ],
  [
    "sslcertmode=require, requested and sent",
    "ok",
    s({ sslcertmode: "require" }, 18),
    { ssl: true, certificateRequested: true, certificateSent: true },
    null,
  ],
  [
    "Ed25519-signed certificate, default channel_binding=prefer",
    "sasl",
    s({}),
    { ...TLS_SCRAM, certSignatureHasDigest: false },
    "could not find digest for NID UNDEF",
  ],
  [
    "Ed25519-signed certificate, channel_binding=disable",
    "sasl",
    s({ channel_binding: "disable" }),
    { ...TLS_SCRAM, certSignatureHasDigest: false },
    null,
  ],
  [
    "PLUS offered in plaintext (an SSL-stripping proxy)",
    "sasl",
    s({}),
    { ssl: false, mechanisms: ["SCRAM-SHA-256-PLUS", "SCRAM-SHA-256"] },
    "server offered SCRAM-SHA-256-PLUS authentication over a non-SSL connection",
  ],
  [
    "libpq 15 ignores require_auth and sslcertmode (it refuses the keywords earlier)",
    "ok",
    s({ require_auth: "md5", sslcertmode: "require" }, 15),
    { ssl: true },
    null,
  ],
];

describe("libpq's answer to an authentication request", () => {
  for (const [name, kind, settings, wire, expected] of cases) {
    it(name, () => {
      expect(libpqAnswers(kind, settings, wire)).toBe(expected);
    });
  }
  it("Ed25519 and Ed448 signatures have no digest; RSA and ECDSA ones do", () => {
    expect(signatureHasDigest("1.3.101.112")).toBe(false);
    expect(signatureHasDigest("1.3.101.113")).toBe(false);
    expect(signatureHasDigest("1.2.840.113549.1.1.11")).toBe(true);
    expect(signatureHasDigest("1.2.840.10045.4.3.2")).toBe(true);
  });
});
