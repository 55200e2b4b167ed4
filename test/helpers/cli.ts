import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

export const CLI = fileURLToPath(new URL("../../dist/dbdoctor.js", import.meta.url));

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI as a process, the way an operator or CI job does. */
export function runCli(
  args: string[],
  opts: { env?: NodeJS.ProcessEnv; cwd?: string; input?: string } = {},
): CliResult {
  const env = { ...process.env, NO_COLOR: "1", FORCE_COLOR: undefined, ...opts.env };
  // "--" as in the bin's shebang: Node 20 would otherwise take a later `--env-file` as its own flag.
  const r = spawnSync(process.execPath, ["--", CLI, ...args], {
    env,
    cwd: opts.cwd,
    input: opts.input ?? "",
    encoding: "utf8",
    timeout: 60_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
