import { spawn, spawnSync } from "node:child_process";
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
  // "--" as the bin's start-up line passes it: Node 20 would otherwise read a later `--env-file` itself.
  const r = spawnSync(process.execPath, ["--", CLI, ...args], {
    env,
    cwd: opts.cwd,
    input: opts.input ?? "",
    encoding: "utf8",
    timeout: 60_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

export interface AsyncCliResult extends CliResult {
  wallMs: number;
}

/**
 * Asynchronous on purpose: servers that live in the test process must keep answering while the CLI runs.
 * The child is killed after `killAfterMs`, so a hanging CLI fails the test instead of hanging it.
 */
export function runCliAsync(
  args: string[],
  opts: { env?: NodeJS.ProcessEnv; killAfterMs?: number } = {},
): Promise<AsyncCliResult> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--", CLI, ...args], {
      env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: undefined, ...opts.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => {
      stdout += d;
    });
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    const killer = setTimeout(() => child.kill("SIGKILL"), opts.killAfterMs ?? 30_000);
    child.on("error", reject);
    child.on("close", (status) => {
      clearTimeout(killer);
      resolve({ status, stdout, stderr, wallMs: Date.now() - started });
    });
  });
}
