// Facts about the certificate, key, CA and CRL files (issue: file checks), and the verdict of libpq's chain check,
// whether the chain comes from a file (--server-cert) or from the wire (the probe). Filled by src/pki/.

export interface FilesFacts {
  /** One entry per file libpq would look at (given or default), keyed by role. */
  files: FileFacts[];
  /** Whether libpq would check CRLs (it only does with a loadable sslcrl/sslcrldir next to a root file). */
  crlChecking?: boolean;
  crlOffReason?: string;
  /** The offline verdict on --server-cert, when given. */
  server?: ServerCertFacts;
  /** The client certificate checked against sslrootcert for the ssl_client purpose (what a server with the same CA in ssl_ca_file would do). */
  clientChain?: ClientChainFacts;
  /** Every CRL libpq would load, checked against sslrootcert and the certificates in these files. */
  crls?: CrlCheckFacts[];
}

export interface ClientChainFacts {
  /** Does the chain libpq sends (sslcert) verify against sslrootcert? */
  ok: boolean;
  /** OpenSSL's reason when it does not. */
  message?: string;
  /** The intermediate CA (in sslrootcert) that issued the client certificate but is not in sslcert. */
  intermediateNotSent?: string;
}

export interface CrlCheckFacts {
  issuer: string;
  /** Where libpq finds it. */
  source: "sslcrl" | "sslcrldir";
  thisUpdate: string;
  nextUpdate: string | null;
  /** Is the CRL's issuer one of the CAs in sslrootcert? null when there is no root file to look in. */
  issuerInRoot: boolean | null;
  /** Does the CRL's signature verify with that CA's key? null when the issuer is not there. */
  signatureOk: boolean | null;
  /** Subjects of the certificates in these files (client and --server-cert) that the CRL revokes. */
  revokes: string[];
}

/** Where the trust for a chain check came from (libpq: sslrootcert, a file or the system store). */
export type ChainTrust = { kind: "file"; path: string } | { kind: "system" } | { kind: "none"; reason: string };

/**
 * libpq's verification of a server's chain (src/pki/chain.ts, OpenSSL's X509_verify_cert as libpq sets it up), the
 * same for a chain read from a file and one received from a server.
 */
export interface ChainVerification {
  trust: ChainTrust;
  /** null when it could not be judged (no trust, no certificate). */
  ok: boolean | null;
  /** The failure kind (ChainFailure in src/pki/chain.ts). */
  reason?: string;
  /** OpenSSL's text ("certificate verify failed: ..."), or libpq's for an unreadable root file. */
  message?: string;
  /** The depth in the built chain where verification failed (0 is the leaf). */
  depth?: number;
  /** The subject of the certificate at that depth. */
  subject?: string;
  /** The subjects of the verified chain, leaf first. */
  path?: string[];
  /** The issuer of the top certificate of the chain, when it is neither in the chain nor in the root file. */
  missingIssuer?: string;
  /** The subjects of the certificates in the root file, when missingIssuer is set. */
  rootSubjects?: string[];
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
  /**
   * Where the path came from, as a reader names it: "connection string", the variable ("PGSSLROOTCERT"), the
   * service file, the command-line option, or "default". Absent for files no setting names (a server's chain).
   */
  from?: string;
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
  key?: {
    type: string;
    bits: number | null;
    encryption: "none" | "pkcs8" | "traditional";
    loaded: boolean;
    /** Does the key belong to the client certificate libpq uses (the first in sslcert)? Absent when not compared. */
    matchesCertificate?: boolean;
  };
  crl?: { issuer: string; thisUpdate: string; nextUpdate: string | null; revoked: number };
  /** For sslcrldir: CRL files found and whether they are rehashed. */
  crlFiles?: string[];
  /** A PKCS#12 bundle's contents (when it opens without a password). */
  pkcs12?: { passwordProtected: boolean; certificates: string[]; keys: number };
  /** What libpq does with this file, in a few words. */
  libpq?: string;
  /** OpenSSL's reason for refusing the file as libpq loads it ("no certificate or crl found", "bad end line", ...). */
  opensslError?: string;
}

export interface ServerCertFacts {
  file: string;
  sslmode: string;
  host?: string;
  /** Would libpq accept the chain / the host name? null when libpq does not check it under this sslmode. */
  chainOk: boolean | null;
  chainMessage?: string;
  /** The failure kind and depth of the chain check (see ChainVerification). */
  chainReason?: string;
  chainDepth?: number;
  chainPath?: string[];
  hostnameOk: boolean | null;
  hostnameMessage?: string;
  /** The handshake fails before any check, whatever the sslmode (src/pki/handshake.ts): libpq's message. */
  handshakeMessage?: string;
  /** The end result: would libpq complete the TLS handshake under sslmode? */
  accepted: boolean;
}
