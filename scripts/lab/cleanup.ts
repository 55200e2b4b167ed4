import { readFileSync, rmSync } from "node:fs";
import { rm } from "node:fs/promises";
import { setTimeout as sleep } from "node:timers/promises";

/**
 * Every server this process started, so none outlives it: stopped on normal exit, SIGINT, SIGTERM,
 * SIGHUP and crashes (an uncaught error still emits 'exit'). Async stop where the event loop still runs,
 * a synchronous kill in 'exit'.
 */
interface Tracked {
  pid: number;
  root: string;
  stop: () => Promise<void>;
}

const live = new Map<string, Tracked>();

/**
 * What must stop after every server, e.g. a Docker engine the lab started: its containers are servers, and the
 * engine has to outlive their stop. Stopped in reverse order of registration.
 */
interface Finalizer {
  name: string;
  stop: () => Promise<void>;
  /** For 'exit', where nothing async runs. */
  stopSync: () => void;
}

const finals = new Map<string, Finalizer>();
const SIGNALS: NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];
const SIGNAL_NUMBER: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 };
let handlersInstalled = false;
let stopping = false;

/** True once the process is gone or a zombie (a zombie of ours holds no port or files). */
export function processGone(pid: number): boolean {
  if (pid <= 0) return true;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Field 3, after "pid (comm)"; comm may hold spaces, so read after the last ')'.
    const state = stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
    return state === "Z" || state === "X";
  } catch {
    try {
      process.kill(pid, 0);
      return false;
    } catch {
      return true;
    }
  }
}

function signal(pid: number, sig: NodeJS.Signals): void {
  // pid 0 is a server still starting (or one without a host pid): kill(0) would signal our own process group.
  if (pid <= 0) return;
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
}

async function waitGone(pid: number, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (processGone(pid)) return true;
    await sleep(15);
  }
  return processGone(pid);
}

/**
 * PostgreSQL's own shutdown modes by signal (what pg_ctl stop sends): SIGINT = fast,
 * SIGQUIT = immediate, then SIGKILL as the last resort.
 */
export async function stopPostmaster(pid: number, fastMs = 5000): Promise<void> {
  if (processGone(pid)) return;
  signal(pid, "SIGINT");
  if (await waitGone(pid, fastMs)) return;
  signal(pid, "SIGQUIT");
  if (await waitGone(pid, 3000)) return;
  signal(pid, "SIGKILL");
  if (!(await waitGone(pid, 3000))) throw new Error(`postgres pid ${pid} survived SIGKILL`);
}

export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true, maxRetries: 3, retryDelay: 50 });
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Last resort in 'exit', where nothing async runs: immediate shutdown, wait briefly, kill, delete. */
export function cleanupSync(): void {
  const all = [...live.values()];
  live.clear();
  for (const t of all) signal(t.pid, "SIGQUIT");
  const end = Date.now() + 3000;
  while (Date.now() < end && all.some((t) => !processGone(t.pid))) sleepSync(15);
  for (const t of all) if (!processGone(t.pid)) signal(t.pid, "SIGKILL");
  const end2 = Date.now() + 2000;
  while (Date.now() < end2 && all.some((t) => !processGone(t.pid))) sleepSync(15);
  for (const t of all) {
    try {
      rmSync(t.root, { recursive: true, force: true, maxRetries: 3 });
    } catch {
      // nothing more we can do while exiting
    }
  }
  const last = [...finals.values()].reverse();
  finals.clear();
  for (const f of last) {
    try {
      f.stopSync();
    } catch {
      // as above
    }
  }
}

export async function stopAll(): Promise<void> {
  await Promise.allSettled([...live.values()].map((t) => t.stop()));
  for (const f of [...finals.values()].reverse()) await f.stop().catch(() => {});
}

function onSignal(sig: NodeJS.Signals): void {
  const code = 128 + (SIGNAL_NUMBER[sig] ?? 1);
  if (stopping) {
    // A second Ctrl-C: stop waiting for a clean shutdown.
    cleanupSync();
    process.exit(code);
  }
  stopping = true;
  stopAll().finally(() => process.exit(code));
}

function install(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  for (const s of SIGNALS) process.on(s, onSignal);
}

function uninstall(): void {
  if (!handlersInstalled) return;
  handlersInstalled = false;
  // Give the host program its default signal behaviour back once nothing of ours is running.
  for (const s of SIGNALS) process.off(s, onSignal);
}

process.on("exit", () => {
  if (live.size > 0 || finals.size > 0) cleanupSync();
});

export function track(t: Tracked): void {
  live.set(t.root, t);
  install();
}

export function untrack(root: string): void {
  live.delete(root);
  if (live.size === 0 && finals.size === 0) uninstall();
}

export function trackFinal(f: Finalizer): void {
  finals.set(f.name, f);
  install();
}

export function untrackFinal(name: string): void {
  finals.delete(name);
  if (live.size === 0 && finals.size === 0) uninstall();
}

export function liveCount(): number {
  return live.size;
}
