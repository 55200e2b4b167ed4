import { worstSeverity } from "../model/finding.js";
import type { InputFacts } from "../model/input.js";
import type { ModeResult } from "../model/mode.js";
import { isSslMode, SSL_MODES, type SslMode } from "../model/sslmode.js";
import { dropSuperseded } from "../rules/registry.js";
import { VERSION } from "../version.js";
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

/** The strongest sslmode (in SSL_MODES order) whose attempt succeeded. */
export function strongestOkMode(modes: readonly ModeResult[]): SslMode | null {
  let best: SslMode | null = null;
  for (const m of modes)
    if (m.ok === true && (best === null || SSL_MODES.indexOf(m.sslmode) > SSL_MODES.indexOf(best))) best = m.sslmode;
  return best;
}

export function deriveVerdict(parts: ReportParts): Verdict {
  const mode = configuredMode(parts);
  const configured = mode === null ? undefined : parts.modes.find((m) => m.sslmode === mode);
  const worst = worstSeverity(parts.findings);
  const status = worst === "error" || configured?.ok === false ? "fail" : worst === "warning" ? "warn" : "pass";
  const counts = (["error", "warning", "info"] as const)
    .map((s) => [s, parts.findings.filter((f) => f.severity === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s}${n === 1 ? "" : "s"}`);
  return {
    status,
    configuredMode: mode,
    configuredModeOk: configured?.ok ?? null,
    strongestOkMode: strongestOkMode(parts.modes),
    summary: parts.summary ?? (counts.length ? counts.join(", ") : "no problems found"),
  };
}

export function makeReport(command: SettingCommand, parts: Omit<ReportParts, "command">, now = new Date()): Report {
  const { summary: _summary, ...rest } = { ...parts, findings: dropSuperseded(parts.findings) };
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
