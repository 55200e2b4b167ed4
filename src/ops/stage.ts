// The operations stage: offline it reads SkillFlaw's pool settings and recognises the cloud provider; online it opens
// ONE session as libpq would under the configured sslmode and checks the server version, connection slots, schema
// (and, for dbdoctor instances, the clients). A part that could not run is `skipped`/`error` with the reason.
import type { AuthProbe } from "../cli/options.js";
import type { HostEntry, LibpqMajor } from "../conninfo/types.js";
import { ClientTlsCache } from "../modes/client-tls.js";
import type { Finding, SslMode, StageResult } from "../report/types.js";
import type { EnvFileEntry } from "../resolve/index.js";
import { capacityRules, clientsRules, providerRules, schemaRules, versionRules } from "../rules/ops.js";
import { finding } from "../rules/registry.js";
import { deadlineMessage, RunScope } from "../run/scope.js";
import { computeCapacity } from "./capacity.js";
import { readPoolSettings } from "./pool.js";
import { recogniseProvider } from "./providers.js";
import { readBasics, readClients, readSchema, readUsage } from "./queries.js";
import { openSession } from "./session.js";
import type { LiveFacts, OpsFacts } from "./types.js";

export interface OpsContext {
  /** Effective libpq values, raw (the password included): never printed. */
  values: Record<string, string | undefined>;
  hosts: HostEntry[];
  configuredMode: SslMode | null;
  fileVars: Record<string, EnvFileEntry>;
  env: NodeJS.ProcessEnv;
  home: string | null;
  major: LibpqMajor;
  timeoutMs: number;
  instances: number;
  /** --workers; without it SKILLFLAW_WORKERS, else 1. */
  workers?: number;
  offline: boolean;
  /** dbdoctor instances: also group the database's clients. */
  listClients?: boolean;
  /** Why no session should be tried at all (e.g. libpq would refuse the parameters). */
  liveBlocked?: string;
  /** --auth-probe: under `none` the session's password is kept back too (credentials.ts). */
  authProbe: AuthProbe;
  /** The run's deadline owner; without one the stage makes its own (three times the timeout). */
  scope?: RunScope;
  /** Client TLS material already read for this run (the matrix's), else read here. */
  tls?: ClientTlsCache;
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

type LiveOutcome = { result: StageResult<LiveFacts>; findings: Finding[] };

async function live(
  ctx: OpsContext,
  scope: RunScope,
  workers: number,
  perProcess: number | null,
  note?: string,
): Promise<LiveOutcome> {
  const findings: Finding[] = [];
  const mode: SslMode = ctx.configuredMode ?? "prefer";
  const opened = await openSession({
    values: ctx.values,
    hosts: ctx.hosts,
    mode,
    home: ctx.home,
    major: ctx.major,
    timeoutMs: ctx.timeoutMs,
    authProbe: ctx.authProbe,
    scope,
    tls: ctx.tls ?? new ClientTlsCache({ values: ctx.values, home: ctx.home, major: ctx.major }),
  });
  if (!opened.ok)
    return {
      result: { status: "skipped", reason: `no session under sslmode=${mode}: ${opened.reason}` } as const,
      findings,
    };
  const s = opened.session;
  const subject = `${s.host.host}:${s.host.port || "5432"}`;
  try {
    await s.client.query("begin transaction read only");
    const basics = await readBasics(s.client);
    findings.push(...versionRules(basics.version, subject));

    let capacity: LiveFacts["capacity"];
    try {
      const usage = await readUsage(s.client);
      const c = computeCapacity({ ...basics.slots, ...usage }, ctx.instances, workers, perProcess);
      capacity = { status: "completed", value: c };
      findings.push(...capacityRules(c, subject, note));
    } catch (err) {
      capacity = { status: "error", reason: `could not count sessions: ${message(err)}` };
    }

    let schema: LiveFacts["schema"];
    try {
      schema = await readSchema(s.client, basics.schema);
      if (schema.status === "completed") findings.push(...schemaRules(schema.value, basics.database));
      else
        findings.push(
          finding("ops.schema-unreadable", basics.database, `The schema check could not run: ${schema.reason}.`),
        );
    } catch (err) {
      schema = { status: "error", reason: message(err) };
      findings.push(
        finding("ops.schema-unreadable", basics.database, `The schema check could not run: ${message(err)}.`),
      );
    }

    const value: LiveFacts = {
      session: {
        host: s.host.host,
        port: s.host.port || "5432",
        user: basics.user,
        database: basics.database,
        sslmode: ctx.configuredMode,
        ssl: basics.ssl,
        sslVersion: basics.sslVersion,
      },
      version: basics.version,
      capacity,
      schema,
    };
    if (ctx.listClients) {
      try {
        const clients = await readClients(s.client, basics.database);
        value.clients = { status: "completed", value: clients };
        findings.push(...clientsRules(clients));
      } catch (err) {
        value.clients = { status: "error", reason: message(err) };
      }
    }
    await s.client.query("rollback").catch(() => undefined);
    return { result: { status: "completed", value } as const, findings };
  } catch (err) {
    return { result: { status: "error", reason: message(err) } as const, findings };
  } finally {
    await s.close();
  }
}

export async function runOpsStage(ctx: OpsContext): Promise<{ result: StageResult<OpsFacts>; findings: Finding[] }> {
  const pool = readPoolSettings(ctx.fileVars, ctx.env);
  const findings: Finding[] = [...pool.findings];
  const workers = ctx.workers ?? pool.settings.workers;
  const advice = recogniseProvider({
    hosts: ctx.hosts,
    values: ctx.values,
    major: ctx.major,
    configuredMode: ctx.configuredMode,
  });
  if (advice) findings.push(...providerRules(advice));

  let liveResult: StageResult<LiveFacts>;
  if (ctx.offline) liveResult = { status: "skipped", reason: "--offline: no session to the server" };
  else if (ctx.liveBlocked) liveResult = { status: "skipped", reason: ctx.liveBlocked };
  else {
    const own = ctx.scope ? null : new RunScope(3 * ctx.timeoutMs);
    const scope = ctx.scope ?? (own as RunScope);
    let r: LiveOutcome;
    try {
      // The session and its queries end at the deadline; the stage then says it could not run, never a pass.
      r = await scope.race(live(ctx, scope, workers, pool.settings.perProcess, pool.settings.perProcessNote), () => ({
        result: { status: "skipped", reason: deadlineMessage(scope, "the session's checks finished") },
        findings: [],
      }));
    } finally {
      if (own) {
        await own.drain();
        own.close();
      }
    }
    liveResult = r.result;
    findings.push(...r.findings);
    if (r.result.status !== "completed") {
      const host = ctx.hosts[0];
      findings.push(
        finding(
          "ops.live-unavailable",
          host ? `${host.host}:${host.port || "5432"}` : "server",
          `The server version, connection slots and schema were not checked: ${r.result.reason}.`,
        ),
      );
    }
  }
  const value: OpsFacts = {
    pool: pool.facts,
    instances: ctx.instances,
    workers,
    provider: advice?.facts ?? null,
    live: liveResult,
  };
  return { result: { status: "completed", value }, findings };
}
