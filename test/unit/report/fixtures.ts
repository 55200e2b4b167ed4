import { readdirSync, readFileSync } from "node:fs";
import type { Report } from "../../../src/report/report.js";

const DIR = new URL("../../../fixtures/reports/", import.meta.url);

/** The hand-built reports under fixtures/reports/, by name (file name without .json). */
export const FIXTURE_NAMES = readdirSync(DIR)
  .filter((f) => f.endsWith(".json"))
  .map((f) => f.slice(0, -".json".length))
  .sort();

export function loadFixture(name: string): Report {
  return JSON.parse(readFileSync(new URL(`${name}.json`, DIR), "utf8")) as Report;
}
