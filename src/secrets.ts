// The process-wide list of secrets seen while resolving input (passwords, sslpassword, key passphrases).
// Everything dbdoctor writes (reports in every format, error messages) passes through scrubOutput.
import { scrubString } from "./report/redact.js";

const known = new Set<string>();

export function registerSecret(secret: string | undefined | null): void {
  if (secret) known.add(secret);
}

export function knownSecrets(): string[] {
  return [...known];
}

export function scrubOutput(text: string): string {
  return known.size === 0 ? text : scrubString(text, [...known]);
}

/** For tests that run several diagnoses in one process. */
export function forgetSecrets(): void {
  known.clear();
}
