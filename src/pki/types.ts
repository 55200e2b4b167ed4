// Facts about the certificate, key, CA and CRL files (issue: file checks). Filled by src/pki/.

export interface FilesFacts {
  /** One entry per file libpq would look at (given or default), keyed by role. */
  files: FileFacts[];
}

export type FileRole = "sslrootcert" | "sslcert" | "sslkey" | "sslcrl" | "sslcrldir" | "server-cert";

export interface FileFacts {
  role: FileRole;
  path: string;
  /** How libpq came to this path: set explicitly, or its default under ~/.postgresql/. */
  origin: "explicit" | "default";
  exists: boolean;
}
