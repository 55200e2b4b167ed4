// Validates SARIF logs against the OASIS SARIF 2.1.0 JSON schema (fixtures/sarif/README.md), in both published
// forms: the Committee Specification's draft-07 schema and the OASIS Standard's errata01 schema (draft-04).
import { readFileSync } from "node:fs";
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";

const read = (name: string) =>
  JSON.parse(readFileSync(new URL(`../../fixtures/sarif/${name}`, import.meta.url), "utf8")) as Record<string, unknown>;

/**
 * The errata01 schema is written for draft-04, which ajv 8 does not load. Every keyword it uses means the same in
 * draft-07 (type, enum, pattern, required, properties, additionalProperties, items, anyOf, oneOf, minimum,
 * minItems, uniqueItems, default, format, $ref into #/definitions); only the identifier keyword changed its name
 * (draft-04 `id`, draft-07 `$id`). So the loader renames the top-level `id` and declares draft-07; nothing else.
 */
function errata01AsDraft07(schema: Record<string, unknown>): Record<string, unknown> {
  const { id, $schema: _draft04, ...rest } = schema;
  return { $schema: "http://json-schema.org/draft-07/schema#", $id: id, ...rest };
}

/**
 * ajv-formats is not a dependency: the schema's formats get these checks, which hold the values dbdoctor writes
 * (an https help URI, a relative or file: artifact URI) to RFC 3986's shape: a scheme, then no whitespace.
 */
const FORMATS = {
  uri: (s: string) => /^[A-Za-z][A-Za-z0-9+.-]*:\S*$/.test(s) && URL.canParse(s),
  "uri-reference": (s: string) => !/\s/.test(s) && URL.canParse(s, "file:///"),
  "date-time": (s: string) =>
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i.test(s) && !Number.isNaN(Date.parse(s)),
};

/**
 * Strict, so a keyword ajv does not know fails instead of being ignored; but the schema's `anyOf` of `required`
 * lists (a region needs startLine, charOffset or byteOffset) is valid JSON Schema that ajv's strictRequired style
 * check refuses, and its type lists are unions. The draft-07 schema's language pattern
 * `^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$` (errata01 corrected it) is an ECMA-262 regular expression only
 * without the `u` flag, which ajv adds by default.
 */
const OPTIONS = {
  allErrors: true,
  strict: true,
  strictRequired: false,
  allowUnionTypes: true,
  unicodeRegExp: false,
  formats: FORMATS,
};

export const SARIF_SCHEMAS = ["OASIS 2.1.0 (draft-07)", "OASIS 2.1.0 errata01"] as const;
type SarifSchema = (typeof SARIF_SCHEMAS)[number];

let compiled: Record<SarifSchema, ValidateFunction> | undefined;

function validators(): Record<SarifSchema, ValidateFunction> {
  compiled ??= {
    "OASIS 2.1.0 (draft-07)": new Ajv(OPTIONS).compile(read("sarif-schema-2.1.0.json")),
    "OASIS 2.1.0 errata01": new Ajv(OPTIONS).compile(errata01AsDraft07(read("sarif-schema-2.1.0-errata01.json"))),
  };
  return compiled;
}

const describe = (errors: readonly ErrorObject[]) =>
  errors.map((e) => `${e.instancePath || "(root)"} ${e.message ?? "is invalid"} ${JSON.stringify(e.params)}`);

/** Each schema's errors for a SARIF log (parsed, or its JSON text); [] under each when it is valid. */
export function sarifSchemaErrors(log: unknown): Record<SarifSchema, string[]> {
  const value = typeof log === "string" ? (JSON.parse(log) as unknown) : log;
  const out = {} as Record<SarifSchema, string[]>;
  for (const [name, validate] of Object.entries(validators()) as Array<[SarifSchema, ValidateFunction]>)
    out[name] = validate(value) ? [] : describe(validate.errors ?? []);
  return out;
}

export const SARIF_VALID: Record<SarifSchema, string[]> = { "OASIS 2.1.0 (draft-07)": [], "OASIS 2.1.0 errata01": [] };
