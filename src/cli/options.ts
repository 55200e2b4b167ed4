import type { LibpqMajor } from "../conninfo/types.js";
import type { Format } from "../report/renderers/types.js";
import type { FailOn } from "../report/report.js";

export type UrlStyle = "auto" | "sqlalchemy" | "libpq";
export type AuthProbe = "safe" | "all" | "none";

/** Options shared by every command, after yargs has parsed and checked them. */
export interface CommonOptions {
  format: Format;
  output: string | undefined;
  failOn: FailOn;
  /** Per network step, milliseconds. */
  timeoutMs: number;
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
