// Turns what pg / Node / the server said about a failed attempt into libpq's terms: the stage, a stable
// cause code, and the message libpq would print. Pure, so every mapping has a unit test.
import type { Cause } from "../model/mode.js";
import { capText } from "../text/cap.js";
import type { AttemptEnd } from "./plan.js";

export type { Cause };

export interface Classified {
  end: AttemptEnd;
  stage: string;
  cause: Cause;
  message: string;
}

export interface ErrorShape {
  message: string;
  code?: string;
  /** SQLSTATE when the server sent an ErrorResponse. */
  sqlstate?: string;
  severity?: string;
  detail?: string;
}

/**
 * Duck-types pg's DatabaseError (has `severity` and a 5-character SQLSTATE `code`) and Node's errors. Texts are
 * capped here, where they enter dbdoctor: a server's message is whatever the server chose to send.
 */
export function errorShape(err: unknown): ErrorShape {
  if (err instanceof Error) {
    const e = err as Error & { code?: unknown; severity?: unknown; detail?: unknown };
    const code = typeof e.code === "string" ? capText(e.code, 64) : undefined;
    const isServer = typeof e.severity === "string" && code !== undefined && /^[0-9A-Z]{5}$/.test(code);
    const shape: ErrorShape = { message: capText(String(e.message)) };
    if (isServer) {
      shape.sqlstate = code;
      shape.severity = capText(e.severity as string, 64);
      if (typeof e.detail === "string") shape.detail = capText(e.detail);
    } else if (code) shape.code = code;
    return shape;
  }
  return { message: capText(String(err)) };
}

const VERIFY_CAUSES: Record<string, Cause> = {
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: "unknown-ca",
  UNABLE_TO_GET_ISSUER_CERT: "unknown-ca",
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: "unknown-ca",
  SELF_SIGNED_CERT_IN_CHAIN: "self-signed",
  DEPTH_ZERO_SELF_SIGNED_CERT: "self-signed",
  CERT_HAS_EXPIRED: "cert-expired",
  CERT_NOT_YET_VALID: "cert-not-yet-valid",
  CERT_REVOKED: "cert-revoked",
  UNABLE_TO_GET_CRL: "crl-missing",
  CRL_HAS_EXPIRED: "crl-missing",
  CERT_SIGNATURE_FAILURE: "tls-handshake",
  EE_KEY_TOO_SMALL: "tls-handshake",
  CA_KEY_TOO_SMALL: "tls-handshake",
  CA_MD_TOO_WEAK: "tls-handshake",
  INVALID_CA: "unknown-ca",
};

/** OpenSSL's verify strings, as libpq prints them after "SSL error: ". */
const VERIFY_TEXT: Partial<Record<Cause, string>> = {
  "cert-expired": "certificate verify failed",
  "cert-not-yet-valid": "certificate verify failed",
  "unknown-ca": "certificate verify failed",
  "self-signed": "certificate verify failed",
  "cert-revoked": "certificate verify failed",
  "crl-missing": "certificate verify failed",
};

const HOSTNAME_ERROR = "DBDOCTOR_HOSTNAME_MISMATCH";

export { HOSTNAME_ERROR };

export function classifyNetworkOrTls(shape: ErrorShape, host: string, port: number): Classified {
  const { message, code } = shape;
  if (code === HOSTNAME_ERROR) return { end: "tls", stage: "hostname", cause: "hostname-mismatch", message };
  if (code && VERIFY_CAUSES[code]) {
    const cause = VERIFY_CAUSES[code] as Cause;
    return { end: "tls", stage: "verify", cause, message: `SSL error: ${VERIFY_TEXT[cause] ?? message}` };
  }
  if (code === "ENOTFOUND" || code === "EAI_AGAIN" || code === "EAI_NONAME") {
    return {
      end: "network",
      stage: "dns",
      cause: "dns-failure",
      message: `could not translate host name "${host}" to address: Name or service not known`,
    };
  }
  if (code === "ECONNREFUSED") {
    return {
      end: "network",
      stage: "tcp",
      cause: "refused",
      message: `connection to server at "${host}", port ${port} failed: Connection refused\n\tIs the server running on that host and accepting TCP/IP connections?`,
    };
  }
  if (code === "EHOSTUNREACH" || code === "ENETUNREACH" || code === "EADDRNOTAVAIL") {
    return {
      end: "network",
      stage: "tcp",
      cause: "unreachable",
      message: `connection to server at "${host}", port ${port} failed: ${message}`,
    };
  }
  if (/timeout/i.test(message) || code === "ETIMEDOUT") {
    return { end: "network", stage: "tcp", cause: "timeout", message: "timeout expired" };
  }
  if (message === "The server does not support SSL connections") {
    return {
      end: "ssl-refused",
      stage: "sslrequest",
      cause: "server-ssl-off",
      message: "server does not support SSL, but SSL was required",
    };
  }
  if (message === "There was an error establishing an SSL connection") {
    return {
      end: "ssl-error",
      stage: "sslrequest",
      cause: "sslrequest-bad-reply",
      message: "received invalid response to SSL negotiation",
    };
  }
  if (
    /alert (unknown ca|bad certificate|certificate unknown|certificate expired|certificate revoked|decrypt error)/i.test(
      message,
    )
  ) {
    return { end: "tls", stage: "tls", cause: "client-cert-rejected", message: `SSL error: ${openSslReason(message)}` };
  }
  if (/certificate required/i.test(message)) {
    return { end: "tls", stage: "tls", cause: "client-cert-required", message: `SSL error: ${openSslReason(message)}` };
  }
  if (
    /protocol version|unsupported protocol|no protocols available|wrong version number|WRONG_SSL_VERSION/i.test(
      message + (code ?? ""),
    )
  ) {
    return { end: "tls", stage: "tls", cause: "tls-version", message: `SSL error: ${openSslReason(message)}` };
  }
  if (code?.startsWith("ERR_SSL") || /SSL|TLS/i.test(message)) {
    return { end: "tls", stage: "tls", cause: "tls-handshake", message: `SSL error: ${openSslReason(message)}` };
  }
  if (
    code === "ECONNRESET" ||
    code === "EPIPE" ||
    /terminated unexpectedly|socket hang up|Connection terminated/i.test(message)
  ) {
    return {
      end: "server-error",
      stage: "session",
      cause: "server-closed",
      message:
        "server closed the connection unexpectedly\n\tThis probably means the server terminated abnormally\n\tbefore or while processing the request.",
    };
  }
  return { end: "server-error", stage: "session", cause: "server-error", message };
}

/** OpenSSL's reason in Node messages looks like "...:SSL routines:ssl3_read_bytes:tlsv1 alert unknown ca:..." */
function openSslReason(message: string): string {
  const m = /SSL routines:[^:]*:([^:]+)/.exec(message);
  return (m?.[1] ?? message).trim();
}

/** The server's ErrorResponse, in libpq's words ("FATAL:  ..."), with the cause it points to. */
export function classifyServerError(shape: ErrorShape): Classified {
  const text = `${shape.severity ?? "FATAL"}:  ${shape.message}`;
  const m = shape.message;
  let cause: Cause = "server-error";
  let stage = "auth";
  if (shape.sqlstate === "28P01") cause = "wrong-password";
  else if (/no pg_hba\.conf entry/.test(m)) cause = "hba-reject";
  else if (/connection requires a valid client certificate/.test(m)) cause = "client-cert-required";
  else if (/certificate authentication failed|clientcert=verify-full|certificate validation/.test(m))
    cause = "client-cert-cn";
  else if (/^role ".*" does not exist/.test(m)) cause = "role-missing";
  else if (shape.sqlstate === "3D000") cause = "database-missing";
  else if (shape.sqlstate === "53300" || /too many clients|remaining connection slots/.test(m))
    cause = "too-many-connections";
  else if (shape.sqlstate === "57P03") cause = "server-starting";
  else if (shape.sqlstate === "28000") cause = "hba-reject";
  else stage = "session";
  return { end: "server-error", stage, cause, message: text };
}
