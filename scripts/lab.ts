/**
 * npm run lab -- up|down|run|list [scenario...]
 *   up    start the scenarios in a background supervisor, write .lab/state.json, return
 *   down  stop what `up` started (and anything it left), remove its directories
 *   run   start in the foreground until Ctrl-C (or SIGTERM); --json prints the state as one line
 *   list  the scenarios
 */
import { spawn } from "node:child_process";
import { closeSync, mkdirSync, openSync, rmSync, writeFileSync } from "node:fs";
import { mkdir, readFile, rm } from "node:fs/promises";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { processGone } from "./lab/cleanup.js";
import { ALL_SCENARIOS, LAB_DIR, type Lab, POOLER_SCENARIOS, SCENARIOS, STATE_FILE, startLab } from "./lab/index.js";
import { stopDetached } from "./lab/server.js";

interface StateServer {
  name: string;
  host: string;
  port: number;
  major: number;
  backend: string;
  pid: number;
  dataDir: string;
  startupMs: number;
}
interface State {
  supervisorPid: number;
  startedAt: string;
  startupMs: number;
  servers: StateServer[];
  skipped: { name: string; reason: string }[];
}

function stateOf(lab: Lab): State {
  return {
    supervisorPid: process.pid,
    startedAt: new Date().toISOString(),
    startupMs: lab.startupMs,
    servers: [...lab.servers.values()].map((s) => ({
      name: s.name,
      host: s.host,
      port: s.port,
      major: s.major,
      backend: s.backend,
      pid: s.pid,
      dataDir: s.dataDir,
      startupMs: s.startupMs,
    })),
    skipped: lab.skipped,
  };
}

function printState(st: State): void {
  const w = Math.max(...st.servers.map((s) => s.name.length), 8);
  for (const s of st.servers) {
    console.log(
      `  ${s.name.padEnd(w)}  ${s.host}:${String(s.port).padEnd(5)}  PostgreSQL ${s.major} (${s.backend})  started in ${s.startupMs} ms`,
    );
  }
  for (const s of st.skipped) console.log(`  ${s.name.padEnd(w)}  skipped: ${s.reason}`);
  console.log(`${st.servers.length} servers up in ${st.startupMs} ms (total, in parallel)`);
}

async function readState(): Promise<State | undefined> {
  try {
    return JSON.parse(await readFile(STATE_FILE, "utf8")) as State;
  } catch {
    return undefined;
  }
}

function keepAlive(): void {
  // Servers are unref'd children: without a handle of our own the supervisor would simply exit.
  setInterval(() => {}, 1 << 30);
}

/** The background half of `up`: owns the servers, so its signal handlers stop them. */
async function serve(names: string[]): Promise<void> {
  const send = (m: unknown) => process.send?.(m);
  let lab: Lab;
  try {
    lab = await startLab(names);
  } catch (err) {
    send({ type: "error", message: err instanceof Error ? err.message : String(err) });
    process.exit(1);
  }
  const st = stateOf(lab);
  mkdirSync(path.dirname(STATE_FILE), { recursive: true });
  writeFileSync(STATE_FILE, `${JSON.stringify(st, null, 2)}\n`);
  process.on("exit", () => {
    rmSync(STATE_FILE, { force: true });
  });
  send({ type: "ready", state: st });
  process.channel?.unref();
  keepAlive();
}

async function up(names: string[]): Promise<number> {
  const prior = await readState();
  if (prior && !processGone(prior.supervisorPid)) {
    console.error(`the lab is already up (supervisor pid ${prior.supervisorPid}); run: npm run lab -- down`);
    return 2;
  }
  if (prior) await down();
  await mkdir(LAB_DIR, { recursive: true });
  const logFile = path.join(LAB_DIR, "supervisor.log");
  const t0 = performance.now();
  const log = openSync(logFile, "w");
  const child = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), "serve", ...names], {
    // Its own session, so closing this terminal or Ctrl-C here does not reach the servers.
    detached: true,
    stdio: ["ignore", log, log, "ipc"],
  });
  closeSync(log);
  const msg = await new Promise<{ type: string; state?: State; message?: string }>((resolve) => {
    child.once("message", (m) => resolve(m as { type: string; state?: State; message?: string }));
    child.once("exit", (code) => resolve({ type: "error", message: `the lab supervisor exited with ${code}` }));
  });
  if (msg.type !== "ready" || !msg.state) {
    console.error(msg.message ?? "the lab did not start");
    return 1;
  }
  child.disconnect();
  child.unref();
  printState(msg.state);
  console.log(`lab up in ${Math.round(performance.now() - t0)} ms (wall, incl. supervisor); state in ${STATE_FILE}`);
  console.log("stop with: npm run lab -- down");
  return 0;
}

async function down(): Promise<number> {
  const st = await readState();
  if (!st) {
    console.log("the lab is not up (no .lab/state.json)");
    return 0;
  }
  const t0 = performance.now();
  if (!processGone(st.supervisorPid)) {
    try {
      process.kill(st.supervisorPid, "SIGTERM");
    } catch {
      // gone meanwhile
    }
    const end = Date.now() + 20_000;
    while (Date.now() < end && !processGone(st.supervisorPid)) await sleep(20);
  }
  // Whatever the supervisor could not stop (it was killed, say): stop it by pid and directory.
  await Promise.all(st.servers.map((s) => stopDetached(s.pid, path.dirname(s.dataDir))));
  await rm(STATE_FILE, { force: true });
  console.log(`${st.servers.length} servers down in ${Math.round(performance.now() - t0)} ms`);
  return 0;
}

async function runForeground(names: string[], json: boolean): Promise<void> {
  const lab = await startLab(names);
  const st = stateOf(lab);
  if (json) console.log(JSON.stringify(st));
  else {
    printState(st);
    console.log("running; Ctrl-C stops every server");
  }
  keepAlive();
}

function list(): number {
  const all = [...ALL_SCENARIOS, ...POOLER_SCENARIOS];
  const w = Math.max(...all.map((s) => s.name.length));
  for (const s of all) {
    const min = s.minMajor ? ` [PostgreSQL ${s.minMajor}+]` : "";
    // Client scenarios start only when named (the default set is SCENARIOS).
    const named = SCENARIOS.includes(s) ? "" : " [when named]";
    console.log(`${s.name.padEnd(w)}  ${s.description}${min}${named} (${s.expectations.length} client expectations)`);
  }
  return 0;
}

async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  const json = rest.includes("--json");
  const names = rest.filter((a) => !a.startsWith("--"));
  switch (cmd) {
    case "up":
      return up(names);
    case "down":
      return down();
    case "list":
      return list();
    case "run":
      await runForeground(names, json);
      return -1;
    case "serve":
      await serve(names);
      return -1;
    default:
      console.error("usage: npm run lab -- up|down|run|list [scenario...]");
      return 2;
  }
}

try {
  const code = await main(process.argv.slice(2));
  if (code >= 0) process.exitCode = code;
} catch (err) {
  console.error(`lab: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
}
