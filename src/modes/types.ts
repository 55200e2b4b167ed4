// The matrix's facts as rules see them: one result per sslmode plus what the attempts learnt about the target.
import type { SettingFix } from "../model/finding.js";
import type { ModeResult } from "../model/mode.js";
import type { AuthProbe } from "../model/options.js";
import type { SslMode } from "../model/sslmode.js";

/** What the application connects to, as the fix texts name it (from conninfo and the server's leaf certificate). */
export interface ConnectionTarget {
  /** The libpq `host` the application connects to. */
  host: string;
  user: string;
  database: string;
  /** Names on the server's leaf certificate (SANs, else CN), from the server probe. */
  certNames: string[];
  /** Issuer of the server's leaf certificate, from the server probe. */
  certIssuer?: string;
  rootPath?: string;
  /** The chain the server sent stops below a self-signed root (it left out an intermediate). */
  chainIncomplete?: boolean;
  /** A pooler answers at the address (ops/pooler.ts): TLS and authentication to the client are its settings. */
  pooler?: { kind: string; name: string };
}

export interface MatrixFacts {
  results: ModeResult[];
  /** Modes where --auth-probe held the password back at the server's request. */
  withheld: SslMode[];
  configuredMode: SslMode | null;
  authProbe: AuthProbe;
  target: ConnectionTarget;
  /** The configured mode's fix, tried live when it could be (verified: the attempt with it connected). */
  fix?: SettingFix;
}
