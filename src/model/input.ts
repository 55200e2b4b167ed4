// Where the connection string came from, as every report states it.
import type { ClientProfile } from "./client.js";

export type InputSource =
  | { kind: "argument" }
  | { kind: "env-file"; file: string; line: number; variable: string }
  | { kind: "env"; variable: string }
  | { kind: "none" };

export interface InputFacts {
  source: InputSource;
  /** The connection string with secrets replaced, as given. */
  redacted: string | null;
  urlStyle: "sqlalchemy" | "libpq";
  libpqMajor: number;
  /** The client the verdicts predict for (check, parse, instances); its libpq major is libpqMajor. */
  client?: ClientProfile;
}
