// The CLI side of `dbdoctor audit`: options -> engine -> every requested format -> exit code (DESIGN.md).
import type { CommonOptions } from "../cli/options.js";
import { runAudit } from "../engine/audit.js";
import type { RunScope } from "../run/scope.js";
import { planAuditOutputs, writeAuditOutputs } from "./output.js";
import { auditExitCode } from "./report.js";

function useColor(flag: boolean | undefined, env: NodeJS.ProcessEnv, isTTY: boolean): boolean {
  if (flag !== undefined) return flag;
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== "0" && env.FORCE_COLOR !== "false";
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  return isTTY;
}

export async function auditCommand(
  args: Record<string, unknown>,
  common: CommonOptions,
  argv: readonly string[],
  withScope: <T>(run: (scope: RunScope) => Promise<T>) => Promise<T>,
): Promise<number> {
  // Plan the outputs first: a usage error in --format/--output must not cost a scan.
  const targets = planAuditOutputs(args.format, args.output, argv);
  const report = await withScope((scope) => runAudit(args, common, scope));
  await writeAuditOutputs(report, targets, {
    color: useColor(common.color, process.env, Boolean(process.stdout.isTTY)),
    verbose: common.verbose,
    width: process.stdout.isTTY ? process.stdout.columns : undefined,
    writeStdout: (text) => process.stdout.write(text),
  });
  return auditExitCode(report, common.failOn);
}
