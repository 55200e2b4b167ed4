// `dbdoctor exporter` as a process for tests: the built CLI on 127.0.0.1 and a port the system picks, its address
// read from its start-up line. Every child started here is killed by killExporters() (call it in afterAll).
import { type ChildProcess, spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { CLI } from "./cli.js";

export interface RunningExporter {
  child: ChildProcess;
  /** http://127.0.0.1:PORT */
  base: string;
  stderr: () => string;
  exited: Promise<number | null>;
}

const children = new Set<ChildProcess>();
let configs = 0;

/** Writes `config` into `dir` and starts the exporter with it; resolves once it listens. */
export async function startExporter(dir: string, config: string, ...args: string[]): Promise<RunningExporter> {
  const path = join(dir, `exporter-${++configs}.yml`);
  writeFileSync(path, config);
  const child = spawn(process.execPath, ["--", CLI, "exporter", "--config", path, "--listen", "127.0.0.1:0", ...args], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  children.add(child);
  let err = "";
  child.stderr?.on("data", (d: Buffer) => {
    err += d.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const deadline = Date.now() + 30_000;
  for (;;) {
    const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(err);
    if (m) return { child, base: m[1] as string, stderr: () => err, exited };
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`the exporter did not start: ${err}`);
    await sleep(50);
  }
}

export function killExporters(): void {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
}

export async function get(url: string): Promise<{ status: number; text: string; type: string | null }> {
  const r = await fetch(url, { signal: AbortSignal.timeout(60_000) });
  return { status: r.status, text: await r.text(), type: r.headers.get("content-type") };
}

/** Polls `ok` until it holds; throws naming `what` after `ms`. A deadline, never a timing. */
export async function until(what: string, ok: () => boolean | Promise<boolean>, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await sleep(100);
  }
}
