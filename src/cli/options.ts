import type { LibpqMajor } from "../conninfo/types.js";
import type { Format } from "../report/renderers/types.js";
import type { FailOn } from "../report/report.js";

export type UrlStyle = "auto" | "sqlalchemy" | "libpq";
export type AuthProbe = "safe" | "all" | "none";

/**
 * --deadline defaults to this many --timeout: enough for every stage's steps in a row (DNS, TCP, SSLRequest, TLS,
 * start-up) on two hosts that each take a full timeout, while N silent hosts still cost a bounded time.
 */
export const DEADLINE_FACTOR = 3;

/** Options shared by every command, after yargs has parsed and checked them. */
export interface CommonOptions {
  format: Format;
  output: string | undefined;
  failOn: FailOn;
  /** Per network step, milliseconds. */
  timeoutMs: number;
  /** The whole network part of the run, milliseconds (--deadline; default DEADLINE_FACTOR × timeoutMs). */
  deadlineMs: number;
  offline: boolean;
  urlStyle: UrlStyle;
  libpq: LibpqMajor;
  authProbe: AuthProbe;
  color: boolean | undefined;
  verbose: boolean;
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
