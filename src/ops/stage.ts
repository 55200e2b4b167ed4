// The operations stage: offline it reads SkillFlaw's pool settings and recognises the cloud provider; online it opens
// ONE session as libpq would under the configured sslmode and reads the server version, connection slots, schema
// (and, for dbdoctor instances, the clients). A part that could not run is `skipped`/`error` with the reason. It
// measures only: src/rules/ops/ judges these facts.
import type { HostEntry } from "../conninfo/types.js";
import type { AuthProbe, LibpqMajor } from "../model/options.js";
import type { SslMode } from "../model/sslmode.js";
import type { StageResult } from "../model/stage.js";
import { ClientTlsCache } from "../modes/client-tls.js";
import type { EnvFileEntry } from "../resolve/index.js";
import { deadlineMessage, RunScope } from "../run/scope.js";
import { computeCapacity } from "./capacity.js";
import { readPoolSettings } from "./pool.js";
import { identifyPooler, proxySuspected, type SessionSigns } from "./pooler.js";
import { readAdminConsole, readSessionSigns } from "./pooler-signs.js";
import { type StartupSign, startupSign } from "./pooler-startup.js";
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
  /** --auth-probe: under `none` the session's password is kept back too (modes/credentials.ts). */
  authProbe: AuthProbe;
  /** The run's deadline owner; without one the stage makes its own (three times the timeout). */
  scope?: RunScope;
  /** Client TLS material already read for this run (the matrix's), else read here. */
  tls?: ClientTlsCache;
}

/** libpq's text when the server answers 'N' to a mode that requires SSL (fe-connect.c). */
const NO_SSL = "server does not support SSL, but SSL was required";

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

async function live(
  ctx: OpsContext,
  scope: RunScope,
  workers: number,
  perProcess: number | null,
): Promise<StageResult<LiveFacts>> {
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
  if (!opened.ok) return { status: "skipped", reason: `no session under sslmode=${mode}: ${opened.reason}` };
  const s = opened.session;
  try {
    await s.client.query("begin transaction read only");
    const basics = await readBasics(s.client);

    let capacity: LiveFacts["capacity"];
    try {
      const usage = await readUsage(s.client);
      capacity = {
        status: "completed",
        value: computeCapacity({ ...basics.slots, ...usage }, ctx.instances, workers, perProcess),
      };
    } catch (err) {
      capacity = { status: "error", reason: `could not count sessions: ${message(err)}` };
    }

    let schema: LiveFacts["schema"];
    try {
      schema = await readSchema(s.client, basics.schema);
    } catch (err) {
      schema = { status: "error", reason: message(err) };
    }

    const signs = await poolerSigns(ctx, scope, mode, s, Number(s.host.port || "5432"));
    const value: LiveFacts = {
      ...(signs ? { poolerSigns: signs } : {}),
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
        value.clients = { status: "completed", value: await readClients(s.client, basics.database) };
      } catch (err) {
        value.clients = { status: "error", reason: message(err) };
      }
    }
    await s.client.query("rollback").catch(() => undefined);
    return { status: "completed", value };
  } catch (err) {
    return { status: "error", reason: message(err) };
  } finally {
    await s.close();
  }
}

/** The session under the run's deadline: cut, the stage says it could not run, never a pass. */
async function liveWithin(
  ctx: OpsContext,
  workers: number,
  perProcess: number | null,
): Promise<StageResult<LiveFacts>> {
  // Without the run's scope (a test, a library caller), the stage owns its sockets and its deadline itself.
  const own = ctx.scope ? null : new RunScope(3 * ctx.timeoutMs);
  const scope = ctx.scope ?? (own as RunScope);
  try {
    return await scope.race(live(ctx, scope, workers, perProcess), () => ({
      status: "skipped",
      reason: deadlineMessage(scope, "the session's checks finished"),
    }));
  } finally {
    if (own) {
      await own.drain();
      own.close();
    }
  }
}

/**
 * Both ends of our link (ops/pooler-signs.ts) and, when they show something in between, PgBouncer's admin console,
 * opened like the application's session. A sign that could not be read is left out: detection then has less to go on.
 */
async function poolerSigns(
  ctx: OpsContext,
  scope: RunScope,
  mode: SslMode,
  session: { client: Parameters<typeof readSessionSigns>[0]; connection: unknown },
  port: number,
): Promise<SessionSigns | undefined> {
  const client = session.client;
  let signs: SessionSigns;
  await client.query("savepoint dbdoctor_pooler");
  try {
    signs = await readSessionSigns(client, port, session.connection);
  } catch {
    await client.query("rollback to savepoint dbdoctor_pooler").catch(() => undefined);
    return undefined;
  }
  if (!proxySuspected(signs)) return signs;
  const adminConsole = await readAdminConsole(async () => {
    const o = await openSession({
      values: { ...ctx.values, dbname: "pgbouncer" },
      hosts: ctx.hosts,
      mode,
      home: ctx.home,
      major: ctx.major,
      timeoutMs: ctx.timeoutMs,
      authProbe: ctx.authProbe,
      scope,
      tls: ctx.tls ?? new ClientTlsCache({ values: ctx.values, home: ctx.home, major: ctx.major }),
    });
    return o.ok ? { ok: true, client: o.session.client, close: o.session.close } : { ok: false, reason: o.reason };
  });
  return { ...signs, adminConsole };
}

export async function runOpsStage(ctx: OpsContext): Promise<StageResult<OpsFacts>> {
  const pool = readPoolSettings(ctx.fileVars, ctx.env);
  const workers = ctx.workers ?? pool.workers;
  const provider = recogniseProvider({
    hosts: ctx.hosts,
    values: ctx.values,
    major: ctx.major,
    configuredMode: ctx.configuredMode,
  });
  const first = ctx.hosts[0];
  const liveTried = !ctx.offline && !ctx.liveBlocked;
  const liveResult: StageResult<LiveFacts> = ctx.offline
    ? { status: "skipped", reason: "--offline: no session to the server" }
    : ctx.liveBlocked
      ? { status: "skipped", reason: ctx.liveBlocked }
      : await liveWithin(ctx, workers, pool.perProcess);
  // No session because the address answered 'N' (libpq: "server does not support SSL"): PostgreSQL with ssl = off, or
  // a PgBouncer without client TLS. One credential-free startup tells them apart (ops/pooler-startup.ts).
  const tcp = first && first.kind !== "unix-socket" ? first : undefined;
  const startup: StartupSign | undefined =
    liveResult.status !== "completed" && liveTried && tcp && liveResult.reason.includes(NO_SSL)
      ? await startupSign(tcp.host, Number(tcp.port || "5432"), ctx.timeoutMs)
      : undefined;
  return {
    status: "completed",
    value: {
      pool,
      instances: ctx.instances,
      workers,
      provider,
      firstHost: first ? `${first.host}:${first.port || "5432"}` : null,
      liveTried,
      live: liveResult,
      ...(startup ? { poolerStartup: startup } : {}),
      pooler: identifyPooler({
        ...(liveResult.status === "completed" && liveResult.value.poolerSigns
          ? { session: liveResult.value.poolerSigns }
          : {}),
        ...(startup ? { startup } : {}),
        provider,
      }),
    },
  };
}
