// Is there a pooler or proxy between the client and PostgreSQL, and which one (issue 15)? PgBouncer and pgpool-II
// answer the SSLRequest and run TLS themselves and keep a separate (often plaintext) link to the server, so the
// server's own view (pg_stat_ssl, the ssl setting, inet_server_port, max_connections) describes that link, not the
// client's. This module only names what the measured signs show; src/rules/pooler/ judges it.
//
// The signs, and why each one means what it says:
// - backend-key: PgBouncer sends the client a BackendKeyData of 8 random bytes (proto.c welcome_client:
//   get_random_bytes(client->cancel_key, 8)); PostgreSQL sends its backend's pid. A pid in BackendKeyData that is
//   not pg_backend_pid() means something else answered the startup.
// - tls-split: the client's own handshake was TLS while pg_stat_ssl says our backend's connection is not (or the
//   reverse): only a TLS-terminating proxy does that.
// - ssl-answer: the server says ssl = on but the client was answered 'N' to its SSLRequest (PostgreSQL with ssl = on
//   always answers 'S'): something else answered.
// - port-differs: inet_server_port() is not the port dialled. A proxy, but also a NAT or a container's port mapping:
//   weak alone.
// - admin-console: the virtual database "pgbouncer" exists (PgBouncer's admin console; PostgreSQL says database
//   "pgbouncer" does not exist), whether or not our role may use it.
// - pool-version: `SHOW pool_version` answers (pgpool-II's own command; PostgreSQL: unrecognized parameter).
// - error-text: an error only PgBouncer words so (client.c, objects.c: "SASL authentication failed", "SSL required",
//   "no such database: X", "server login has been failing..."); PostgreSQL says "password authentication failed for
//   user" and "no pg_hba.conf entry".
// - provider: the host name or port of a provider's pooler (Supabase's Supavisor, Neon's and Azure's PgBouncer,
//   RDS Proxy), from ops/providers.ts.
// - startup: without a session, a StartupMessage with a parameter PgBouncer does not track: PgBouncer refuses it
//   before authentication, PostgreSQL asks for the password (ops/pooler-startup.ts).
import type { StageResult } from "../model/stage.js";
import type { StartupSign } from "./pooler-startup.js";
import type {
  PoolerConfig,
  PoolerEvidence,
  PoolerFacts,
  PoolerKind,
  PoolerSign,
  SessionSigns,
  WireSigns,
} from "./pooler-types.js";
import type { ProviderFacts } from "./types.js";

export type {
  AdminConsoleFacts,
  AuthObservation,
  PoolerConfig,
  PoolerEvidence,
  PoolerFacts,
  PoolerKind,
  PoolerSign,
  SessionSigns,
  WireSigns,
} from "./pooler-types.js";

export const POOLER_NAMES: Readonly<Record<PoolerKind, string>> = {
  pgbouncer: "PgBouncer",
  pgpool: "pgpool-II",
  supavisor: "Supavisor (Supabase's pooler)",
  "rds-proxy": "RDS Proxy",
  proxy: "a pooler or proxy",
};

export interface PoolerInput {
  session?: SessionSigns;
  /** The answer to a StartupMessage with an untracked parameter (ops/pooler-startup.ts), when no session was open. */
  startup?: StartupSign;
  wire?: WireSigns;
  provider?: ProviderFacts | null;
}

/** PgBouncer's own error texts (1.18 client.c, objects.c), each a whole message or its fixed start. */
const PGBOUNCER_TEXTS: readonly RegExp[] = [
  /\bSASL authentication failed\b/,
  /FATAL: {1,2}SSL required\b/,
  /^SSL required$/,
  /\bno such database: /,
  /\bno such user\b/,
  /\bserver login has been failing, try again later\b/,
  /\bunsupported startup parameter: /,
  /\bpgbouncer cannot connect to server\b/,
  /\bno more connections allowed \(max_client_conn\)/,
  /\bquery_wait_timeout\b/,
  /\bclient_login_timeout\b/,
];

function providerSign(p: ProviderFacts): PoolerEvidence | undefined {
  const at = `${p.host}:${p.port}`;
  if (p.endpoint === "pooler-transaction" || p.endpoint === "pooler-session") {
    if (p.id === "supabase")
      return { sign: "provider", points: "supavisor", detail: `${at} is Supabase's pooler (${p.endpoint})` };
    return { sign: "provider", points: "pgbouncer", detail: `${at} is ${p.name}'s PgBouncer endpoint (${p.endpoint})` };
  }
  if (p.endpoint === "pooler-pgbouncer" || p.endpoint === "pooler")
    return { sign: "provider", points: "pgbouncer", detail: `${at} is ${p.name}'s built-in PgBouncer` };
  if (p.endpoint === "proxy")
    return { sign: "provider", points: "rds-proxy", detail: `${at} is an RDS Proxy endpoint` };
  return undefined;
}

function sessionSigns(s: SessionSigns): PoolerEvidence[] {
  const out: PoolerEvidence[] = [];
  if (s.keyPid !== null && s.keyPid !== s.backendPid)
    out.push({
      sign: "backend-key",
      points: "proxy",
      detail: `the startup's BackendKeyData carries pid ${s.keyPid >>> 0}, the backend that ran our query is pid ${s.backendPid}`,
    });
  if (s.clientTls !== null && !s.serverSsl)
    out.push({
      sign: "tls-split",
      points: "proxy",
      detail: `the client's session is ${s.clientTls}, while pg_stat_ssl says the server's connection is not encrypted`,
    });
  else if (s.clientTls === null && s.serverSsl)
    out.push({
      sign: "tls-split",
      points: "proxy",
      detail: `the client's session is plaintext, while pg_stat_ssl says the server's connection is ${s.serverSslVersion ?? "SSL"}`,
    });
  if (s.serverPort !== null && s.serverPort !== s.dialledPort)
    out.push({
      sign: "port-differs",
      points: "proxy",
      detail: `port ${s.dialledPort} was dialled, the server's inet_server_port() is ${s.serverPort}`,
    });
  if (s.poolVersion !== null)
    out.push({ sign: "pool-version", points: "pgpool", detail: `SHOW pool_version answers ${s.poolVersion}` });
  const a = s.adminConsole;
  if (a?.state === "readable")
    out.push({
      sign: "admin-console",
      points: "pgbouncer",
      detail: 'the admin console (database "pgbouncer") answered SHOW CONFIG',
    });
  else if (a?.state === "not-allowed")
    out.push({
      sign: "admin-console",
      points: "pgbouncer",
      detail: `the admin console (database "pgbouncer") exists and refused this role: ${a.message}`,
    });
  return out;
}

function wireSigns(w: WireSigns): PoolerEvidence[] {
  const out: PoolerEvidence[] = [];
  for (const e of w.errors) {
    if (PGBOUNCER_TEXTS.some((re) => re.test(e.message))) {
      out.push({
        sign: "error-text",
        points: "pgbouncer",
        detail: `sslmode=${e.sslmode} got PgBouncer's error: ${e.message}`,
      });
      break;
    }
  }
  const m = w.matrixSession;
  if (m && m.clientTls !== null && !m.serverSsl)
    out.push({
      sign: "tls-split",
      points: "proxy",
      detail: `the sslmode=${m.sslmode} session is ${m.clientTls} at the client, while pg_stat_ssl says the server's connection is not encrypted`,
    });
  const sslOn = m?.sslSetting === "on";
  if (w.sslAnswer === "N" && sslOn)
    out.push({
      sign: "ssl-answer",
      points: "proxy",
      detail: "the SSLRequest was answered 'N' while the server says ssl = on (PostgreSQL with ssl = on answers 'S')",
    });
  return out;
}

function startupSigns(s: NonNullable<PoolerInput["startup"]>): PoolerEvidence[] {
  const f = s.fields;
  const message = f.M ?? "";
  // PostgreSQL's every ErrorResponse names its source (F, L, R); PgBouncer's carry S, C and M only (send_pooler_error).
  const bare = f.R === undefined && f.F === undefined;
  if (/^unsupported startup parameter: /.test(message))
    return [
      {
        sign: "startup",
        points: "pgbouncer",
        detail: `${s.host}:${s.port} refused a startup parameter before any authentication with PgBouncer's "${message}" (SQLSTATE ${f.C ?? "?"})`,
      },
    ];
  if (bare && f.C === "08P01")
    return [
      {
        sign: "startup",
        points: "proxy",
        detail: `${s.host}:${s.port} answered the startup with "${message}" (SQLSTATE 08P01) without PostgreSQL's source fields`,
      },
    ];
  return [];
}

const RANK: Readonly<Record<PoolerSign, "certain" | "likely" | "possible">> = {
  "backend-key": "certain",
  "tls-split": "certain",
  "ssl-answer": "certain",
  "admin-console": "certain",
  "pool-version": "certain",
  "error-text": "likely",
  startup: "certain",
  provider: "likely",
  "port-differs": "possible",
};

/** The pooler the signs show, or null when none does. */
export function identifyPooler(input: PoolerInput): PoolerFacts | null {
  const evidence = [
    ...(input.session ? sessionSigns(input.session) : []),
    ...(input.wire ? wireSigns(input.wire) : []),
    ...(input.startup ? startupSigns(input.startup) : []),
  ];
  const fromProvider = input.provider ? providerSign(input.provider) : undefined;
  if (fromProvider) evidence.push(fromProvider);
  // Two descriptions of one split (our session and the matrix's) are one sign.
  const seen = new Set<string>();
  const unique = evidence.filter((e) => {
    const k = e.sign === "tls-split" ? e.sign : `${e.sign}\u0000${e.detail}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  if (unique.length === 0) return null;
  const kinds = unique.map((e) => e.points).filter((k) => k !== "proxy");
  // pgpool's own command and PgBouncer's console are decisive; then the error texts and the provider.
  const kind: PoolerKind = kinds.includes("pgpool")
    ? "pgpool"
    : unique.some((e) => e.sign === "admin-console" || (e.sign === "startup" && e.points === "pgbouncer"))
      ? "pgbouncer"
      : (kinds[0] ?? "proxy");
  const ranks = unique.map((e) => RANK[e.sign]);
  const confidence = ranks.includes("certain")
    ? "certain"
    : ranks.includes("likely")
      ? "likely"
      : ranks.length > 1
        ? "likely"
        : "possible";
  const console = input.session?.adminConsole;
  const status = kind === "pgpool" ? input.session?.poolStatus : undefined;
  const config: StageResult<PoolerConfig> = status
    ? { status: "completed", value: status }
    : console?.state === "readable"
      ? { status: "completed", value: console.config }
      : {
          status: "skipped",
          reason:
            kind === "pgbouncer"
              ? console?.state === "not-allowed"
                ? "PgBouncer's SHOW CONFIG needs a role in admin_users or stats_users; this role is in neither"
                : "PgBouncer's admin console was not read"
              : `the settings of ${POOLER_NAMES[kind]} cannot be read from a client session`,
        };
  return {
    kind,
    name: POOLER_NAMES[kind],
    confidence,
    evidence: unique,
    config,
    auth: input.wire?.auth ?? [],
    clientTls: input.session?.clientTls ?? input.wire?.matrixSession?.clientTls ?? null,
    offersTls: input.wire?.sslAnswer === "S" ? true : input.wire?.sslAnswer === "N" ? false : null,
  };
}

/** Whether the first signs show something between client and server, so that PgBouncer's console is worth a try. */
export function proxySuspected(s: SessionSigns): boolean {
  // Only signs PostgreSQL itself never shows: a direct server must not see a FATAL for a database "pgbouncer" in its log.
  return sessionSigns(s).some((e) => e.sign === "backend-key" || e.sign === "tls-split");
}
