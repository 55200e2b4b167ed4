// libpq's authentication-side requirements, judged from what the server sent: the authentication request type,
// the SASL mechanisms it offered, whether it sent a TLS CertificateRequest, the signature algorithm of its
// certificate. Pure: the attempt records the wire facts, this says where libpq would stop and with which words.
//
// Order and texts follow fe-auth.c: pg_fe_sendauth() calls check_expected_areq() for every request (sslcertmode
// at AuthenticationOk, then require_auth, then channel_binding=require), then pg_SASL_init() (channel binding
// without SSL, mechanism choice, PLUS over a non-SSL connection, channel binding not offered), then the SCRAM
// client-first message, whose tls-server-end-point hash needs a digest for the certificate's signature
// (pgtls_get_peer_certificate_hash: "could not find digest for NID %s").
import type { LibpqMajor } from "../model/options.js";

export type AuthRequestKind = "ok" | "password" | "md5" | "sasl" | "gss" | "sspi";

export interface AuthSettings {
  /** channel_binding (default prefer; disable where libpq has no SSL). */
  channelBinding: "disable" | "prefer" | "require";
  /** require_auth as written (libpq 16+), or undefined. */
  requireAuth?: string;
  /** sslcertmode (libpq 16+; default allow). */
  sslcertmode: "disable" | "allow" | "require";
  major: LibpqMajor;
}

/** What one attempt's connection had seen when the server sent an authentication request. */
export interface AuthWireState {
  ssl: boolean;
  /** The SASL mechanisms of an AuthenticationSASL request, in the server's order. */
  mechanisms?: readonly string[];
  /** The server's certificate signature has a digest usable for tls-server-end-point (false: Ed25519, Ed448). */
  certSignatureHasDigest?: boolean;
  /** The server sent a CertificateRequest in the handshake (libpq's ssl_cert_requested). */
  certificateRequested?: boolean;
  /** The client sent a certificate (libpq's ssl_cert_sent). */
  certificateSent?: boolean;
  /** The SCRAM exchange the client made, when it made one. */
  scramMechanism?: string;
  /** The client sent its password (cleartext or md5) or finished a SCRAM exchange (libpq's client_finished_auth). */
  clientFinishedAuth?: boolean;
}

const SASL_NAME = "SCRAM-SHA-256";
const PLUS_NAME = "SCRAM-SHA-256-PLUS";

interface RequireAuth {
  text: string;
  /** Which request kinds pass check_expected_areq. */
  allowed: Set<AuthRequestKind>;
  /** Which SASL mechanisms (18) are allowed; a SASL request passes when any is. */
  saslMechs: Set<string>;
  /** libpq's auth_required: an AuthenticationOk without a finished exchange fails. */
  authRequired: boolean;
}

const METHOD_KINDS: Record<string, AuthRequestKind | "none" | "oauth" | "scram-sha-256"> = {
  password: "password",
  md5: "md5",
  gss: "gss",
  sspi: "sspi",
  "scram-sha-256": "scram-sha-256",
  oauth: "oauth",
  none: "none",
};

/**
 * require_auth as fe-connect.c reads it (pqConnectOptions2): a positive list allows exactly its methods and requires
 * an authentication exchange unless "none" is listed; a negative list (every entry with '!') allows everything
 * else and requires an exchange only with "!none". The syntax errors are the conninfo stage's.
 */
export function parseRequireAuth(text: string, major: LibpqMajor): RequireAuth | undefined {
  const items = text.split(",").filter((s) => s !== "");
  if (items.length === 0) return undefined;
  const negative = items[0]?.startsWith("!") === true;
  const allowed = new Set<AuthRequestKind>(negative ? ["password", "md5", "gss", "sspi", "sasl"] : []);
  const saslMechs = new Set<string>(negative ? [SASL_NAME, PLUS_NAME, ...(major >= 18 ? ["OAUTHBEARER"] : [])] : []);
  let authRequired = !negative;
  for (const raw of items) {
    const kind = METHOD_KINDS[raw.replace(/^!/, "")];
    if (kind === undefined) continue;
    if (kind === "none") {
      authRequired = negative;
      continue;
    }
    const mechs = kind === "scram-sha-256" ? [SASL_NAME, PLUS_NAME] : kind === "oauth" ? ["OAUTHBEARER"] : [];
    if (negative) {
      for (const m of mechs) saslMechs.delete(m);
      if (kind !== "scram-sha-256" && kind !== "oauth") allowed.delete(kind);
    } else {
      for (const m of mechs) saslMechs.add(m);
      if (kind !== "scram-sha-256" && kind !== "oauth") allowed.add(kind);
    }
  }
  // 16/17 have one SASL mechanism: its bit is the SASL request's. 18 keeps SASL requests allowed while any
  // mechanism is, and checks the chosen mechanism in pg_SASL_init.
  if (major >= 18 ? saslMechs.size > 0 : saslMechs.has(SASL_NAME)) allowed.add("sasl");
  else allowed.delete("sasl");
  return { text, allowed, saslMechs, authRequired };
}

const DESCRIPTION: Record<Exclude<AuthRequestKind, "ok">, string> = {
  password: "server requested a cleartext password",
  md5: "server requested a hashed password",
  gss: "server requested GSSAPI authentication",
  sspi: "server requested SSPI authentication",
  sasl: "server requested SASL authentication",
};

function requirementFailed(ra: RequireAuth, reason: string): string {
  return `authentication method requirement "${ra.text}" failed: ${reason}`;
}

/** The SASL mechanism libpq picks (pg_SASL_init), or its error. */
export function chooseSasl(s: AuthSettings, w: AuthWireState): { mechanism: string } | { error: string } {
  if (s.channelBinding === "require" && !w.ssl) return { error: "channel binding required, but SSL not in use" };
  let selected: string | undefined;
  for (const m of w.mechanisms ?? []) {
    if (m === PLUS_NAME) {
      if (!w.ssl) return { error: "server offered SCRAM-SHA-256-PLUS authentication over a non-SSL connection" };
      if (s.channelBinding !== "disable") selected = PLUS_NAME;
    } else if (m === SASL_NAME && !selected) selected = SASL_NAME;
  }
  if (!selected) return { error: "none of the server's SASL authentication mechanisms are supported" };
  if (s.major >= 18 && s.requireAuth) {
    const ra = parseRequireAuth(s.requireAuth, s.major);
    if (ra && !ra.saslMechs.has(selected))
      return { error: requirementFailed(ra, `server requested ${selected} authentication`) };
  }
  if (s.channelBinding === "require" && selected !== PLUS_NAME)
    return {
      error:
        "channel binding is required, but server did not offer an authentication method that supports channel binding",
    };
  if (selected === PLUS_NAME && w.certSignatureHasDigest === false)
    return { error: "could not find digest for NID UNDEF" };
  return { mechanism: selected };
}

/**
 * check_expected_areq() then, for SASL, pg_SASL_init(): null when libpq answers the request (sends the password or
 * starts SCRAM, or accepts AuthenticationOk), else libpq's error. A refused request is refused before any password
 * is sent, so dbdoctor must not send it either.
 */
export function libpqAnswers(kind: AuthRequestKind, s: AuthSettings, w: AuthWireState): string | null {
  if (s.major >= 16 && s.sslcertmode === "require" && kind === "ok") {
    if (!w.certificateRequested) return "server did not request an SSL certificate";
    if (!w.certificateSent) return "server accepted connection without a valid SSL certificate";
  }
  const ra = s.major >= 16 && s.requireAuth ? parseRequireAuth(s.requireAuth, s.major) : undefined;
  if (ra) {
    if (kind === "ok") {
      if (ra.authRequired && !w.clientFinishedAuth)
        return requirementFailed(ra, "server did not complete authentication");
    } else if (!ra.allowed.has(kind)) return requirementFailed(ra, DESCRIPTION[kind]);
  }
  if (s.channelBinding === "require") {
    if (kind === "ok") {
      if (w.scramMechanism !== PLUS_NAME)
        return "channel binding required, but server authenticated client without channel binding";
    } else if (kind !== "sasl") return "channel binding required but not supported by server's authentication request";
  }
  if (kind === "sasl") {
    const c = chooseSasl(s, w);
    if ("error" in c) return c.error;
  }
  return null;
}

/** The signature algorithms whose certificates have no digest for tls-server-end-point (RFC 5929 §4.1). */
const NO_DIGEST_SIGNATURES = new Set([
  "1.3.101.112", // Ed25519
  "1.3.101.113", // Ed448
  "2.16.840.1.101.3.4.3.17", // ML-DSA-44
  "2.16.840.1.101.3.4.3.18", // ML-DSA-65
  "2.16.840.1.101.3.4.3.19", // ML-DSA-87
]);

export function signatureHasDigest(sigAlgOid: string): boolean {
  return !NO_DIGEST_SIGNATURES.has(sigAlgOid);
}

/** The settings of one attempt as libpq would default them. */
export function authSettingsFrom(values: Record<string, string | undefined>, major: LibpqMajor): AuthSettings {
  const cb = values.channel_binding;
  const cm = values.sslcertmode;
  return {
    channelBinding: cb === "disable" || cb === "require" ? cb : "prefer",
    ...(major >= 16 && values.require_auth ? { requireAuth: values.require_auth } : {}),
    sslcertmode: major >= 16 && (cm === "disable" || cm === "require") ? cm : "allow",
    major,
  };
}
