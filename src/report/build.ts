import { worstSeverity } from "../model/finding.js";
import type { InputFacts } from "../model/input.js";
import type { ModeResult } from "../model/mode.js";
import { isSslMode, SSL_MODES, type SslMode } from "../model/sslmode.js";
import { dropSuperseded, type Finding } from "../rules/registry.js";
import { VERSION } from "../version.js";
import { beforeNetwork, causalOrder, linkCauses, rootFinding } from "./causality.js";
import type { Report, SettingCommand, Verdict } from "./report.js";

export type ReportParts = Omit<Report, "schemaVersion" | "tool" | "generatedAt" | "verdict"> & {
  /** The summary sentence; when absent one is derived from the findings. */
  summary?: string;
};

/** The sslmode libpq will use, if the conninfo stage decided one. */
export function configuredMode(report: Pick<Report, "conninfo">): SslMode | null {
  const mode = report.conninfo?.effective.sslmode?.value;
  return mode !== undefined && isSslMode(mode) ? mode : null;
}

/** The strongest sslmode (in SSL_MODES order) whose attempt got `ok`. */
function strongestWith(modes: readonly ModeResult[], ok: boolean | null): SslMode | null {
  let best: SslMode | null = null;
  for (const m of modes)
    if (m.ok === ok && (best === null || SSL_MODES.indexOf(m.sslmode) > SSL_MODES.indexOf(best))) best = m.sslmode;
  return best;
}

/** The strongest sslmode whose attempt succeeded. */
export function strongestOkMode(modes: readonly ModeResult[]): SslMode | null {
  return strongestWith(modes, true);
}

/**
 * The verdict's view: a mode that works, else "undecided" with the strongest undecided mode as the candidate (its
 * password was held back, so nobody knows it fails), else null: only then does no sslmode work.
 */
export function strongestMode(modes: readonly ModeResult[]): {
  mode: SslMode | "undecided" | null;
  candidate?: SslMode;
} {
  const ok = strongestWith(modes, true);
  if (ok !== null) return { mode: ok };
  const open = strongestWith(modes, null);
  return open === null ? { mode: null } : { mode: "undecided", candidate: open };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** The root cause and its one fix, in one sentence pair; the counts after it. */
function rootSummary(root: Finding, counts: string): string {
  const message = root.message.replace(/\s+$/, "");
  const fix = root.hint;
  const stop = /[.!?]$/.test(message) ? "" : ".";
  return `${message}${stop}${fix ? ` Fix: ${fix.replace(/\.$/, "")}.` : ""} (${counts})`;
}

export function deriveVerdict(parts: ReportParts): Verdict {
  const mode = configuredMode(parts);
  const configured = mode === null ? undefined : parts.modes.find((m) => m.sslmode === mode);
  const worst = worstSeverity(parts.findings);
  const status = worst === "error" || configured?.ok === false ? "fail" : worst === "warning" ? "warn" : "pass";
  const counts = (["error", "warning", "info"] as const)
    .map((s) => [s, parts.findings.filter((f) => f.severity === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => plural(n, s));
  const strongest = strongestMode(parts.modes);
  const first = rootFinding(parts.findings);
  // A cause before the network (a misread URL, a missing file) is the root. Otherwise the configured mode's failure
  // is: the probe's findings about the same endpoint (tls.hostname-mismatch, server.*) are the wire-level view of
  // that one failure, and the live sslmode sentence states it with its (tried) fix.
  const sessionFails = parts.findings.find((f) => f.code === "session.configured-mode-fails");
  const root = first && !beforeNetwork(first) && sessionFails ? sessionFails : first;
  const liveSays =
    parts.summary !== undefined && (root === undefined || root === sessionFails || root.severity !== "error");
  const summary = liveSays
    ? (parts.summary as string)
    : root
      ? rootSummary(root, counts.join(", "))
      : counts.length
        ? counts.join(", ")
        : "no problems found";
  const verdict: Verdict = {
    status,
    configuredMode: mode,
    configuredModeOk: configured?.ok ?? null,
    strongestOkMode: strongest.mode,
    summary,
  };
  if (strongest.candidate) verdict.strongestCandidate = strongest.candidate;
  if (root) verdict.rootCause = root.code;
  if (root?.fix) verdict.fix = root.fix;
  return verdict;
}

export function makeReport(command: SettingCommand, parts: Omit<ReportParts, "command">, now = new Date()): Report {
  const { summary: _summary, ...rest } = {
    ...parts,
    findings: linkCauses(causalOrder(dropSuperseded(parts.findings))),
  };
  return {
    schemaVersion: 1,
    tool: { name: "dbdoctor", version: VERSION },
    generatedAt: now.toISOString(),
    ...rest,
    command,
    verdict: deriveVerdict({ ...rest, ...(parts.summary ? { summary: parts.summary } : {}), command }),
  };
}

export function emptyInput(libpqMajor: number, urlStyle: InputFacts["urlStyle"] = "libpq"): InputFacts {
  return { source: { kind: "none" }, redacted: null, urlStyle, libpqMajor };
}
