// Every expectation of the chosen lab scenarios through every real client, judged against the declaration, and
// the normalised outcome table recorded in fixtures/clients/ (npm run oracles:record) for unit tests that must
// check predicted texts per client without the clients themselves.
import { readFile } from "node:fs/promises";
import path from "node:path";
import {
  type Backend,
  CERTS_DIR,
  type ClientTraits,
  dialSettings,
  entryOf,
  expectationFor,
  LAB_DIR,
  type Lab,
  type OracleClient,
  REPO_ROOT,
  type ResolvedExpectation,
  resolveBinaries,
  type Scenario,
  scenarioNodes,
} from "../../scripts/lab/index.js";
import { type ClientInfo, linkedLibraries, opensslGeneration, opensslOf, runAttempt } from "./clients.js";
import { pool } from "./psql-oracle.js";

export const RECORD_FILE = path.join(REPO_ROOT, "fixtures", "clients", "outcomes.json");

/** One attempt's outcome, with every volatile part (ports, temporary paths) replaced by a placeholder. */
export interface OutcomeRecord {
  backend: Backend;
  scenario: string;
  expectation: string;
  client: OracleClient;
  /** The libpq keywords dialled; `{port:NAME}` for the scenario's servers, `{certs}` for the lab PKI. */
  settings: Record<string, string>;
  env?: Record<string, string>;
  systemStore?: string;
  /** Whether a password was given (never the password). */
  password: boolean;
  ok: boolean;
  /** As the client reports it; null when the attempt failed. */
  ssl: boolean | null;
  protocol: string | null;
  /** The client's full error text ("" when ok), normalised. */
  error: string;
}

export interface JudgedOutcome extends OutcomeRecord {
  expected: ResolvedExpectation;
  /** false when the declaration holds nothing for this client (below its minLibpq). */
  judged: boolean;
  /** Empty when the client agrees with the declaration; otherwise what differs. */
  disagreement: string;
  ms: number;
}

export interface ServerFacts {
  /** As `postgres --version` prints it. */
  version: string;
  major: number;
  /** The OpenSSL the server binary links (OpenSSL_version of its libcrypto). */
  openssl: string;
}

/** What one client said for one attempt. */
export type ClientResult = Pick<OutcomeRecord, "ok" | "ssl" | "protocol" | "error">;

/** One attempt (scenario expectation on one backend) and what each client said. */
export interface RecordedAttempt
  extends Pick<
    OutcomeRecord,
    "backend" | "scenario" | "expectation" | "settings" | "env" | "systemStore" | "password"
  > {
  results: Partial<Record<OracleClient, ClientResult>>;
}

export interface RecordFile {
  $comment: string;
  clients: Partial<Record<OracleClient, Omit<ClientInfo, "client">>>;
  servers: Partial<Record<Backend, ServerFacts>>;
  attempts: RecordedAttempt[];
}

export async function serverFacts(backend: "embedded" | "system"): Promise<ServerFacts> {
  const bins = await resolveBinaries(backend);
  const crypto = [...(await linkedLibraries(bins.postgres)).entries()].find(([n]) => n.startsWith("libcrypto"))?.[1];
  const openssl = crypto ? (await opensslOf(crypto)).openssl : "not linked with OpenSSL";
  return { version: bins.version, major: bins.major, openssl };
}

/** Replaces what changes from run to run: the servers' ports, the HOME of the attempt, the repository's path. */
export function normalise(text: string, ports: ReadonlyMap<string, number>, home?: string): string {
  let out = text;
  if (home) out = out.split(home).join("{home}");
  out = out.split(CERTS_DIR).join("{certs}").split(LAB_DIR).join("{lab}").split(REPO_ROOT).join("{repo}");
  for (const [name, port] of ports) out = out.replace(new RegExp(`\\b${port}\\b`, "g"), `{port:${name}}`);
  return out;
}

function normaliseRecord(values: Record<string, string>, ports: ReadonlyMap<string, number>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, normalise(v, ports)]));
}

export function firstLine(error: string): string {
  return error.split("\n")[0] ?? "";
}

function judge(r: OutcomeRecord, expected: ResolvedExpectation): string {
  if (!expected.applies) return "";
  if (r.ok !== expected.ok) {
    return `declared ${expected.ok ? "ok" : "a failure"}, the client ${r.ok ? "connected" : `failed: ${r.error}`}`;
  }
  if (!r.ok && expected.errorIncludes && !r.error.includes(expected.errorIncludes)) {
    return `declared an error with "${expected.errorIncludes}", the client said: ${r.error}`;
  }
  if (r.ok && expected.ssl !== undefined && r.ssl !== expected.ssl) {
    return `declared ssl=${expected.ssl}, the client's session has ssl=${r.ssl}`;
  }
  return "";
}

/**
 * Runs each scenario's expectations through each client against the running lab. Rows come back in declaration
 * order (scenario, expectation, client) whatever the concurrency.
 */
export async function runScenarios(
  lab: Lab,
  backend: Backend,
  scenarios: readonly Scenario[],
  clients: readonly ClientInfo[],
  opts: { concurrency?: number } = {},
): Promise<JudgedOutcome[]> {
  const jobs: { scenario: Scenario; index: number; client: ClientInfo }[] = [];
  for (const scenario of scenarios) {
    if (!lab.servers.has(scenario.spec.name)) continue;
    scenario.expectations.forEach((_, index) => {
      for (const client of clients) jobs.push({ scenario, index, client });
    });
  }
  return pool(jobs, opts.concurrency ?? 4, async ({ scenario, index, client }) => {
    const exp = scenario.expectations[index];
    if (!exp) throw new Error(`${scenario.name}: no expectation ${index}`);
    const ports = new Map<string, number>();
    for (const name of scenarioNodes(scenario)) {
      const s = lab.servers.get(name);
      if (s) ports.set(name, s.port);
    }
    const server = lab.servers.get(entryOf(scenario));
    if (!server) throw new Error(`${scenario.name}: its entry ${entryOf(scenario)} is not running`);
    const settings = dialSettings(exp, ports, entryOf(scenario));
    const r = await runAttempt(client.client, {
      settings,
      ...(exp.password !== undefined ? { password: exp.password } : {}),
      ...(exp.env ? { env: exp.env } : {}),
      ...(exp.systemStore ? { systemStore: exp.systemStore } : {}),
    });
    const traits: ClientTraits = {
      client: client.client,
      libpq: Math.floor(client.libpq / 10000),
      openssl: opensslGeneration(client.openssl),
      serverMajor: server.major,
      backend,
    };
    const expected = expectationFor(exp, traits);
    const record: OutcomeRecord = {
      backend,
      scenario: scenario.name,
      expectation: exp.description,
      client: client.client,
      settings: normaliseRecord(settings, ports),
      ...(exp.env ? { env: normaliseRecord(exp.env, ports) } : {}),
      ...(exp.systemStore ? { systemStore: normalise(exp.systemStore, ports) } : {}),
      password: exp.password !== undefined,
      ok: r.ok,
      ssl: r.sslInUse,
      protocol: r.protocol,
      error: normalise(r.error, ports, r.home),
    };
    return { ...record, expected, judged: expected.applies, disagreement: judge(record, expected), ms: r.ms };
  });
}

/** The record as committed: one entry per attempt with each client's result; judgments and timings dropped. */
export function toRecord(rows: readonly OutcomeRecord[]): RecordedAttempt[] {
  const out: RecordedAttempt[] = [];
  const byKey = new Map<string, RecordedAttempt>();
  for (const r of rows) {
    const k = `${r.backend}\u0000${r.scenario}\u0000${r.expectation}`;
    let a = byKey.get(k);
    if (!a) {
      a = {
        backend: r.backend,
        scenario: r.scenario,
        expectation: r.expectation,
        settings: r.settings,
        ...(r.env ? { env: r.env } : {}),
        ...(r.systemStore ? { systemStore: r.systemStore } : {}),
        password: r.password,
        results: {},
      };
      byKey.set(k, a);
      out.push(a);
    }
    a.results[r.client] = { ok: r.ok, ssl: r.ssl, protocol: r.protocol, error: r.error };
  }
  return out;
}

/** Back to one row per attempt and client. */
export function fromRecord(attempts: readonly RecordedAttempt[]): OutcomeRecord[] {
  return attempts.flatMap(({ results, ...a }) =>
    Object.entries(results).map(([client, r]) => ({ ...a, client: client as OracleClient, ...(r as ClientResult) })),
  );
}

export async function readRecord(file = RECORD_FILE): Promise<RecordFile | undefined> {
  try {
    return JSON.parse(await readFile(file, "utf8")) as RecordFile;
  } catch {
    return undefined;
  }
}

function key(r: Pick<OutcomeRecord, "backend" | "scenario" | "expectation" | "client">): string {
  return `${r.backend} / ${r.scenario} / ${r.expectation} / ${r.client}`;
}

/**
 * What the clients say now against the record, for the backends and clients measured now: a row missing on
 * either side, or a different ok or first line of the error, makes the record stale.
 */
export function staleness(now: readonly OutcomeRecord[], recorded: readonly OutcomeRecord[]): string[] {
  const backends = new Set(now.map((r) => r.backend));
  const clients = new Set(now.map((r) => r.client));
  const old = new Map(recorded.filter((r) => backends.has(r.backend) && clients.has(r.client)).map((r) => [key(r), r]));
  const out: string[] = [];
  for (const r of now) {
    const o = old.get(key(r));
    old.delete(key(r));
    if (!o) out.push(`${key(r)}: not in the record`);
    else if (o.ok !== r.ok) out.push(`${key(r)}: recorded ok=${o.ok}, now ok=${r.ok} ${firstLine(r.error)}`);
    else if (firstLine(o.error) !== firstLine(r.error)) {
      out.push(`${key(r)}: recorded "${firstLine(o.error)}", now "${firstLine(r.error)}"`);
    }
  }
  for (const k of old.keys()) out.push(`${k}: recorded, but no such attempt now`);
  return out;
}
