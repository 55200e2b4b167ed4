// The options the engine understands, whoever parsed them (yargs in src/cli, a test, the exporter).

/** The libpq majors whose keywords and rules are modelled. */
export const LIBPQ_MAJORS = [12, 13, 14, 15, 16, 17, 18] as const;
export type LibpqMajor = (typeof LIBPQ_MAJORS)[number];
export const DEFAULT_LIBPQ_MAJOR: LibpqMajor = 17;

/** The clients a verdict can predict for (model/client.ts has their profiles). */
export const FIXED_CLIENTS = ["psycopg-binary", "psycopg2-binary", "psql"] as const;
export type ClientName = (typeof FIXED_CLIENTS)[number] | `libpq-${LibpqMajor}`;

export type UrlStyle = "auto" | "sqlalchemy" | "libpq";
export type AuthProbe = "safe" | "all" | "none";
export type FailOn = "error" | "warning" | "never";

/**
 * --deadline defaults to this many --timeout: enough for every stage's steps in a row (DNS, TCP, SSLRequest, TLS,
 * start-up) on two hosts that each take a full timeout, while N silent hosts still cost a bounded time.
 */
export const DEADLINE_FACTOR = 3;

/** What every command's engine takes. Output choices (format, files, colour) stay in src/cli. */
export interface EngineOptions {
  /** Per network step, milliseconds. */
  timeoutMs: number;
  /** The whole network part of the run, milliseconds (--deadline; default DEADLINE_FACTOR × timeoutMs). */
  deadlineMs: number;
  offline: boolean;
  urlStyle: UrlStyle;
  libpq: LibpqMajor;
  /**
   * The client asked for with --client (or --libpq N: libpq-N) on the commands that predict for one; absent, the
   * engine picks it from where the connection string came from (engine/client.ts) and `libpq` follows it.
   */
  client?: ClientName;
  authProbe: AuthProbe;
}

/** Inputs of the resolve stage. */
export interface ResolveOptions {
  connstring: string | undefined;
  envFiles: string[];
  variable: string;
}

export interface CertsOptions {
  sslrootcert?: string;
  sslcert?: string;
  sslkey?: string;
  sslcrl?: string;
  sslcrldir?: string;
  serverCert?: string;
  host?: string;
  sslmode: string;
  warnDays: number;
}
