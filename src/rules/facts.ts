// Everything a rule may look at: the facts of one command's run, each stage's part absent when the stage did not
// run. Each part's type belongs to the stage that measures it; rules read, never measure.
import type { AuditFacts } from "../audit/types.js";
import type { CommandName } from "../model/command.js";
import type { MatrixFacts } from "../modes/types.js";
import type { OpsFacts } from "../ops/types.js";

export interface Facts {
  command: CommandName;
  /** The clock every validity judgment uses (one per run, so two rules never disagree about "now"). */
  now: Date;
  /** The sslmode matrix and what the fix texts need to name (check). */
  modes?: MatrixFacts;
  /** SkillFlaw's pool settings, cloud provider and (live) version, slots, schema, clients (check, instances). */
  ops?: OpsFacts;
  /** A file's reading problems, or one stored setting (audit). */
  audit?: AuditFacts;
}
