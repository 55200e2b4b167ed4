// Validates a JSON report against docs/report.schema.json. Every test that produces JSON should call
// assertValidReport, so the schema and the program can never drift apart unnoticed.
import { readFileSync } from "node:fs";
import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";

export const SCHEMA_PATH = new URL("../../docs/report.schema.json", import.meta.url);

export const reportSchema = JSON.parse(readFileSync(SCHEMA_PATH, "utf8")) as Record<string, unknown> & {
  $defs: Record<
    string,
    { properties?: Record<string, unknown>; oneOf?: Array<{ properties?: Record<string, unknown> }> }
  >;
};

let compiled: ValidateFunction | undefined;

function validator(): ValidateFunction {
  compiled ??= new Ajv2020({ strict: true, allowUnionTypes: true, allErrors: true }).compile(reportSchema);
  return compiled;
}

function describe(errors: readonly ErrorObject[]): string {
  return errors
    .map((e) => `  ${e.instancePath || "(root)"} ${e.message ?? "is invalid"} ${JSON.stringify(e.params)}`)
    .join("\n");
}

/** The schema's errors for a value, or [] when it is a valid report. */
export function reportSchemaErrors(json: unknown): string[] {
  const validate = validator();
  return validate(json) ? [] : describe(validate.errors ?? []).split("\n");
}

/** Throws, listing every violation, unless `json` (a parsed value or the JSON text) is a valid report. */
export function assertValidReport(json: unknown): void {
  const value = typeof json === "string" ? (JSON.parse(json) as unknown) : json;
  const errors = reportSchemaErrors(value);
  if (errors.length > 0) throw new Error(`report does not match docs/report.schema.json:\n${errors.join("\n")}`);
}
