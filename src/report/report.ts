import type { ConninfoFacts } from "../conninfo/types.js";
import type { CommandName } from "../model/command.js";
import type { SettingFix } from "../model/finding.js";
import type { InputFacts } from "../model/input.js";
import type { ModeResult } from "../model/mode.js";
import type { SslMode } from "../model/sslmode.js";
import type { StageResult } from "../model/stage.js";
import type { OpsFacts } from "../ops/types.js";
import type { FilesFacts } from "../pki/types.js";
import type { ServerFacts } from "../probe/types.js";
import type { Finding } from "../rules/registry.js";

/** The commands that judge one connection setting (audit judges a tree of them: src/report/audit.ts). */
export type SettingCommand = Exclude<CommandName, "audit">;

/** The report of one connection setting: check, parse, certs, server and instances. */
export interface Report {
  schemaVersion: 1;
  tool: { name: "dbdoctor"; version: string };
  command: SettingCommand;
  generatedAt: string;
  input: InputFacts;
  conninfo: ConninfoFacts | null;
  files: StageResult<FilesFacts>;
  server: StageResult<ServerFacts>;
  modes: ModeResult[];
  /** SkillFlaw operations: pool settings, cloud provider, and (live) version, slots, schema, clients. */
  ops?: StageResult<OpsFacts>;
  findings: Finding[];
  verdict: Verdict;
  /** Milliseconds per stage. */
  timings: Record<string, number>;
}

export type VerdictStatus = "pass" | "warn" | "fail";

export interface Verdict {
  status: VerdictStatus;
  configuredMode: SslMode | null;
  /** null when no live attempt decided it (offline, or the attempt could not be decided). */
  configuredModeOk: boolean | null;
  /** "undecided": no mode established a session, but one could not be decided (never "no sslmode works" then). */
  strongestOkMode: SslMode | "undecided" | null;
  /** With strongestOkMode "undecided": the strongest mode that reached the password prompt. */
  strongestCandidate?: SslMode;
  /** The root cause and its one fix. */
  summary: string;
  /** The code of the root finding the summary names. */
  rootCause?: string;
  /** The root finding's corrected setting, when it has one. */
  fix?: SettingFix;
}
