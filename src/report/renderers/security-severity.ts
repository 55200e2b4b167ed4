// GitHub code scanning's `security-severity` for each rule of the SARIF log: a CVSS-like score, as a string, that
// code scanning shows as Critical (9.0-10.0), High (7.0-8.9), Medium (4.0-6.9) or Low (0.1-3.9) on rules tagged
// "security", and by default fails a pull request's check at High and above.
//
// The score follows the finding's severity (an error breaks the deployment or its protection, a warning weakens it,
// info records a fact), one band higher where the finding exposes a secret or lets traffic go in plaintext: that is
// what an attacker uses directly, whatever else breaks. docs/findings.md states the mapping (generated from here).
import type { Severity } from "../../model/finding.js";
import type { Family, FindingCode } from "../../rules/registry.js";

export const BASE_SCORE: Record<Severity, string> = { error: "7.5", warning: "5.0", info: "2.0" };
export const EXPOSURE_SCORE: Record<Severity, string> = { error: "9.0", warning: "7.0", info: "4.0" };

/**
 * Findings that put a secret where others read it, or the session (or its password) on the wire unencrypted.
 * Typed as codes: renaming one is a compile error here, not a silently weaker score.
 */
export const EXPOSURE_CODES: ReadonlySet<string> = new Set([
  // a password or key readable by others
  "url.password-present",
  "audit.secret-in-plain-config",
  "audit.base64-secret",
  "key.permissions",
  // plaintext on the wire, or a setting that allows it
  "sslmode.default-prefer",
  "sslmode.files-ignored",
  "server.ssl-not-supported",
  "server.unencrypted-data-after-ssl-response",
  "session.unencrypted",
  "session.plaintext-accepted",
  "ops.clients-unencrypted",
] satisfies FindingCode[]);

/** The score of a code declared with `severity`; an unknown code (another version's report) scores by severity. */
export function securitySeverity(code: string, severity: Severity): string {
  return (EXPOSURE_CODES.has(code) ? EXPOSURE_SCORE : BASE_SCORE)[severity];
}

/**
 * The ops family judges pools, connection slots, versions and schema: availability, not security. Its rules are
 * not tagged "security" (code scanning shows them by level: error, warning, note) unless they expose something.
 */
export function isSecurityRule(code: string, family: Family | null): boolean {
  return family !== "ops" || EXPOSURE_CODES.has(code);
}
