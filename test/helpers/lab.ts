import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync, readlinkSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const LAB_CLI = fileURLToPath(new URL("../../scripts/lab.ts", import.meta.url));
export const LAB_INDEX = fileURLToPath(new URL("../../scripts/lab/index.ts", import.meta.url));
export const REPO = fileURLToPath(new URL("../..", import.meta.url));

/**
 * Every live process that belongs to a lab directory: the postmaster names it on its command line and
 * all postgres processes run with their data directory as cwd (children rewrite their command line).
 */
export function processesUnder(dir: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const state = stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
      if (state === "Z") continue;
      let cwd = "";
      try {
        cwd = readlinkSync(`/proc/${entry}/cwd`);
      } catch {
        // not ours to read, or gone
      }
      const cmd = readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0").join(" ");
      if (cwd.startsWith(dir) || cmd.includes(dir)) found.push(Number(entry));
    } catch {
      // exited while we looked
    }
  }
  return found;
}

export interface RunningChild {
  child: ChildProcess;
  /** The first stdout line, parsed as JSON. */
  first: Promise<unknown>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
}

/** Runs node with the tsx loader (no tsx wrapper process, so signals reach our code directly). */
export function spawnTsx(args: string[], env: NodeJS.ProcessEnv = {}): RunningChild {
  const child = spawn(process.execPath, ["--import", "tsx", ...args], {
    cwd: REPO,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stderr?.on("data", (d: Buffer) => {
    err += d.toString();
  });
  const first = new Promise<unknown>((resolve, reject) => {
    child.stdout?.on("data", (d: Buffer) => {
      out += d.toString();
      const nl = out.indexOf("\n");
      if (nl >= 0) {
        try {
          resolve(JSON.parse(out.slice(0, nl)));
        } catch {
          reject(new Error(`not JSON: ${out.slice(0, nl)}`));
        }
      }
    });
    child.once("exit", () => reject(new Error(`exited before printing: ${err}`)));
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) => {
    child.once("exit", (code, signal) => resolve({ code, signal, stderr: err }));
  });
  return { child, first, exited };
}

export function dirGone(dir: string): boolean {
  return !existsSync(dir);
}
