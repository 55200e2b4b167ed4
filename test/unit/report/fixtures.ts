import { readdirSync, readFileSync } from "node:fs";
import type { AuditReport } from "../../../src/audit/types.js";
import type { Report } from "../../../src/report/report.js";

const DIR = new URL("../../../fixtures/reports/", import.meta.url);

/** The hand-built reports under fixtures/reports/, by name (file name without .json); audit.json is the audit's. */
export const FIXTURE_NAMES = readdirSync(DIR)
  .filter((f) => f.endsWith(".json") && f !== "audit.json")
  .map((f) => f.slice(0, -".json".length))
  .sort();

export function loadFixture(name: string): Report {
  return JSON.parse(readFileSync(new URL(`${name}.json`, DIR), "utf8")) as Report;
}

/** fixtures/reports/audit.json, made by scripts/gen-audit-fixture.ts. */
export function loadAuditFixture(): AuditReport {
  return JSON.parse(readFileSync(new URL("audit.json", DIR), "utf8")) as AuditReport;
}
