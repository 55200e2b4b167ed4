// Facts from the wire-level probe (issue: live diagnosis). Filled by src/probe/.
// Facts only: what was seen on the wire and what the pure checks said. The rules of src/rules/server judge the
// wire, those of src/rules/certs the chain (the same rules as for a chain read from a file).
import type { ChainVerification } from "../pki/types.js";

export const TLS_VERSIONS = ["TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"] as const;
export type TlsVersion = (typeof TLS_VERSIONS)[number];

/** What the rules see of a probe: its facts and the sslmode they are judged under. */
export interface ProbedServer {
  facts: ServerFacts;
  /**
   * The configured sslmode (check, audit). Under disable libpq never speaks TLS, so nothing past the SSLRequest
   * counts; the host-name rule only bites under verify-full. Absent (`dbdoctor server`): everything is judged, as
   * for verify-full.
   */
  sslmode?: string;
}

export interface ServerFacts {
  /** One per host of the (multi-)host list, in libpq's order. Unix-socket hosts are listed with `skipped`. */
  endpoints: EndpointFacts[];
  /** The overall wall time of the probe, ms. */
  durationMs?: number;
  /** What the probe cannot see without an authenticated session (server version, pg_stat_ssl, the ssl GUC). */
  notes?: string[];
  /** The server's own view of a session dbdoctor established (check only; read-only queries). */
  session?: SessionFacts;
}

/** From `pg_stat_ssl` and settings, read over the session the sslmode matrix established. */
export interface SessionFacts {
  /** The sslmode whose session was read. */
  sslmode: string;
  serverVersion: string;
  sslSetting: string;
  ssl: boolean;
  sslVersion: string | null;
  sslCipher: string | null;
  clientDn: string | null;
}

/** A step that ran: how it ended and how long it took. */
export type StepOutcome = "ok" | "refused" | "timeout" | "unreachable" | "error";

export interface AddressAttempt {
  address: string;
  family: 4 | 6;
  outcome: StepOutcome;
  durationMs: number;
  /** The system error code (ECONNREFUSED, ETIMEDOUT, EHOSTUNREACH...). */
  code?: string;
  /** libpq's text for this failure. */
  libpqMessage?: string;
}

export interface DnsFacts {
  outcome: "ok" | "not-found" | "timeout" | "error" | "not-needed";
  durationMs: number;
  addresses: { address: string; family: 4 | 6 }[];
  code?: string;
  libpqMessage?: string;
}

/** The server's one-byte answer to the SSLRequest, classified the way libpq reads it. */
export type SslReplyKind = "S" | "N" | "E" | "other" | "closed" | "timeout" | "socket-error";

export interface SslRequestFacts {
  reply: SslReplyKind;
  durationMs: number;
  /** The reply byte in hex, when one arrived. */
  byte?: string;
  /** Bytes that arrived with or right after 'S', before our ClientHello (CVE-2021-23222 class). */
  unencryptedBytesAfterS: number;
  /** The first bytes of what arrived, hex, at most 32, for garbage and injected data. */
  sampleHex?: string;
  /** Fields of an ErrorResponse after 'E' (severity, code, message), as the server sent them. */
  errorResponse?: Record<string, string>;
  /** What libpq would say (for 'S' without extra bytes: nothing). */
  libpqMessage?: string;
}

export interface CertFacts {
  subject: string;
  issuer: string;
  serialNumber: string;
  notBefore: string;
  notAfter: string;
  /** Whole days from the probe to notAfter (negative once expired), as --warn-days counts them. */
  daysLeft: number;
  fingerprint256: string;
  selfIssued: boolean;
  isCa: boolean;
  subjectAltName?: string;
  keyType: string;
  keyBits?: number;
  curve?: string;
  /** The key's strength as OpenSSL rates it (NIST SP 800-57); null when unknown. */
  keySecurityBits: number | null;
  signatureAlgorithm: string;
  /** The signature hash's strength as OpenSSL 3 rates it (SHA-1 63, MD5 39); null for an unknown algorithm. */
  signatureSecurityBits: number | null;
}

export interface TlsFacts {
  ok: boolean;
  durationMs: number;
  /** The SNI name sent in the ClientHello; null when none was sent (IP literal or sslsni=0). */
  sni: string | null;
  alpnOffered: string[];
  protocol?: string;
  cipher?: string;
  /** IANA name of the cipher suite. */
  cipherStandardName?: string;
  /** The ALPN protocol the server selected; null when it selected none. */
  alpn?: string | null;
  /**
   * The certificates the server sent, leaf first, linked by issuer (OpenSSL's peer chain as Node exposes it:
   * getPeerCertificate(true), walked through issuerCertificate, de-duplicated by SHA-256 fingerprint).
   * A sent certificate that is on no issuer path from the leaf is not visible through Node's API.
   */
  chain?: CertFacts[];
  /** Failure details: OpenSSL's reason and libpq's rendering of it. */
  failure?: {
    kind: "timeout" | "closed" | "alert" | "local" | "error";
    code?: string;
    reason: string;
    libpqMessage: string;
  };
}

/** The pure verification of the captured chain (src/pki, the same as for --server-cert), recorded as facts. */
export type ChainJudgment = ChainVerification;

export interface HostnameJudgment {
  host: string;
  ok: boolean;
  matched?: string;
  message?: string;
}

export type VersionStatus = "accepted" | "refused" | "untestable" | "error" | "not-tested";

export interface VersionFacts {
  results: Record<TlsVersion, { status: VersionStatus; detail?: string }>;
  /** The client's range as libpq would configure it. */
  client: { min: TlsVersion; max: TlsVersion | null; source: string };
  /** Versions both sides accept; null when nothing could be decided. */
  common: TlsVersion[] | null;
}

export interface DirectSslFacts {
  /** Whether the configuration asks for it (sslnegotiation=direct). */
  configured: boolean;
  /** true/false as probed; null when the probe could not decide (timeout, unreachable). */
  supported: boolean | null;
  durationMs: number;
  alpn?: string | null;
  protocol?: string;
  libpqMessage?: string;
  detail?: string;
}

export interface EndpointFacts {
  host: string;
  port: number;
  /** The address the probe used (the first one that accepted the TCP connection, in getaddrinfo order). */
  address?: string;
  /** hostaddr when given: libpq connects there and uses host only for SNI and the name check. */
  hostaddr?: string;
  skipped?: string;
  dns?: DnsFacts;
  tcp?: AddressAttempt[];
  sslRequest?: SslRequestFacts;
  tls?: TlsFacts;
  chain?: ChainJudgment;
  hostname?: HostnameJudgment;
  versions?: VersionFacts;
  direct?: DirectSslFacts;
}
