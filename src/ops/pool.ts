// SkillFlaw's connection-pool settings, read the way its settings code does (skillflaw.md §2):
// - SKILLFLAW_DB_CONNECTION_SETTINGS is a JSON dict that REPLACES the default dict; keys it omits take SQLAlchemy's
//   QueuePool defaults, not SkillFlaw's;
// - SKILLFLAW_POOL_SIZE / SKILLFLAW_MAX_OVERFLOW (deprecated) override the JSON only when set (model_fields_set);
// - SKILLFLAW_DB_POOL_SIZE / SKILLFLAW_DB_MAX_OVERFLOW (named in docs) match no field and are ignored;
// - names match case-insensitively (pydantic-settings), and --env-file values beat the environment (override=True).

import type { EnvFileEntry } from "../resolve/index.js";
import type { PoolBound, PoolFacts, PoolField, PoolKey, PoolProblem, PoolValueSource, VariableRef } from "./types.js";

export const SETTINGS_VARIABLE = "SKILLFLAW_DB_CONNECTION_SETTINGS";
export const DEPRECATED_VARIABLES = {
  pool_size: "SKILLFLAW_POOL_SIZE",
  max_overflow: "SKILLFLAW_MAX_OVERFLOW",
} as const;
export const DOC_ONLY_VARIABLES = ["SKILLFLAW_DB_POOL_SIZE", "SKILLFLAW_DB_MAX_OVERFLOW"] as const;
export const WORKERS_VARIABLE = "SKILLFLAW_WORKERS";

/** SkillFlaw's default db_connection_settings (minus echo). */
export const SKILLFLAW_POOL_DEFAULTS = {
  pool_size: 20,
  max_overflow: 30,
  pool_timeout: 30,
  pool_pre_ping: true,
  pool_recycle: 1800,
} as const;

/** SQLAlchemy's create_engine/QueuePool defaults, which apply to every key a set JSON leaves out. */
export const SQLALCHEMY_POOL_DEFAULTS = {
  pool_size: 5,
  max_overflow: 10,
  pool_timeout: 30,
  pool_pre_ping: false,
  pool_recycle: -1,
} as const;

type JsonKey = PoolKey;
const JSON_KEYS = Object.keys(SKILLFLAW_POOL_DEFAULTS) as JsonKey[];

/** Pools of sqlalchemy.pool (what getattr(sa.pool, name) finds and issubclass(..., Pool) accepts). */
const POOL_CLASSES = new Set([
  "Pool",
  "QueuePool",
  "AsyncAdaptedQueuePool",
  "FallbackAsyncAdaptedQueuePool",
  "NullPool",
  "SingletonThreadPool",
  "StaticPool",
  "AssertionPool",
]);

/** Misspellings and other libraries' names for the pool keys (create_engine rejects them with TypeError). */
const KEY_ALIASES: Record<string, JsonKey> = {
  size: "pool_size",
  poolsize: "pool_size",
  pool: "pool_size",
  overflow: "max_overflow",
  maxoverflow: "max_overflow",
  timeout: "pool_timeout",
  pooltimeout: "pool_timeout",
  preping: "pool_pre_ping",
  poolpreping: "pool_pre_ping",
  ping: "pool_pre_ping",
  recycle: "pool_recycle",
  poolrecycle: "pool_recycle",
};

/** A variable's value with where it was set; the value stays inside this module unless a fact needs it. */
export type Located = VariableRef & { value: string };

/** A variable as SkillFlaw's process sees it: --env-file (later file wins) over the environment, any case. */
export function lookupVariable(
  name: string,
  fileVars: Record<string, EnvFileEntry>,
  env: NodeJS.ProcessEnv,
): Located | undefined {
  const upper = name.toUpperCase();
  const fileKeys = Object.keys(fileVars).filter((k) => k.toUpperCase() === upper);
  // Exact case first; among other spellings the last one python-dotenv set.
  const fileKey = fileKeys.includes(name) ? name : fileKeys.at(-1);
  if (fileKey !== undefined) {
    const e = fileVars[fileKey] as EnvFileEntry;
    return { variable: fileKey, value: e.value, location: { file: e.file, line: e.line } };
  }
  if (env[name] !== undefined) return { variable: name, value: env[name] as string };
  const envKey = Object.keys(env)
    .filter((k) => k.toUpperCase() === upper && env[k] !== undefined)
    .sort()
    .at(-1);
  return envKey === undefined ? undefined : { variable: envKey, value: env[envKey] as string };
}

/** pydantic's lax int from a string: optional sign, digits, surrounding whitespace; a zero fraction is accepted. */
export function pydanticInt(value: string): number | null {
  const m = /^\s*([+-]?\d+)(?:\.0*)?\s*$/.exec(value);
  return m ? Number(m[1]) : null;
}

function normKey(key: string): string {
  return key.toLowerCase().replace(/[-_\s]/g, "");
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0] as number;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j] as number;
      row[j] = Math.min(cur + 1, (row[j - 1] as number) + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length] as number;
}

/** The pool key a misspelled key was meant to be, if it is close to one. */
export function misspelledKey(key: string): JsonKey | null {
  if ((JSON_KEYS as string[]).includes(key)) return null;
  const n = normKey(key);
  const alias = KEY_ALIASES[n];
  if (alias) return alias;
  for (const k of JSON_KEYS) if (normKey(k) === n || distance(key.toLowerCase(), k) <= 2) return k;
  return null;
}

/**
 * Python's json.loads accepts NaN, Infinity and -Infinity where JSON.parse does not; such a value is still not a
 * valid pool setting, so they parse to null here (the type rule then names the key).
 */
function pythonJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    // Replace the Python-only constants outside strings and try again.
    let out = "";
    let inString = false;
    for (let i = 0; i < text.length; i++) {
      const c = text[i] as string;
      if (inString) {
        out += c;
        if (c === "\\") out += text[++i] ?? "";
        else if (c === '"') inString = false;
        continue;
      }
      if (c === '"') inString = true;
      const rest = text.slice(i);
      const m = /^(-?Infinity|NaN)/.exec(rest);
      if (m) {
        out += "null";
        i += (m[1] as string).length - 1;
      } else out += c;
    }
    try {
      return { ok: true, value: JSON.parse(out) };
    } catch {
      return { ok: false };
    }
  }
}

function invalidReason(text: string): "empty" | "single-quoted" | "not-json" {
  if (text.trim() === "") return "empty";
  if (/^\s*[{[][\s\S]*'/.test(text) && pythonJson(text.replace(/'/g, '"')).ok) return "single-quoted";
  return "not-json";
}

function typeName(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  if (typeof v === "number") return Number.isInteger(v) ? "integer" : "number";
  return typeof v === "string" ? `string ${JSON.stringify(v)}` : typeof v;
}

const EXPECTED: Record<JsonKey, "integer" | "number" | "boolean"> = {
  pool_size: "integer",
  max_overflow: "integer",
  pool_timeout: "number",
  pool_pre_ping: "boolean",
  pool_recycle: "integer",
};

function typeOk(key: JsonKey, v: unknown): boolean {
  const e = EXPECTED[key];
  if (e === "boolean") return typeof v === "boolean";
  if (typeof v !== "number" || !Number.isFinite(v)) return false;
  return e === "number" || Number.isInteger(v);
}

/** The variable without its value: what a problem keeps (the JSON text may hold connect_args with a password). */
function ref(v: Located): VariableRef {
  return { variable: v.variable, ...(v.location ? { location: v.location } : {}) };
}

/** SkillFlaw's pool settings as its process would read them, with what the reading ran into. */
export function readPoolSettings(fileVars: Record<string, EnvFileEntry>, env: NodeJS.ProcessEnv): PoolFacts {
  const problems: PoolProblem[] = [];
  const values: Record<JsonKey, number | boolean> = { ...SKILLFLAW_POOL_DEFAULTS };
  const sources: Record<PoolField, PoolValueSource> = {
    pool_size: { kind: "skillflaw-default" },
    max_overflow: { kind: "skillflaw-default" },
    pool_timeout: { kind: "skillflaw-default" },
    pool_pre_ping: { kind: "skillflaw-default" },
    pool_recycle: { kind: "skillflaw-default" },
    workers: { kind: "skillflaw-default" },
  };
  let poolclass: string | null = null;
  let unknownSize: string | undefined;
  const from = (v: Located): PoolValueSource => ({ kind: "variable", ...ref(v) });

  const json = lookupVariable(SETTINGS_VARIABLE, fileVars, env);
  if (json !== undefined) {
    const at = ref(json);
    const parsed = json.value.trim() === "" ? ({ ok: false } as const) : pythonJson(json.value);
    if (!parsed.ok) {
      problems.push({ ...at, kind: "json-invalid", reason: invalidReason(json.value) });
      unknownSize = `${json.variable} is not valid, so SkillFlaw does not start`;
    } else if (parsed.value === null) {
      problems.push({ ...at, kind: "json-invalid", reason: "null" });
      unknownSize = `${json.variable} is null, so SkillFlaw's engine set-up fails`;
    } else if (typeof parsed.value !== "object" || Array.isArray(parsed.value)) {
      problems.push({ ...at, kind: "json-invalid", reason: "not-object" });
      unknownSize = `${json.variable} is not a JSON object, so SkillFlaw does not start`;
    } else {
      const obj = parsed.value as Record<string, unknown>;
      const missing: JsonKey[] = [];
      for (const key of JSON_KEYS) {
        if (!Object.hasOwn(obj, key)) {
          missing.push(key);
          values[key] = SQLALCHEMY_POOL_DEFAULTS[key];
          sources[key] = { kind: "sqlalchemy-default" };
          continue;
        }
        const v = obj[key];
        sources[key] = from(json);
        if (typeOk(key, v)) values[key] = v as number | boolean;
        else {
          problems.push({ ...at, kind: "json-type", key, expected: EXPECTED[key], got: typeName(v) });
          if (key === "pool_size" || key === "max_overflow") unknownSize = `${key} is not an integer`;
        }
      }
      if (missing.length > 0) {
        // The object is repeated in a fix only when it holds nothing but pool keys with plain values: other
        // create_engine arguments (connect_args) may carry a password.
        const given: Record<string, string | number | boolean | null> = {};
        let plain = true;
        for (const [k, v] of Object.entries(obj)) {
          const scalar = v === null || typeof v === "string" || typeof v === "number" || typeof v === "boolean";
          if (!scalar || !(JSON_KEYS.includes(k as JsonKey) || k === "poolclass")) plain = false;
          else given[k] = v;
        }
        problems.push({ ...at, kind: "json-partial", missing, ...(plain ? { given } : {}) });
      }
      for (const key of Object.keys(obj)) {
        const suggestion = misspelledKey(key);
        if (suggestion && key !== "poolclass") problems.push({ ...at, kind: "json-misspelled", key, suggestion });
      }
      if (Object.hasOwn(obj, "poolclass")) {
        const pc = obj.poolclass;
        if (typeof pc === "string" && POOL_CLASSES.has(pc)) {
          poolclass = pc;
          // NullPool takes none of QueuePool's size arguments: create_engine raises TypeError for them.
          const queueOnly = ["pool_size", "max_overflow", "pool_timeout"].filter((k) => Object.hasOwn(obj, k));
          if (pc === "NullPool" && queueOnly.length > 0)
            problems.push({ ...at, kind: "nullpool-args", keys: queueOnly });
        } else if (pc !== null) problems.push({ ...at, kind: "poolclass-invalid", poolclass: String(pc) });
      }
    }
  }

  for (const field of ["pool_size", "max_overflow"] as const) {
    const dep = lookupVariable(DEPRECATED_VARIABLES[field], fileVars, env);
    if (dep === undefined) continue;
    const n = pydanticInt(dep.value);
    if (n === null) {
      problems.push({ ...ref(dep), kind: "integer-invalid", field, value: dep.value });
      unknownSize = `${dep.variable} is not an integer, so SkillFlaw does not start`;
      continue;
    }
    problems.push({
      ...ref(dep),
      kind: "deprecated",
      field,
      value: dep.value,
      overridden: json !== undefined && sources[field].kind === "variable" ? (values[field] as number) : null,
    });
    values[field] = n;
    sources[field] = from(dep);
  }
  for (const name of DOC_ONLY_VARIABLES) {
    const doc = lookupVariable(name, fileVars, env);
    if (doc !== undefined) problems.push({ ...ref(doc), kind: "doc-variable" });
  }

  let workers = 1;
  const w = lookupVariable(WORKERS_VARIABLE, fileVars, env);
  if (w !== undefined) {
    const n = pydanticInt(w.value);
    if (n === null) problems.push({ ...ref(w), kind: "integer-invalid", field: "workers", value: w.value });
    else {
      workers = n;
      sources.workers = from(w);
    }
  }

  const poolSize = values.pool_size as number;
  const maxOverflow = values.max_overflow as number;
  let perProcess: number | null = poolSize + maxOverflow;
  let perProcessNote: string | undefined;
  let bound: PoolBound = "finite";
  if (unknownSize !== undefined) {
    perProcess = null;
    perProcessNote = unknownSize;
    bound = "unreadable";
  } else if (poolclass === "NullPool") {
    perProcess = null;
    perProcessNote = "poolclass NullPool opens one connection per session, without a limit";
    bound = "nullpool";
  } else if (maxOverflow < 0) {
    perProcess = null;
    perProcessNote = "max_overflow -1 allows unlimited overflow connections";
    bound = "unlimited-overflow";
  }

  return {
    poolSize,
    maxOverflow,
    poolTimeout: values.pool_timeout as number,
    poolPrePing: values.pool_pre_ping as boolean,
    poolRecycle: values.pool_recycle as number,
    poolclass,
    workers,
    perProcess,
    ...(perProcessNote ? { perProcessNote } : {}),
    sources,
    bound,
    settingsFrom: json === undefined ? null : ref(json),
    problems,
  };
}
