// The two kinds of report dbdoctor writes: the single-setting Report (check, parse, certs, server, instances) and the
// AuditReport. Every renderer takes either; the exit code of both is decided here, once.
import { SEVERITY_RANK } from "../model/finding.js";
import type { FailOn } from "../model/options.js";
import type { Finding } from "../rules/registry.js";
import { type AuditReport, allFindings } from "./audit.js";
import type { Report } from "./report.js";

export type AnyReport = Report | AuditReport;

export function isAuditReport(report: AnyReport): report is AuditReport {
  return report.command === "audit";
}

/** Every finding of a report, whatever its kind. */
export function findingsOf(report: AnyReport): Finding[] {
  return isAuditReport(report) ? allFindings(report) : report.findings;
}

/** DESIGN.md exit codes: 1 when a finding is at or above --fail-on, else 0. (2 is for "could not do the job".) */
export function exitCode(report: AnyReport, failOn: FailOn): 0 | 1 {
  if (failOn === "never") return 0;
  const threshold = SEVERITY_RANK[failOn];
  return findingsOf(report).some((f) => SEVERITY_RANK[f.severity] >= threshold) ? 1 : 0;
}
