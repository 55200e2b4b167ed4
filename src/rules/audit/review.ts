// The review's severity policy, shared by the audit family's rules: the audit reads a repository, not the machine
// the setting runs on, so the same fact weighs differently by where it is written and where it points. An example
// or template file, a block the configuration does not use, a CI job's throwaway service container, and a host on
// the client's own machine (loopback, a container of the same compose file) make a finding informational; a host
// written as a placeholder caps it at a warning (it may be local where deployed); a remote host keeps the rule's
// declared severity.
import type { Reach, StoredSetting } from "../../audit/types.js";
import type { Severity } from "../../model/finding.js";

const LOCAL_WHY: Partial<Record<Reach, string>> = {
  loopback: "the host is on the client's own machine",
  container: "the host is a container of the same docker-compose file, on the same machine",
  "ci-service": "the host is a CI job's service container",
  socket: "the connection uses a Unix-domain socket",
};

/** A setting that names no host (a user and password only, like a chart's auth block or the postgres image's env). */
export function credentialsOnly(s: StoredSetting): boolean {
  return s.form !== "string" && s.parts.host === undefined && s.parts.hostaddr === undefined;
}

export interface Review {
  severity: Severity;
  /** Why the severity is lower than declared (for the message), or undefined. */
  why?: string;
}

/**
 * The severity a finding of declared severity `base` gets for this stored setting. `usesReach`: whether where the
 * host is matters to the finding (not for a setting that names no host).
 */
export function review(s: StoredSetting, base: Severity, usesReach = true): Review {
  if (s.example) return { severity: "info", why: "the file is an example or template" };
  if (s.inactive) return { severity: "info", why: `the block is not used as written (${s.inactive})` };
  if (s.ci)
    return { severity: "info", why: "the file is a CI pipeline whose database is a throwaway service container" };
  if (!usesReach) return { severity: base };
  const local = LOCAL_WHY[s.reach];
  if (local) return { severity: "info", why: local };
  if (s.reach === "unknown")
    return {
      severity: base === "error" ? "warning" : base,
      why: "the host is a placeholder, set where it is deployed",
    };
  return { severity: base };
}

/** `values.yaml:12 (database.external.sslmode)` or `.env:3`: where a part is written. */
export function partWhere(s: StoredSetting, name: keyof StoredSetting["parts"]): string {
  const p = s.parts[name];
  return p ? `${s.file}:${p.line} (${p.key})` : `${s.file}:${s.line}`;
}

/** The setting as a message names it: its variable or YAML path and where it starts. */
export function settingWhere(s: StoredSetting): string {
  const name = s.variable ?? s.path;
  return name ? `${name} in ${s.file}:${s.line}` : `the value in ${s.file}:${s.line}`;
}
