// The operations facts in docs/report.schema.json against their TypeScript types: each object's fields and which are
// required (a field added to a type without the schema is a compile error here, one missing from the schema fails),
// the closed sets, and real facts from the stage's own readers validated inside a report.
import { describe, expect, it } from "vitest";
import { readPoolSettings } from "../../../src/ops/pool.js";
import type {
  OpsFacts,
  PoolBound,
  PoolFacts,
  PoolProblem,
  ProviderClient,
  ProviderFacts,
  VersionFacts,
} from "../../../src/ops/types.js";
import { assertValidReport, reportSchema } from "../../helpers/schema.js";
import { loadFixture } from "../report/fixtures.js";
import { file, opsFacts, providerOf } from "../rules/ops/fixtures.js";

// biome-ignore lint/complexity/noBannedTypes: `{} extends Pick<T, K>` is the standard test for an optional key
type Presence<T> = { [K in keyof T]-?: {} extends Pick<T, K> ? "optional" : "required" };

interface SchemaNode {
  properties?: Record<string, SchemaNode>;
  required?: string[];
  enum?: unknown[];
  oneOf?: SchemaNode[];
  items?: SchemaNode;
}

const ops = (reportSchema.$defs as Record<string, SchemaNode>).opsFacts as SchemaNode;
const prop = (node: SchemaNode | undefined, name: string): SchemaNode => {
  const p = node?.properties?.[name];
  if (!p) throw new Error(`schema node has no property ${name}`);
  return p;
};

function expectMatches(node: SchemaNode | undefined, presence: Record<string, string>, label: string): void {
  expect(Object.keys(node?.properties ?? {}).sort(), `${label}: properties`).toEqual(Object.keys(presence).sort());
  const required = Object.keys(presence).filter((k) => presence[k] === "required");
  expect([...(node?.required ?? [])].sort(), `${label}: required`).toEqual(required.sort());
}

const OPS: Presence<OpsFacts> = {
  pool: "required",
  instances: "required",
  workers: "required",
  provider: "required",
  firstHost: "required",
  liveTried: "required",
  live: "required",
  pooler: "optional",
  poolerStartup: "optional",
};
const POOL: Presence<PoolFacts> = {
  poolSize: "required",
  maxOverflow: "required",
  poolTimeout: "required",
  poolPrePing: "required",
  poolRecycle: "required",
  poolclass: "required",
  workers: "required",
  perProcess: "required",
  perProcessNote: "optional",
  sources: "required",
  bound: "required",
  settingsFrom: "required",
  problems: "required",
};
const PROVIDER: Presence<ProviderFacts> = {
  id: "required",
  name: "required",
  host: "required",
  port: "required",
  guess: "required",
  endpoint: "required",
  verifyFull: "required",
  client: "required",
};
const CLIENT: Presence<ProviderClient> = {
  user: "required",
  sslmode: "required",
  libpqMajor: "required",
  sslsni: "required",
  endpointOption: "required",
};
const VERSION: Presence<VersionFacts> = { num: "required", text: "required" };
const PROBLEM_KINDS: Record<PoolProblem["kind"], true> = {
  "json-invalid": true,
  "json-partial": true,
  "json-type": true,
  "json-misspelled": true,
  "poolclass-invalid": true,
  "nullpool-args": true,
  deprecated: true,
  "integer-invalid": true,
  "doc-variable": true,
};
const BOUNDS: Record<PoolBound, true> = { finite: true, nullpool: true, "unlimited-overflow": true, unreadable: true };

describe("docs/report.schema.json: the operations facts", () => {
  it("opsFacts, its pool, provider (and client) and live version have exactly the types' fields", () => {
    expectMatches(ops, OPS, "opsFacts");
    const pool = prop(ops, "pool");
    expectMatches(pool, POOL, "opsFacts.pool");
    const provider = prop(ops, "provider").oneOf?.find((b) => b.properties);
    expectMatches(provider, PROVIDER, "opsFacts.provider");
    expectMatches(prop(provider, "client"), CLIENT, "opsFacts.provider.client");
    const live = prop(ops, "live").oneOf?.find((b) => b.properties?.value);
    expectMatches(prop(prop(live, "value"), "version"), VERSION, "opsFacts.live.value.version");
  });
  it("lists exactly the problem kinds and bounds of the types", () => {
    const pool = prop(ops, "pool");
    expect([...(prop(prop(pool, "problems").items, "kind").enum ?? [])].sort()).toEqual(
      Object.keys(PROBLEM_KINDS).sort(),
    );
    expect([...(prop(pool, "bound").enum ?? [])].sort()).toEqual(Object.keys(BOUNDS).sort());
  });
  it("accepts real facts: every problem kind, a provider, and a live part that was not tried", () => {
    const readings = [
      readPoolSettings(
        file({
          SKILLFLAW_DB_CONNECTION_SETTINGS: '{"poolsize": 1, "pool_size": "5", "poolclass": "NoSuchPool"}',
          SKILLFLAW_POOL_SIZE: "x",
          SKILLFLAW_MAX_OVERFLOW: "3",
          SKILLFLAW_DB_POOL_SIZE: "1",
        }),
        { SKILLFLAW_WORKERS: "" },
      ),
      readPoolSettings({}, { SKILLFLAW_DB_CONNECTION_SETTINGS: '{"poolclass": "NullPool", "pool_size": 5}' }),
      readPoolSettings(file({ SKILLFLAW_DB_CONNECTION_SETTINGS: "{'pool_size': 5}" }), {}),
    ];
    const kinds = new Set(readings.flatMap((r) => r.problems.map((p) => p.kind)));
    expect([...kinds].sort()).toEqual(Object.keys(PROBLEM_KINDS).sort());
    const provider = providerOf("x.neon.tech", { major: 13 });
    for (const pool of readings)
      assertValidReport({
        ...loadFixture("check-skipped"),
        ops: { status: "completed", value: opsFacts({ pool, provider }) },
      });
  });
});
