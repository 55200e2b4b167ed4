// What the resolve stage found, as the rules see it: where the string came from (or where it was looked for), and
// what python-dotenv made of the --env-file files. Names, files and lines only: never a value.
import type { InputSource } from "../model/input.js";
import type { ResolvedInput, ResolvedProblem } from "./index.js";

export interface ResolveFacts {
  source: InputSource;
  /** The variable that was asked for (--var), even when a differently-cased one was used instead. */
  variable?: string;
  /** "blank": set, but empty or only whitespace (SkillFlaw treats that as unset). */
  value: "present" | "missing" | "blank";
  /** Where the string was looked for, in order. */
  lookedAt: string[];
  /** Lines python-dotenv could not parse. */
  problems: ResolvedProblem[];
  /** Keys written without '=' (python-dotenv skips them). */
  bareKeys: { key: string; file: string; line: number }[];
  /** Variables whose .env value python-dotenv probably cut short at '#' (see EnvFileEntry.commentCut). */
  commentCut: { variable: string; file: string; line: number; quote?: "none" | "single" | "double" }[];
  /** PYTHON_DOTENV_DISABLED's value when it makes load_dotenv() skip the files. */
  dotenvDisabled?: string;
}

export function resolveFacts(r: ResolvedInput): ResolveFacts {
  const out: ResolveFacts = {
    source: r.source,
    value: r.value === null ? "missing" : r.value.trim() === "" ? "blank" : "present",
    lookedAt: r.lookedAt,
    problems: r.problems ?? [],
    bareKeys: r.bareKeys ?? [],
    commentCut: Object.entries(r.fileVars)
      .filter(([, e]) => e.commentCut === true)
      .map(([variable, e]) => ({ variable, file: e.file, line: e.line, ...(e.quote ? { quote: e.quote } : {}) })),
  };
  if (r.variable !== undefined) out.variable = r.variable;
  if (r.dotenvDisabled !== undefined) out.dotenvDisabled = r.dotenvDisabled;
  return out;
}
