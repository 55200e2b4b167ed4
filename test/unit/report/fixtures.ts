import { readdirSync, readFileSync } from "node:fs";
import type { AuditReport } from "../../../src/report/audit.js";
import type { AnyReport } from "../../../src/report/kinds.js";
import type { Report } from "../../../src/report/report.js";

const DIR = new URL("../../../fixtures/reports/", import.meta.url);

/**
 * The reports under fixtures/reports/, by name (file name without .json): hand-built single-setting reports, and
 * audit.json, made by scripts/gen-audit-fixture.ts.
 */
export const FIXTURE_NAMES = readdirSync(DIR)
  .filter((f) => f.endsWith(".json"))
  .map((f) => f.slice(0, -".json".length))
  .sort();

/** The single-setting reports (every fixture but the audit's). */
export const SETTING_FIXTURE_NAMES = FIXTURE_NAMES.filter((n) => n !== "audit");

export function loadAny(name: string): AnyReport {
  return JSON.parse(readFileSync(new URL(`${name}.json`, DIR), "utf8")) as AnyReport;
}

/** A single-setting report (every fixture but audit). */
export function loadFixture(name: string): Report {
  const r = loadAny(name);
  if (r.command === "audit") throw new Error(`${name} is an audit report`);
  return r;
}

export function loadAuditFixture(): AuditReport {
  const r = loadAny("audit");
  if (r.command !== "audit") throw new Error("audit.json is not an audit report");
  return r;
}
