// A Docker engine for the lab's docker backend (and for any test that needs one, e.g. to build an image).
//
// DOCKER_HOST, or the system's engine at /var/run/docker.sock, is used as it is and never stopped. Where neither
// answers, and only where the caller allows it (tests and CI set DBDOCTOR_LAB_START_DOCKERD=1; a user's run never
// starts a daemon), the lab starts Debian's dockerd itself: as root, with a private socket, data root, exec root
// and config file, no bridge, no iptables and no IP forwarding (containers use the host's network, so the host's
// firewall and sysctls stay untouched). It is stopped, with the containerd it manages, after the lab's servers
// on exit, Ctrl-C and SIGTERM, and by a watchdog if this process is killed outright.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import {
  accessSync,
  closeSync,
  constants,
  existsSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
} from "node:fs";
import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { processGone, trackFinal, untrackFinal } from "./cleanup.js";

/** The explicit permission to start a daemon (tests and CI only). */
export const START_DOCKERD_ENV = "DBDOCTOR_LAB_START_DOCKERD";
const SYSTEM_SOCKET = "/var/run/docker.sock";

export interface DockerEngine {
  /** What a Docker client's DOCKER_HOST must be to reach this engine, e.g. unix:///var/tmp/.../docker.sock. */
  dockerHost: string;
  /** True when this process started the engine (and so stops it); false for DOCKER_HOST or the system's engine. */
  owned: boolean;
  /** An owned engine's private directory: socket, exec root, config, log. */
  runDir?: string;
  /** An owned engine's data root: the machine's shared one (the lab image persists there), or one in runDir. */
  dataRoot?: string;
  dockerdPid?: number;
  /** How long an owned engine took to answer. */
  startMs?: number;
}

/** Why no engine can be had here (not root, no dockerd, no cgroups, not allowed to start one). */
export class EngineUnavailable extends Error {}

/**
 * Where owned engines live (run/) and the lab image's tarball is cached (images/), outside the repository:
 * /var/tmp/dbdoctor-docker for root (who alone starts engines), ~/.cache/dbdoctor-docker for anyone else.
 */
export function dockerWorkDir(): string {
  if (process.env.DBDOCTOR_DOCKER_DIR) return process.env.DBDOCTOR_DOCKER_DIR;
  return process.getuid?.() === 0 ? "/var/tmp/dbdoctor-docker" : path.join(os.homedir(), ".cache", "dbdoctor-docker");
}

export function startAllowed(): boolean {
  return process.env[START_DOCKERD_ENV] === "1";
}

/** GET /_ping on a unix socket: the engine's own liveness check. */
export function pingDocker(socketPath: string, timeoutMs = 3000): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get({ socketPath, path: "/_ping", timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on("timeout", () => {
      req.destroy();
      resolve(false);
    });
    req.on("error", () => resolve(false));
  });
}

function findExecutable(name: string): string | undefined {
  // dockerd and runc live in /usr/sbin, which a non-login PATH may lack.
  const dirs = [...(process.env.PATH ?? "").split(path.delimiter), "/usr/local/sbin", "/usr/sbin", "/sbin"];
  for (const dir of dirs) {
    if (!dir) continue;
    const f = path.join(dir, name);
    try {
      accessSync(f, constants.X_OK);
      if (statSync(f).isFile()) return f;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** The reason dockerd cannot be started here, or undefined when it can be tried. */
export function whyCannotStart(): string | undefined {
  if (process.platform !== "linux") return `the lab starts its own dockerd only on Linux (this is ${process.platform})`;
  if (process.getuid?.() !== 0) return "not root: the lab starts its own dockerd only as root";
  for (const [bin, pkg] of [
    ["dockerd", "docker.io"],
    ["containerd", "containerd"],
    ["runc", "runc"],
  ] as const) {
    if (!findExecutable(bin)) return `${bin} is not installed (Debian: apt-get install ${pkg})`;
  }
  const cg = "/sys/fs/cgroup";
  if (!existsSync(path.join(cg, "cgroup.controllers")) && !existsSync(path.join(cg, "memory"))) {
    return `no cgroup hierarchy is mounted at ${cg}; dockerd needs cgroups`;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Processes and mounts of an owned engine

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function kill(pid: number, sig: NodeJS.Signals): void {
  if (pid <= 0) return;
  try {
    process.kill(pid, sig);
  } catch {
    // gone
  }
}

interface ProcInfo {
  pid: number;
  ppid: number;
  cmdline: string;
}

function listProcesses(): ProcInfo[] {
  const out: ProcInfo[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (rest[0] === "Z" || rest[0] === "X") continue;
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0").join(" ");
      out.push({ pid: Number(entry), ppid: Number(rest[1]), cmdline });
    } catch {
      // exited while we looked
    }
  }
  return out;
}

/**
 * Every live process of an engine directory: dockerd, containerd, the shims and the watchdog name it on their
 * command lines; the containers' processes are the shims' descendants.
 */
export function engineProcesses(runDir: string): number[] {
  const all = listProcesses();
  const found = new Set(all.filter((p) => p.cmdline.includes(runDir)).map((p) => p.pid));
  for (let grew = true; grew; ) {
    grew = false;
    for (const p of all) {
      if (!found.has(p.pid) && found.has(p.ppid)) {
        found.add(p.pid);
        grew = true;
      }
    }
  }
  return [...found];
}

/** Mount points under dir (dockerd's netns mount outlives it; overlays of containers killed outright). */
export function mountsUnder(dir: string): string[] {
  try {
    return readFileSync("/proc/self/mountinfo", "utf8")
      .split("\n")
      .map((l) =>
        (l.split(" ")[4] ?? "").replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8))),
      )
      .filter((m) => m.startsWith(`${dir}/`));
  } catch {
    return [];
  }
}

function unmountUnder(dir: string): void {
  for (const m of mountsUnder(dir).sort((a, b) => b.length - a.length)) {
    try {
      execFileSync("umount", [m], { stdio: "ignore" });
    } catch {
      try {
        execFileSync("umount", ["-l", m], { stdio: "ignore" });
      } catch {
        // left for the next start's reaping
      }
    }
  }
}

/** Ends whatever of an engine directory still runs (SIGKILL) and unmounts what is mounted under it. */
function endEngineSync(runDir: string): void {
  let left = engineProcesses(runDir);
  for (const pid of left) kill(pid, "SIGKILL");
  const end = Date.now() + 5000;
  while (left.length > 0 && Date.now() < end) {
    sleepSync(20);
    left = left.filter((p) => !processGone(p));
  }
  unmountUnder(runDir);
}

/** endEngineSync, then the directory goes. Synchronous: 'exit' safe. */
function tearDownSync(runDir: string): void {
  endEngineSync(runDir);
  try {
    rmSync(runDir, { recursive: true, force: true, maxRetries: 3 });
  } catch {
    // a mount we could not remove: the next start reaps it
  }
}

/**
 * Engine directories whose owner process is gone (killed outright, or a machine that went down): end what still
 * runs there, unmount, remove. A directory is named after its owner's pid, so a live concurrent lab is left alone.
 */
function reapStale(runRoot: string): void {
  let entries: string[] = [];
  try {
    entries = readdirSync(runRoot);
  } catch {
    return;
  }
  for (const e of entries) {
    const owner = Number(/^(\d+)-/.exec(e)?.[1] ?? 0);
    if (owner > 0 && !processGone(owner)) continue;
    tearDownSync(path.join(runRoot, e));
  }
  // Overlays of containers killed outright, in the shared data root: only while no engine holds it.
  if (sharedDataRootFree()) unmountUnder(sharedDataRoot().dir);
}

/** Reaps the engine directories of owners that are gone (also done before every start). */
export function reapStaleEngines(): void {
  reapStale(path.join(dockerWorkDir(), "run"));
}

// The watchdog: if the owner dies without stopping the engine (SIGKILL), it stops dockerd, which stops its
// containers and its containerd. It ends by itself once dockerd is gone.
const WATCHDOG = `
alive() { [ -r "/proc/$1/stat" ] && read -r _ _ st _ < "/proc/$1/stat" && [ "$st" != Z ]; }
while alive "$1" && alive "$2"; do sleep 1; done
alive "$2" || exit 0
kill -TERM "$2" 2>/dev/null
i=0
while alive "$2" && [ "$i" -lt 60 ]; do sleep 1; i=$((i + 1)); done
kill -KILL "$2" 2>/dev/null
exit 0
`;

function logTail(file: string, lines = 12): string {
  try {
    return readFileSync(file, "utf8").trim().split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
}

async function waitGone(pid: number, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (processGone(pid)) return true;
    await sleep(50);
  }
  return processGone(pid);
}

interface Owned {
  engine: DockerEngine;
  runDir: string;
  dockerd: ChildProcess;
  /** Resolves once dockerd has exited and been reaped (no zombie left behind). */
  dockerdExited: Promise<void>;
  watchdog: ChildProcess;
}

function forget(o: Owned): void {
  untrackFinal(`dockerd:${o.runDir}`);
  if (process.env.DOCKER_HOST === o.engine.dockerHost) delete process.env.DOCKER_HOST;
  killWatchdog(o.watchdog);
}

function killWatchdog(w: ChildProcess): void {
  // The watchdog's own group (it was started detached), so its sleep goes with it.
  if (w.pid) {
    try {
      process.kill(-w.pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
}

/** SIGTERM: dockerd stops its containers (their STOPSIGNAL, then SIGKILL after their timeout) and its containerd. */
async function stopOwned(o: Owned): Promise<void> {
  const pid = o.dockerd.pid ?? 0;
  const reaped = (ms: number) => Promise.race([o.dockerdExited.then(() => true), sleep(ms).then(() => false)]);
  kill(pid, "SIGTERM");
  if (!(await reaped(60_000))) kill(pid, "SIGKILL");
  if (!(await reaped(5000))) await waitGone(pid, 1000);
  forget(o);
  tearDownSync(o.runDir);
}

function stopOwnedSync(o: Owned): void {
  const pid = o.dockerd.pid ?? 0;
  kill(pid, "SIGTERM");
  const end = Date.now() + 30_000;
  while (!processGone(pid) && Date.now() < end) sleepSync(25);
  forget(o);
  tearDownSync(o.runDir);
}

/** A request to the engine's API over its socket. */
function dockerApi(socketPath: string, method: string, apiPath: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ socketPath, method, path: apiPath, timeout: 60_000 }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (d: string) => {
        body += d;
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("timeout", () => req.destroy(new Error(`${method} ${apiPath}: no answer`)));
    req.on("error", reject);
    req.end();
  });
}

/** Containers a killed run left in the shared data root (stopped, never removed): ours alone, so all of them. */
async function removeLeftoverContainers(socket: string): Promise<void> {
  const list = await dockerApi(socket, "GET", "/containers/json?all=1");
  for (const c of JSON.parse(list.body) as { Id: string }[]) {
    await dockerApi(socket, "DELETE", `/containers/${c.Id}?force=1&v=1`);
  }
}

// The exit status of the start wrapper when another engine holds the shared data root.
const DATA_ROOT_BUSY = 75;
// dockerd, started by a shell that first takes an exclusive lock ($0) on the shared data root: fd 3 is inherited by
// dockerd and its children, so the lock lasts as long as they do, and a killed engine frees it by itself.
const LOCKED_START = `exec 3>>"$0"; flock -n 3 || exit ${DATA_ROOT_BUSY}; exec "$@"`;

/** The data root every engine of this machine would like: the lab image stays in it from one run to the next. */
function sharedDataRoot(): { dir: string; lock: string } {
  return { dir: path.join(dockerWorkDir(), "data"), lock: path.join(dockerWorkDir(), "data.lock") };
}

/** Whether no engine holds the shared data root now. */
function sharedDataRootFree(): boolean {
  try {
    execFileSync("flock", ["-n", sharedDataRoot().lock, "true"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

interface Launch {
  child: ChildProcess;
  exited: Promise<void>;
  watchdog: ChildProcess;
}

function launch(runDir: string, dataRoot: string, lock: string | undefined): Launch {
  const dockerd = findExecutable("dockerd") ?? "dockerd";
  const socket = path.join(runDir, "docker.sock");
  const args = [
    `--config-file=${path.join(runDir, "daemon.json")}`,
    `--data-root=${dataRoot}`,
    `--exec-root=${path.join(runDir, "exec")}`,
    `--pidfile=${path.join(runDir, "dockerd.pid")}`,
    `--host=unix://${socket}`,
    "--bridge=none",
    "--iptables=false",
    "--ip6tables=false",
    "--ip-forward=false",
    "--ip-masq=false",
    "--userland-proxy=false",
    // dockerd runs its own containerd (under the exec root), unless a system containerd's socket exists: then our
    // containers live there, and namespaces of their own keep them apart from anyone else's.
    `--containerd-namespace=dbdoctor-lab-${path.basename(runDir)}`,
    `--containerd-plugins-namespace=dbdoctor-lab-${path.basename(runDir)}-plugins`,
  ];
  const log = openSync(path.join(runDir, "dockerd.log"), "a");
  let child: ChildProcess;
  try {
    const cmd = lock ? "sh" : dockerd;
    const argv = lock ? ["-c", LOCKED_START, lock, dockerd, ...args] : args;
    child = spawn(cmd, argv, {
      // Its own process group: a terminal's Ctrl-C reaches us, and we stop the containers before the daemon.
      detached: true,
      stdio: ["ignore", log, log],
      env: { PATH: `${process.env.PATH ?? ""}:/usr/local/sbin:/usr/sbin:/sbin`, LANG: "C" },
    });
  } finally {
    closeSync(log);
  }
  child.on("error", () => {
    // surfaced by the exit check and the log
  });
  const exited = new Promise<void>((resolve) => {
    child.once("exit", () => resolve());
    child.once("error", () => resolve());
  });
  child.unref();
  // (runDir on its command line only names it: engineProcesses finds it like the daemon's other processes.)
  const watchdog = spawn(
    "sh",
    ["-c", WATCHDOG, "dbdoctor-dockerd-watchdog", String(process.pid), String(child.pid), runDir],
    { detached: true, stdio: "ignore" },
  );
  watchdog.on("error", () => {});
  watchdog.unref();
  return { child, exited, watchdog };
}

/** Until the engine answers: "ok", "busy" (the shared data root is taken) or "failed" (with the log's tail). */
async function answered(l: Launch, runDir: string): Promise<{ state: "ok" | "busy" | "failed"; why?: string }> {
  const socket = path.join(runDir, "docker.sock");
  const deadline = Date.now() + 90_000;
  for (;;) {
    const { exitCode, signalCode } = l.child;
    if (exitCode === DATA_ROOT_BUSY) return { state: "busy" };
    if (exitCode !== null || signalCode !== null || !l.child.pid) {
      return { state: "failed", why: `dockerd exited at start-up:\n${logTail(path.join(runDir, "dockerd.log"))}` };
    }
    if (existsSync(socket) && (await pingDocker(socket, 2000))) return { state: "ok" };
    if (Date.now() > deadline) {
      return {
        state: "failed",
        why: `dockerd did not answer within 90 s:\n${logTail(path.join(runDir, "dockerd.log"))}`,
      };
    }
    await sleep(100);
  }
}

async function startDockerd(): Promise<Owned> {
  const why = whyCannotStart();
  if (why) throw new EngineUnavailable(why);
  if (!findExecutable("flock")) throw new EngineUnavailable("flock is not installed (Debian: util-linux)");
  const t0 = performance.now();
  const runRoot = path.join(dockerWorkDir(), "run");
  await mkdir(runRoot, { recursive: true, mode: 0o700 });
  reapStale(runRoot);
  const runDir = await mkdtemp(path.join(runRoot, `${process.pid}-`));
  const socket = path.join(runDir, "docker.sock");
  // An empty config file: /etc/docker/daemon.json (registry mirrors, a default bridge, ...) must not leak in.
  await writeFile(path.join(runDir, "daemon.json"), "{}\n");
  const shared = sharedDataRoot();
  await mkdir(shared.dir, { recursive: true, mode: 0o700 });
  // The shared data root, where the lab image waits from the last run; if another engine of this machine holds it,
  // a private one in runDir (the image is then imported from the cached tarball); a shared one dockerd cannot
  // start on (left broken by a crash) is wiped once.
  const plans: { dataRoot: string; lock?: string; wipe?: boolean }[] = [
    { dataRoot: shared.dir, lock: shared.lock },
    { dataRoot: shared.dir, lock: shared.lock, wipe: true },
    { dataRoot: path.join(runDir, "data") },
  ];
  const engine: DockerEngine = { dockerHost: `unix://${socket}`, owned: true, runDir };
  let owned: Owned | undefined;
  let failure = "";
  for (let i = 0; i < plans.length; i++) {
    const plan = plans[i];
    if (!plan) break;
    if (plan.wipe) {
      if (!sharedDataRootFree()) continue;
      unmountUnder(plan.dataRoot);
      rmSync(plan.dataRoot, { recursive: true, force: true, maxRetries: 3 });
      await mkdir(plan.dataRoot, { recursive: true, mode: 0o700 });
    }
    const l = launch(runDir, plan.dataRoot, plan.lock);
    const o: Owned = { engine, runDir, dockerd: l.child, dockerdExited: l.exited, watchdog: l.watchdog };
    owned = o;
    trackFinal({ name: `dockerd:${runDir}`, stop: () => stopOwned(o), stopSync: () => stopOwnedSync(o) });
    const r = await answered(l, runDir);
    if (r.state === "ok") {
      engine.dockerdPid = l.child.pid;
      engine.dataRoot = plan.dataRoot;
      break;
    }
    // Not this way: end what started (its containerd too), keeping runDir for the next plan.
    kill(l.child.pid ?? 0, "SIGKILL");
    await Promise.race([l.exited, sleep(5000)]);
    killWatchdog(l.watchdog);
    endEngineSync(runDir);
    untrackFinal(`dockerd:${runDir}`);
    owned = undefined;
    failure = r.why ?? failure;
    // busy: skip the wipe, go private
    if (r.state === "busy" && plans[i + 1]?.wipe) i++;
  }
  if (!owned) {
    tearDownSync(runDir);
    throw new EngineUnavailable(failure || "dockerd did not start");
  }
  try {
    if (engine.dataRoot === shared.dir) await removeLeftoverContainers(socket);
  } catch (err) {
    await stopOwned(owned);
    throw err;
  }
  engine.startMs = Math.round(performance.now() - t0);
  return owned;
}

// ---------------------------------------------------------------------------------------------------------------

let current: Promise<DockerEngine> | undefined;
let currentOwned: Owned | undefined;

/**
 * The lab's containers share the host's network, so the host they are reached on is this machine's loopback.
 * (Left to itself, testcontainers run from inside a container looks for a "bridge" network's gateway, which an
 * engine started with --bridge=none does not have.)
 */
function hostIsLoopback(dockerHost: string): void {
  if (dockerHost.startsWith("unix://")) process.env.TESTCONTAINERS_HOST_OVERRIDE ??= "127.0.0.1";
}

async function resolveEngine(mayStart: boolean): Promise<DockerEngine> {
  const fromEnv = process.env.DOCKER_HOST;
  if (fromEnv) {
    hostIsLoopback(fromEnv);
    return { dockerHost: fromEnv, owned: false };
  }
  if (existsSync(SYSTEM_SOCKET) && (await pingDocker(SYSTEM_SOCKET))) {
    hostIsLoopback(`unix://${SYSTEM_SOCKET}`);
    return { dockerHost: `unix://${SYSTEM_SOCKET}`, owned: false };
  }
  if (!mayStart) {
    // Rootless Docker, Docker Desktop, ~/.testcontainers.properties: testcontainers knows where else to look.
    try {
      const { getContainerRuntimeClient } = await import("testcontainers");
      const client = await getContainerRuntimeClient();
      return { dockerHost: client.info.containerRuntime.remoteSocketPath, owned: false };
    } catch {
      throw new EngineUnavailable(
        `no Docker engine answers (DOCKER_HOST is unset, ${SYSTEM_SOCKET} does not answer), and the lab starts ` +
          `its own only in tests and CI (${START_DOCKERD_ENV}=1)`,
      );
    }
  }
  const owned = await startDockerd();
  currentOwned = owned;
  // Before any testcontainers call of this process: it reads DOCKER_HOST once and keeps it.
  process.env.DOCKER_HOST = owned.engine.dockerHost;
  hostIsLoopback(owned.engine.dockerHost);
  return owned.engine;
}

/**
 * The engine the lab's docker backend uses, found or (where allowed) started once per process. `mayStart`
 * defaults to DBDOCTOR_LAB_START_DOCKERD=1; a test that needs an engine for its own purpose may pass true.
 * Rejects with EngineUnavailable, whose message says why.
 */
export function ensureDockerEngine(opts: { mayStart?: boolean } = {}): Promise<DockerEngine> {
  if (!current) {
    current = resolveEngine(opts.mayStart ?? startAllowed());
    current.catch(() => {
      current = undefined;
    });
  }
  return current;
}

/** Stops the engine this process started (nothing for one it found). Stop the containers first. */
export async function stopDockerEngine(): Promise<void> {
  const o = currentOwned;
  current = undefined;
  currentOwned = undefined;
  if (o) await stopOwned(o);
}

/** Runs fn with a Docker engine (started if allowed and needed) and stops an engine it started afterwards. */
export async function withDockerEngine<T>(
  fn: (engine: DockerEngine) => Promise<T>,
  opts: { mayStart?: boolean } = {},
): Promise<T> {
  const engine = await ensureDockerEngine(opts);
  try {
    return await fn(engine);
  } finally {
    if (engine.owned) await stopDockerEngine();
  }
}
