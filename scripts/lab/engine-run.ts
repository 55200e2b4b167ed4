/**
 * Runs one command with a Docker engine, DOCKER_HOST set for it: the engine that answers, or (tests and CI only,
 * DBDOCTOR_LAB_START_DOCKERD=1) one the lab starts for the command's duration and stops afterwards, also on Ctrl-C
 * and SIGTERM. Exits with the command's status.
 *
 *   DBDOCTOR_LAB_START_DOCKERD=1 npx tsx scripts/lab/engine-run.ts -- docker info
 */
import { spawn } from "node:child_process";
import { setTimeout as sleep } from "node:timers/promises";
import { trackFinal, untrackFinal } from "./cleanup.js";
import { ensureDockerEngine, stopDockerEngine } from "./engine.js";

async function main(argv: string[]): Promise<number> {
  const args = argv[0] === "--" ? argv.slice(1) : argv;
  const [cmd, ...rest] = args;
  if (!cmd) {
    console.error("usage: engine-run.ts -- COMMAND [ARG...]");
    return 2;
  }
  const engine = await ensureDockerEngine();
  if (engine.owned) console.error(`engine-run: dockerd started in ${engine.startMs} ms at ${engine.dockerHost}`);
  const child = spawn(cmd, rest, { stdio: "inherit", env: { ...process.env, DOCKER_HOST: engine.dockerHost } });
  const exited = new Promise<number>((resolve) => {
    child.once("exit", (code, signal) => resolve(code ?? (signal ? 128 : 1)));
    child.once("error", (err) => {
      console.error(`engine-run: ${cmd}: ${err.message}`);
      resolve(127);
    });
  });
  // Registered after the engine, so stopped before it when a signal ends us.
  trackFinal({
    name: `engine-run:${child.pid}`,
    stop: async () => {
      child.kill("SIGTERM");
      await Promise.race([exited, sleep(10_000)]);
      child.kill("SIGKILL");
    },
    stopSync: () => {
      child.kill("SIGKILL");
    },
  });
  const code = await exited;
  untrackFinal(`engine-run:${child.pid}`);
  await stopDockerEngine();
  return code;
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (err) {
  console.error(`engine-run: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
}
