import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, describe, expect, it } from "vitest";
import { processGone } from "../../scripts/lab/cleanup.js";
import { psqlConnect, startServer } from "../../scripts/lab/index.js";
import { LAB_CLI, LAB_INDEX, processesUnder, REPO, spawnTsx } from "../helpers/lab.js";

/** No server and no temporary directory outlives the process that started it, however it ends. */

interface RunState {
  supervisorPid: number;
  servers: { name: string; port: number; pid: number; dataDir: string }[];
}

async function waitUntil(cond: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (cond()) return true;
    await sleep(25);
  }
  return cond();
}

function assertAlive(st: RunState): void {
  expect(st.servers.length).toBeGreaterThan(0);
  for (const s of st.servers) {
    expect(existsSync(s.dataDir), s.dataDir).toBe(true);
    expect(processesUnder(path.dirname(s.dataDir)).length, `${s.name} processes`).toBeGreaterThan(1);
  }
}

async function assertClean(st: RunState): Promise<void> {
  for (const s of st.servers) {
    const root = path.dirname(s.dataDir);
    expect(await waitUntil(() => processesUnder(root).length === 0, 5000), `processes left in ${root}`).toBe(true);
    expect(existsSync(root), `${root} left behind`).toBe(false);
  }
}

const tmpState = mkdtempSync(path.join(os.tmpdir(), "dbdoctor-lab-state-test-"));
afterAll(() => rmSync(tmpState, { recursive: true, force: true }));

describe("lab cleanup", () => {
  for (const sig of ["SIGINT", "SIGTERM"] as const) {
    it(`stops every server and removes its directory on ${sig}`, async () => {
      const run = spawnTsx([LAB_CLI, "run", "ssl-off", "good", "--json"]);
      const st = (await run.first) as RunState;
      assertAlive(st);
      run.child.kill(sig);
      const ended = await run.exited;
      expect(ended.code, ended.stderr).toBe(sig === "SIGINT" ? 130 : 143);
      await assertClean(st);
    });
  }

  it("cleans up when the program crashes with an uncaught error after starting a lab", async () => {
    const script = [
      `import { startLab } from ${JSON.stringify(LAB_INDEX)};`,
      "const lab = await startLab(['ssl-off', 'hostssl-only']);",
      "const servers = [...lab.servers.values()].map((s) => ({ name: s.name, port: s.port, pid: s.pid, dataDir: s.dataDir }));",
      "console.log(JSON.stringify({ supervisorPid: process.pid, servers }));",
      "setTimeout(() => { throw new Error('boom'); }, 300);",
    ].join("\n");
    const run = spawnTsx(["--input-type=module", "-e", script]);
    const st = (await run.first) as RunState;
    assertAlive(st);
    const ended = await run.exited;
    expect(ended.code).toBe(1);
    expect(ended.stderr).toContain("boom");
    await assertClean(st);
  });

  it("cleans up when the program just returns without stopping the lab", async () => {
    const script = [
      `import { startLab } from ${JSON.stringify(LAB_INDEX)};`,
      "const lab = await startLab(['ssl-off']);",
      "const servers = [...lab.servers.values()].map((s) => ({ name: s.name, port: s.port, pid: s.pid, dataDir: s.dataDir }));",
      "console.log(JSON.stringify({ supervisorPid: process.pid, servers }));",
    ].join("\n");
    const run = spawnTsx(["--input-type=module", "-e", script]);
    const st = (await run.first) as RunState;
    expect(st.servers.length).toBe(1);
    const ended = await run.exited;
    expect(ended.code).toBe(0);
    await assertClean(st);
  });

  it("a server that fails to start leaves nothing behind and says why", async () => {
    const before = new Set(execFileSync("ls", [os.tmpdir()], { encoding: "utf8" }).split("\n"));
    await expect(
      startServer({ name: "broken", ssl: false, hba: [], users: [], settings: { shared_buffers: "lots" } }),
    ).rejects.toThrow(/lab server broken: server broken failed to start[\s\S]*shared_buffers/);
    const after = execFileSync("ls", [os.tmpdir()], { encoding: "utf8" }).split("\n");
    expect(after.filter((f) => f.startsWith("dbdoctor-lab-broken-") && !before.has(f))).toEqual([]);
  });

  it("`lab up` keeps servers running after it returns, and `lab down` stops them", async () => {
    const env = { ...process.env, LAB_STATE_FILE: path.join(tmpState, "state.json") };
    const upOut = execFileSync(process.execPath, ["--import", "tsx", LAB_CLI, "up", "ssl-off", "good"], {
      cwd: REPO,
      env,
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(upOut).toMatch(/2 servers up in \d+ ms/);
    const st = JSON.parse(readFileSync(env.LAB_STATE_FILE, "utf8")) as RunState;
    assertAlive(st);
    const good = st.servers.find((s) => s.name === "good");
    expect(good).toBeDefined();
    const r = await psqlConnect(
      { host: "127.0.0.1", port: good?.port ?? 0 },
      { settings: { sslmode: "require" }, user: "app", password: "lab-Pa55-dbdoctor" },
    );
    expect(r.ok, r.stderr).toBe(true);
    const downOut = execFileSync(process.execPath, ["--import", "tsx", LAB_CLI, "down"], {
      cwd: REPO,
      env,
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(downOut).toMatch(/2 servers down in \d+ ms/);
    await assertClean(st);
    expect(existsSync(env.LAB_STATE_FILE)).toBe(false);
    expect(await waitUntil(() => processGone(st.supervisorPid), 3000), "supervisor still running").toBe(true);
  });

  it("`lab down` also cleans up after a supervisor that was killed outright", async () => {
    const env = { ...process.env, LAB_STATE_FILE: path.join(tmpState, "state2.json") };
    execFileSync(process.execPath, ["--import", "tsx", LAB_CLI, "up", "ssl-off"], { cwd: REPO, env, timeout: 60_000 });
    const st = JSON.parse(readFileSync(env.LAB_STATE_FILE, "utf8")) as RunState;
    assertAlive(st);
    process.kill(st.supervisorPid, "SIGKILL");
    await sleep(200);
    // The postmaster outlives a SIGKILLed supervisor: only `down` can find it now.
    expect(processesUnder(path.dirname(st.servers[0]?.dataDir ?? "/nonexistent")).length).toBeGreaterThan(0);
    execFileSync(process.execPath, ["--import", "tsx", LAB_CLI, "down"], { cwd: REPO, env, timeout: 60_000 });
    await assertClean(st);
  });
});
