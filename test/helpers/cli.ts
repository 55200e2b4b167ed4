import { spawn, spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
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
  /** The signal that ended the child: SIGKILL means it was still running at `killAfterMs` (it hung). */
  signal: NodeJS.Signals | null;
  /** Peak resident set size of the child, KiB (with `measureRss`). */
  maxRssKiB?: number;
}

const RSS_PRELOAD = fileURLToPath(new URL("./rss-preload.mjs", import.meta.url));

/**
 * Asynchronous on purpose: servers that live in the test process must keep answering while the CLI runs.
 * The child is killed after `killAfterMs`, so a hanging CLI fails the test instead of hanging it.
 */
export function runCliAsync(
  args: string[],
  opts: {
    env?: NodeJS.ProcessEnv;
    killAfterMs?: number;
    measureRss?: boolean;
    cwd?: string;
    uid?: number;
    gid?: number;
  } = {},
): Promise<AsyncCliResult> {
  const started = Date.now();
  const rssDir = opts.measureRss ? mkdtempSync(join(tmpdir(), "dbdoctor-rss-")) : null;
  const rssFile = rssDir ? join(rssDir, "maxrss") : null;
  // A child running as another user (an unprivileged one, to meet an unreadable file as root) must write there.
  if (rssDir && opts.uid !== undefined) chmodSync(rssDir, 0o777);
  return new Promise((resolve, reject) => {
    const nodeArgs = rssFile ? ["--import", RSS_PRELOAD] : [];
    const child = spawn(process.execPath, [...nodeArgs, "--", CLI, ...args], {
      env: {
        ...process.env,
        NO_COLOR: "1",
        FORCE_COLOR: undefined,
        ...(rssFile ? { DBDOCTOR_TEST_RSS_FILE: rssFile } : {}),
        ...opts.env,
      },
      stdio: ["ignore", "pipe", "pipe"],
      ...(opts.cwd ? { cwd: opts.cwd } : {}),
      ...(opts.uid !== undefined ? { uid: opts.uid } : {}),
      ...(opts.gid !== undefined ? { gid: opts.gid } : {}),
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
    child.on("close", (status, signal) => {
      clearTimeout(killer);
      let maxRssKiB: number | undefined;
      if (rssFile && rssDir) {
        try {
          maxRssKiB = Number(readFileSync(rssFile, "utf8"));
        } catch {
          // killed before its exit handler ran
        }
        rmSync(rssDir, { recursive: true, force: true });
      }
      resolve({
        status,
        signal,
        stdout,
        stderr,
        wallMs: Date.now() - started,
        ...(maxRssKiB !== undefined ? { maxRssKiB } : {}),
      });
    });
  });
}
