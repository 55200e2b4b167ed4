// No container, dockerd, containerd or shim of the docker lab outlives the process that started them: on SIGINT
// and SIGTERM the lab stops its containers, then the engine; if the process is killed outright, the watchdog stops
// the engine (which stops its containers) and the next start removes what is left on disk.
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, describe, expect, it } from "vitest";
import { processGone } from "../../scripts/lab/cleanup.js";
import {
  dockerWorkDir,
  engineProcesses,
  mountsUnder,
  pingDocker,
  reapStaleEngines,
  START_DOCKERD_ENV,
  whyCannotStart,
} from "../../scripts/lab/engine.js";
import { LAB_CLI, processesUnder, spawnTsx } from "../helpers/lab.js";

interface RunState {
  supervisorPid: number;
  servers: { name: string; port: number; pid: number; dataDir: string; backend: string }[];
}

/** These tests are about the engine the lab starts itself; where one is already there, it starts none. */
async function whyNot(): Promise<string | undefined> {
  if (process.env.DOCKER_HOST) return "DOCKER_HOST is set: the lab uses that engine and starts none";
  if (existsSync("/var/run/docker.sock") && (await pingDocker("/var/run/docker.sock"))) {
    return "the system's Docker engine answers: the lab uses it and starts none";
  }
  return whyCannotStart();
}

const why = await whyNot();
if (why) console.warn(`skipping the docker cleanup tests: ${why}`);

/** Whether the shared data root's lock is free (flock(1), as the engine takes it). */
function sharedFree(): boolean {
  try {
    execFileSync("flock", ["-n", path.join(dockerWorkDir(), "data.lock"), "true"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

async function waitUntil(cond: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (cond()) return true;
    await sleep(50);
  }
  return cond();
}

const serverRoots: string[] = [];
afterAll(() => {
  for (const r of serverRoots) rmSync(r, { recursive: true, force: true });
});

function argv0(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0")[0] ?? "";
  } catch {
    return ""; // exited meanwhile
  }
}

/** `npm run lab -- run good` on the docker backend, with no engine around: the lab starts its own. */
async function startRun(expectDataRoot: "shared" | "private") {
  const run = spawnTsx([LAB_CLI, "run", "good", "--json"], {
    LAB_BACKEND: "docker",
    [START_DOCKERD_ENV]: "1",
    DOCKER_HOST: undefined,
  });
  try {
    const st = (await run.first) as RunState;
    const pid = run.child.pid ?? 0;
    // The engine's directory is named after the process that owns it.
    const entry = readdirSync(path.join(dockerWorkDir(), "run")).find((e) => e.startsWith(`${pid}-`));
    expect(entry, "the lab started no engine of its own").toBeDefined();
    const runDir = path.join(dockerWorkDir(), "run", entry ?? "");
    const server = st.servers[0];
    if (!server) throw new Error("no server in the lab's state");
    serverRoots.push(path.dirname(server.dataDir));
    expect(server.backend).toBe("docker");
    // dockerd, containerd, the watchdog, the container's shim and its postgres processes.
    const procs = engineProcesses(runDir).map(argv0);
    expect(procs.some((c) => c.endsWith("dockerd"))).toBe(true);
    expect(procs.some((c) => c.endsWith("containerd"))).toBe(true);
    expect(procs.some((c) => c.includes("containerd-shim"))).toBe(true);
    expect(procs.filter((c) => c === "sh").length, "the watchdog").toBeGreaterThanOrEqual(1);
    expect(procs.some((c) => c === "postgres")).toBe(true);
    expect(processGone(server.pid), "postmaster").toBe(false);
    const dockerd = engineProcesses(runDir).find((p) => argv0(p).endsWith("dockerd")) ?? 0;
    const dataRoot = /--data-root=(\S+)/.exec(
      readFileSync(`/proc/${dockerd}/cmdline`, "utf8").split("\0").join(" "),
    )?.[1];
    expect(dataRoot).toBe(expectDataRoot === "shared" ? path.join(dockerWorkDir(), "data") : path.join(runDir, "data"));
    return { run, runDir, server };
  } catch (err) {
    // Whatever failed, the lab it started does not outlive the test.
    run.child.kill("SIGTERM");
    await run.exited;
    throw err;
  }
}

describe.skipIf(why !== undefined)("docker lab cleanup (an engine of its own)", () => {
  for (const sig of ["SIGINT", "SIGTERM"] as const) {
    // With SIGTERM, another engine holds the machine's shared data root: this one gets a private one, removed too.
    const holder = sig === "SIGTERM";
    it(`on ${sig}: the container, then dockerd and containerd, stop; the engine's directory and mounts go${holder ? " (private data root)" : ""}`, async () => {
      mkdirSync(dockerWorkDir(), { recursive: true, mode: 0o700 });
      // (its own process group, so that flock and its sleep end together)
      const lock = holder
        ? spawn("flock", [path.join(dockerWorkDir(), "data.lock"), "sleep", "600"], { stdio: "ignore", detached: true })
        : undefined;
      if (lock)
        expect(await waitUntil(() => !sharedFree(), 10_000), "the lock holder did not take the lock").toBe(true);
      let started: Awaited<ReturnType<typeof startRun>>;
      try {
        started = await startRun(holder ? "private" : "shared");
      } finally {
        if (lock?.pid) process.kill(-lock.pid, "SIGKILL");
      }
      const { run, runDir, server } = started;
      run.child.kill(sig);
      const ended = await run.exited;
      expect(ended.code, ended.stderr).toBe(sig === "SIGINT" ? 130 : 143);
      expect(processGone(server.pid), "postmaster").toBe(true);
      expect(engineProcesses(runDir), "dockerd, containerd or a shim").toEqual([]);
      expect(mountsUnder(runDir)).toEqual([]);
      expect(existsSync(runDir)).toBe(false);
      expect(existsSync(path.dirname(server.dataDir))).toBe(false);
      expect(processesUnder(path.dirname(server.dataDir))).toEqual([]);
    }, 240_000);
  }

  it("killed outright (SIGKILL): the watchdog stops dockerd and its container; the next start reaps the rest", async () => {
    const { run, runDir, server } = await startRun("shared");
    run.child.kill("SIGKILL");
    await run.exited;
    // The watchdog polls once a second; dockerd then stops the container (SIGINT) and its containerd.
    expect(await waitUntil(() => engineProcesses(runDir).length === 0, 90_000), "engine still running").toBe(true);
    expect(processGone(server.pid), "postmaster").toBe(true);
    // Nobody was left to remove the directory: what the next start does first.
    expect(existsSync(runDir)).toBe(true);
    reapStaleEngines();
    expect(mountsUnder(runDir)).toEqual([]);
    expect(existsSync(runDir)).toBe(false);
  }, 240_000);
});
