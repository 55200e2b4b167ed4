// Shared facts for the ops family's rule tests: pools read from variables by the stage's own reader, providers
// recognised from host names, and hand-built live facts (version, slots, schema, clients).
import type { HostEntry } from "../../../../src/conninfo/types.js";
import type { LibpqMajor } from "../../../../src/model/options.js";
import type { SslMode } from "../../../../src/model/sslmode.js";
import { computeCapacity, type ServerSlots } from "../../../../src/ops/capacity.js";
import { readPoolSettings } from "../../../../src/ops/pool.js";
import { recogniseProvider } from "../../../../src/ops/providers.js";
import type {
  ClientsFacts,
  LiveFacts,
  OpsFacts,
  PoolFacts,
  ProviderFacts,
  SchemaFacts,
} from "../../../../src/ops/types.js";
import type { EnvFileEntry } from "../../../../src/resolve/index.js";
import type { Facts } from "../../../../src/rules/facts.js";

/** --env-file variables, one per line of `name` in order. */
export function file(vars: Record<string, string>, name = ".env"): Record<string, EnvFileEntry> {
  return Object.fromEntries(Object.entries(vars).map(([k, value], i) => [k, { value, file: name, line: i + 1 }]));
}

/** SkillFlaw's default pool (no variable set). */
export const defaultPool: PoolFacts = readPoolSettings({}, {});

export function opsFacts(over: Partial<OpsFacts> = {}): OpsFacts {
  return {
    pool: defaultPool,
    instances: 1,
    workers: 1,
    provider: null,
    firstHost: "db.internal:5432",
    liveTried: false,
    live: { status: "skipped", reason: "--offline: no session to the server" },
    ...over,
  };
}

/** The facts of a run whose pool variables are these (--env-file variables, environment). */
export function pool(fileVars: Record<string, EnvFileEntry>, env: NodeJS.ProcessEnv = {}): Partial<Facts> {
  return { ops: opsFacts({ pool: readPoolSettings(fileVars, env) }) };
}

export const slots: ServerSlots = {
  maxConnections: 100,
  superuserReserved: 3,
  reserved: 0,
  inUse: 10,
  sameUserInUse: 4,
};

export function schema(s: Partial<SchemaFacts> = {}): SchemaFacts {
  return {
    schema: "public",
    alembicTable: true,
    alembicVersions: ["abc123"],
    present: [],
    missing: [],
    state: "complete",
    ...s,
  };
}

export function clients(c: Partial<ClientsFacts> = {}): ClientsFacts {
  return {
    database: "skillflaw",
    groups: [],
    total: 0,
    hiddenSessions: 0,
    canReadAllStats: false,
    migrationLock: [],
    ...c,
  };
}

/** A completed session on db.internal:5432 to database skillflaw: PostgreSQL 17, a fitting pool, a complete schema. */
export function live(over: Partial<LiveFacts> = {}, ops: Partial<OpsFacts> = {}): Partial<Facts> {
  const value: LiveFacts = {
    session: {
      host: "db.internal",
      port: "5432",
      user: "app",
      database: "skillflaw",
      sslmode: "verify-full",
      ssl: true,
      sslVersion: "TLSv1.3",
    },
    version: { num: 170004, text: "17.4" },
    capacity: { status: "completed", value: computeCapacity(slots, 1, 1, 50) },
    schema: { status: "completed", value: schema() },
    ...over,
  };
  return { ops: opsFacts({ liveTried: true, live: { status: "completed", value }, ...ops }) };
}

function hostEntry(host: string, port = "5432"): HostEntry {
  return { host, port, kind: /^[\d.]+$/.test(host) || host.includes(":") ? "ip" : "dns" };
}

export interface ProviderCase {
  port?: string;
  mode?: SslMode | null;
  major?: LibpqMajor;
  values?: Record<string, string>;
}

/** The provider facts the stage recognises for this host and client (verify-full, libpq 17, user app by default). */
export function providerOf(host: string, opts: ProviderCase = {}): ProviderFacts | null {
  return recogniseProvider({
    hosts: [hostEntry(host, opts.port)],
    values: opts.values ?? { user: "app" },
    major: opts.major ?? 17,
    configuredMode: opts.mode === undefined ? "verify-full" : opts.mode,
  });
}

export function provider(host: string, opts: ProviderCase = {}): Partial<Facts> {
  return { ops: opsFacts({ provider: providerOf(host, opts) }) };
}

/** One fixture per provider: host, id, endpoint kind, a text the advice must name. */
export const PROVIDER_FIXTURES: Array<[string, string, string, string]> = [
  ["mydb.abcdefghij12.eu-west-1.rds.amazonaws.com", "aws-rds", "instance", "global-bundle.pem"],
  ["myproxy.proxy-abcdefghij12.eu-west-1.rds.amazonaws.com", "aws-rds", "proxy", "Amazon Root CA 1"],
  ["aurora.cluster-abcdefghij12.us-east-1.rds.amazonaws.com", "aws-rds", "cluster", "global-bundle.pem"],
  ["aurora.cluster-ro-abcdefghij12.us-east-1.rds.amazonaws.com", "aws-rds", "cluster-reader", "read-only endpoint"],
  ["myserver.postgres.database.azure.com", "azure", "server", "DigiCert Global Root G2"],
  ["1a2b3c4d5e6f.7g8h9i0j1k2l.us-central1.sql.goog", "google-cloud-sql", "dns-name", "server-ca.pem"],
  ["db.abcdefghijklmnop.supabase.co", "supabase", "direct", "prod-ca-2021.crt"],
  ["aws-0-eu-central-1.pooler.supabase.com", "supabase", "pooler-session", "postgres.<project-ref>"],
  ["ep-cool-darkness-123456.us-east-2.aws.neon.tech", "neon", "direct", "Let's Encrypt"],
  ["ec2-54-12-34-56.compute-1.amazonaws.com", "heroku", "server", "a guess"],
  ["db-postgresql-fra1-12345-do-user-1-0.b.db.ondigitalocean.com", "digitalocean", "direct", "ca-certificate.crt"],
  ["p.abcdefghijklmnopqrstuvwxyz.db.postgresbridge.com", "crunchy-bridge", "server", "/teams/{team_id}.pem"],
];
