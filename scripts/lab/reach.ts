// The lab runs PostgreSQL as an unprivileged account when we are root. A clone under a directory that account
// cannot enter (e.g. /root, mode 0700, where CI may put it) would hide the server binaries under node_modules
// and the template cache under .lab from it. Such things are staged under the system temp directory instead.
import { execFile } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { statSync } from "node:fs";
import { mkdir, rename, rm, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/**
 * Whether an account that is neither the owner nor in the group can reach `target`: every directory above it
 * searchable by others, and the target readable (and, for `exec`, executable) by others.
 */
export function reachableByOthers(target: string, exec = false): boolean {
  try {
    const abs = path.resolve(target);
    const mode = statSync(abs).mode;
    if ((mode & 0o004) === 0 || (exec && (mode & 0o001) === 0)) return false;
    for (let dir = path.dirname(abs); ; dir = path.dirname(dir)) {
      if ((statSync(dir).mode & 0o001) === 0) return false;
      if (dir === path.dirname(dir)) return true;
    }
  } catch {
    return false;
  }
}

/** A cache directory under the system temp dir, readable by everyone (it holds nothing secret). */
export function sharedCacheDir(name: string): string {
  return path.join(os.tmpdir(), `dbdoctor-lab-cache-u${process.getuid?.() ?? 0}`, name);
}

export async function pathExists(p: string): Promise<boolean> {
  try {
    await stat(p);
    return true;
  } catch {
    return false;
  }
}

/**
 * A copy of `dir` (bin/, lib/, share/ of a PostgreSQL build) that others can read and execute, made once per
 * source path and version; built under a temporary name and renamed, so concurrent labs never see half a copy.
 */
export async function stageTree(dir: string, version: string): Promise<string> {
  const key = `pg-${version}-${createHash("sha256").update(path.resolve(dir)).digest("hex").slice(0, 12)}`;
  const final = sharedCacheDir(key);
  if (await pathExists(path.join(final, "bin", "postgres"))) return final;
  await mkdir(path.dirname(final), { recursive: true, mode: 0o755 });
  const tmp = `${final}.tmp-${process.pid}-${randomBytes(4).toString("hex")}`;
  try {
    await run("cp", ["-a", dir, tmp]);
    await run("chmod", ["-R", "go+rX", tmp]);
    await rename(tmp, final);
  } catch (err) {
    await rm(tmp, { recursive: true, force: true });
    if (!(await pathExists(path.join(final, "bin", "postgres")))) throw err;
  }
  return final;
}
