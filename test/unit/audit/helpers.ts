// Shared checks for the audit tests: the JSON Schema (docs/audit.schema.json, which refers to report.schema.json)
// and the essential structure SARIF 2.1.0 requires of a log that code-scanning UIs accept.
import { readFileSync } from "node:fs";
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";

const read = (name: string) =>
  JSON.parse(readFileSync(new URL(`../../../docs/${name}`, import.meta.url), "utf8")) as Record<string, unknown>;

let compiled: ValidateFunction | undefined;

export function auditSchemaErrors(json: unknown): string[] {
  if (!compiled) {
    const ajv = new Ajv2020({ strict: true, allowUnionTypes: true, allErrors: true });
    // By $id alone: audit.schema.json's "report.schema.json#/$defs/..." resolves against its own $id.
    ajv.addSchema(read("report.schema.json"));
    compiled = ajv.compile(read("audit.schema.json"));
  }
  if (compiled(json)) return [];
  return (compiled.errors ?? []).map(
    (e) => `${e.instancePath || "(root)"} ${e.message ?? ""} ${JSON.stringify(e.params)}`,
  );
}

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => v !== null && typeof v === "object" && !Array.isArray(v);

/**
 * The SARIF 2.1.0 requirements a consumer relies on (OASIS SARIF 2.1.0, sections 3.13-3.29): version "2.1.0",
 * $schema, runs[].tool.driver.name and rules with unique ids, results with ruleId (and a valid ruleIndex),
 * level in {none, note, warning, error}, message.text, and physical locations whose region lines and columns
 * are 1-based integers.
 */
export function sarifProblems(log: unknown): string[] {
  const bad: string[] = [];
  if (!isObj(log)) return ["not an object"];
  if (log.version !== "2.1.0") bad.push(`version is ${String(log.version)}`);
  if (typeof log.$schema !== "string" || !/sarif-2\.1\.0/.test(log.$schema)) bad.push("$schema missing");
  if (!Array.isArray(log.runs) || log.runs.length === 0) return [...bad, "no runs"];
  for (const [ri, run] of log.runs.entries()) {
    if (!isObj(run) || !isObj(run.tool) || !isObj(run.tool.driver)) {
      bad.push(`runs[${ri}].tool.driver missing`);
      continue;
    }
    const driver = run.tool.driver;
    if (typeof driver.name !== "string" || driver.name === "") bad.push("driver.name missing");
    const rules = Array.isArray(driver.rules) ? driver.rules : [];
    const ids = rules.map((r) => (isObj(r) ? r.id : undefined));
    if (new Set(ids).size !== ids.length) bad.push("rule ids not unique");
    for (const r of rules) {
      if (!isObj(r) || typeof r.id !== "string") bad.push("rule without id");
      else if (r.helpUri !== undefined && !/^[a-z][a-z0-9+.-]*:/i.test(String(r.helpUri)))
        bad.push(`rule ${r.id}: helpUri is not an absolute URI`);
    }
    if (!Array.isArray(run.results)) {
      bad.push("results missing");
      continue;
    }
    for (const [i, res] of run.results.entries()) {
      const at = `results[${i}]`;
      if (!isObj(res)) {
        bad.push(`${at} not an object`);
        continue;
      }
      if (typeof res.ruleId !== "string") bad.push(`${at}.ruleId missing`);
      if (typeof res.ruleIndex === "number" && ids[res.ruleIndex] !== res.ruleId) bad.push(`${at}.ruleIndex wrong`);
      if (!["none", "note", "warning", "error"].includes(String(res.level)))
        bad.push(`${at}.level ${String(res.level)}`);
      if (!isObj(res.message) || typeof res.message.text !== "string" || res.message.text === "")
        bad.push(`${at}.message.text missing`);
      if (!Array.isArray(res.locations)) bad.push(`${at}.locations missing`);
      else
        for (const loc of res.locations) {
          const pl = isObj(loc) ? loc.physicalLocation : undefined;
          if (!isObj(pl) || !isObj(pl.artifactLocation) || typeof pl.artifactLocation.uri !== "string") {
            bad.push(`${at} location without artifactLocation.uri`);
            continue;
          }
          const region = pl.region;
          if (region !== undefined) {
            if (!isObj(region)) bad.push(`${at} region`);
            else
              for (const k of ["startLine", "startColumn"])
                if (region[k] !== undefined && !(Number.isInteger(region[k]) && (region[k] as number) >= 1))
                  bad.push(`${at}.region.${k} = ${String(region[k])}`);
          }
        }
    }
  }
  return bad;
}

/** Line and column (1-based) of the first occurrence of `needle` in `text`. */
export function posOf(text: string, needle: string): { line: number; column: number } {
  const i = text.indexOf(needle);
  if (i < 0) throw new Error(`${needle} not in text`);
  const before = text.slice(0, i).split("\n");
  return { line: before.length, column: (before.at(-1) ?? "").length + 1 };
}
