// The process-wide list of secrets seen while resolving input (passwords, sslpassword, key passphrases). Everything
// dbdoctor writes is stripped of them: reports in every format (src/cli/output.ts), error messages (scrubOutput in
// src/report/redact.ts).

const known = new Set<string>();

export function registerSecret(secret: string | undefined | null): void {
  if (secret) known.add(secret);
}

export function knownSecrets(): string[] {
  return [...known];
}

/** For tests that run several diagnoses in one process. */
export function forgetSecrets(): void {
  known.clear();
}
