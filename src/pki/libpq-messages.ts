// libpq's own texts for the root-file errors of initialize_SSL (fe-secure-openssl.c), per major: the files
// stage, the conninfo rules and the sslmode matrix all quote them, so they live once, here.

/** The hint libpq appends; it gained "sslrootcert=system" with that feature in libpq 16 (libpq.md §1.2). */
export function rootFileHint(major: number): string {
  return major >= 16
    ? "Either provide the file, use the system's trusted roots with sslrootcert=system, or change sslmode to disable server certificate verification."
    : "Either provide the file or change sslmode to disable server certificate verification.";
}

export function rootMissingMessage(path: string, major: number): string {
  return `root certificate file "${path}" does not exist\n${rootFileHint(major)}`;
}

export function noHomeForRootMessage(major: number): string {
  return `could not get home directory to locate root certificate file\n${rootFileHint(major)}`;
}
