// Facts about the certificate, key, CA and CRL files (issue: file checks). Filled by src/pki/.

export interface FilesFacts {
  /** One entry per file libpq would look at (given or default), keyed by role. */
  files: FileFacts[];
  /** Whether libpq would check CRLs (it only does with a loadable sslcrl/sslcrldir next to a root file). */
  crlChecking?: boolean;
  crlOffReason?: string;
  /** The offline verdict on --server-cert, when given. */
  server?: ServerCertFacts;
}

export type FileRole = "sslrootcert" | "sslcert" | "sslkey" | "sslcrl" | "sslcrldir" | "server-cert";

export interface CertSummary {
  index: number;
  subject: string;
  issuer: string;
  serial: string;
  notBefore: string;
  notAfter: string;
  daysLeft: number;
  key: string;
  signature: string;
  ca: boolean;
  selfSigned: boolean;
  sans?: string[];
  extKeyUsage?: string[];
}

export interface FileFacts {
  role: FileRole;
  path: string;
  /** How libpq came to this path: set explicitly, or its default under ~/.postgresql/. */
  origin: "explicit" | "default";
  exists: boolean;
  status?: "ok" | "missing" | "unreadable" | "not-regular" | "empty" | "too-big";
  /** Octal permission bits and owner uid (key files matter). */
  mode?: string;
  uid?: number;
  size?: number;
  format?: "pem" | "der" | "empty" | "jks" | "binary" | "text" | "directory";
  /** What the file holds, in order (e.g. ["certificate", "certificate"]). */
  holds?: string[];
  certificates?: CertSummary[];
  key?: { type: string; bits: number | null; encryption: "none" | "pkcs8" | "traditional"; loaded: boolean };
  crl?: { issuer: string; thisUpdate: string; nextUpdate: string | null; revoked: number };
  /** For sslcrldir: CRL files found and whether they are rehashed. */
  crlFiles?: string[];
  /** A PKCS#12 bundle's contents (when it opens without a password). */
  pkcs12?: { passwordProtected: boolean; certificates: string[]; keys: number };
  /** What libpq does with this file, in a few words. */
  libpq?: string;
}

export interface ServerCertFacts {
  file: string;
  sslmode: string;
  host?: string;
  /** Would libpq accept the chain / the host name? null when libpq does not check it under this sslmode. */
  chainOk: boolean | null;
  chainMessage?: string;
  chainPath?: string[];
  hostnameOk: boolean | null;
  hostnameMessage?: string;
  /** The end result: would libpq complete the TLS handshake under sslmode? */
  accepted: boolean;
}
