// Everything a rule may look at: the facts of one command's run, each stage's part absent when the stage did not
// run. Each part's type belongs to the stage that measures it; rules read, never measure.
import type { AuditFacts } from "../audit/types.js";
import type { ConninfoRuleFacts, EnvFacts, UrlFacts } from "../conninfo/types.js";
import type { ClientProfile } from "../model/client.js";
import type { CommandName } from "../model/command.js";
import type { MatrixFacts } from "../modes/types.js";
import type { OpsFacts } from "../ops/types.js";
import type { FileAnalysis } from "../pki/analyze.js";
import type { ProbedServer } from "../probe/types.js";
import type { ResolveFacts } from "../resolve/facts.js";

export interface Facts {
  command: CommandName;
  /** The clock every validity judgment uses (one per run, so two rules never disagree about "now"). */
  now: Date;
  /** The client the run predicts for: its libpq, OpenSSL and trust store (check, parse, instances). */
  client?: ClientProfile;
  /** Where the connection string came from, or where it was looked for; the --env-file files (resolve). */
  input?: ResolveFacts;
  /** The parameters libpq reads, effective values with sources, libpq's errors, the root file (conninfo). */
  conninfo?: ConninfoRuleFacts;
  /** The URL as SkillFlaw's SQLAlchemy layer and libpq's URI parser read it (conninfo). */
  url?: UrlFacts;
  /** How the value is written and the environment around it: PG*, SkillFlaw's variables, the password file (conninfo). */
  env?: EnvFacts;
  /** The sslmode matrix and what the fix texts need to name (check). */
  modes?: MatrixFacts;
  /** SkillFlaw's pool settings, cloud provider and (live) version, slots, schema, clients (check, instances). */
  ops?: OpsFacts;
  /**
   * Which application the setting is for (check: --app, or where the value came from). Absent: SkillFlaw, as for
   * `instances`, which is about SkillFlaw's pools by definition.
   */
  app?: "skillflaw" | "libpq";
  /** A file's reading problems, or one stored setting (audit). */
  audit?: AuditFacts;
  /** The certificate, key, CA and CRL files as libpq reads them, with what was measured (check, certs, audit). */
  files?: FileAnalysis;
  /** The wire-level probe and the sslmode it is judged under (check, server, audit --live). */
  server?: ProbedServer;
}
