import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmod, chown, mkdir, rename, rm } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import type { Binaries } from "./backends.js";
import type { RunAs } from "./osuser.js";
import { LAB_DIR } from "./paths.js";
import { pathExists, reachableByOthers, sharedCacheDir } from "./reach.js";

const run = promisify(execFile);

/** The lab's superuser, created by initdb; reachable only over the unix socket. */
export const LAB_SUPERUSER = "postgres";

/**
 * One initdb per backend, version and server account, cached under .lab/templates (or the shared cache) and copied per
 * scenario: initdb costs ~0.5 s, a copy ~0.1 s. Built under a temporary name and renamed into place,
 * so a directory that exists is complete even with several labs starting at once.
 */
export async function ensureTemplate(bins: Binaries, runAs: RunAs | undefined): Promise<string> {
  // initdb runs as the server account, which must reach the cache; under an unreachable clone it lives in /tmp.
  const inRepo = path.join(LAB_DIR, "templates");
  const root = runAs && !reachableByOthers(path.dirname(LAB_DIR)) ? sharedCacheDir("templates") : inRepo;
  const key = `${bins.backend}-${bins.version}-u${runAs?.uid ?? process.getuid?.() ?? 0}`;
  const final = path.join(root, key);
  if (await pathExists(path.join(final, "PG_VERSION"))) return final;

  await mkdir(root, { recursive: true, mode: 0o755 });
  const tmp = path.join(root, `.tmp-${key}-${process.pid}-${randomBytes(4).toString("hex")}`);
  await mkdir(tmp, { mode: 0o700 });
  try {
    if (runAs) await chown(tmp, runAs.uid, runAs.gid);
    await chmod(tmp, 0o700);
    const args = [
      "-D",
      tmp,
      "-U",
      LAB_SUPERUSER,
      "--auth=trust",
      "--locale=C",
      "--encoding=UTF8",
      "--no-sync",
      // Small WAL segments keep each copy small (28 MB instead of 40 MB).
      "--wal-segsize=1",
    ];
    try {
      await run(bins.initdb, args, {
        uid: runAs?.uid,
        gid: runAs?.gid,
        cwd: root,
        env: { PATH: process.env.PATH ?? "/usr/bin:/bin", LANG: "C", LC_ALL: "C" },
        timeout: 120_000,
      });
    } catch (err) {
      const e = err as { stderr?: string; message: string };
      throw new Error(`initdb (${bins.initdb}) failed: ${(e.stderr || e.message).trim()}`);
    }
    try {
      await rename(tmp, final);
    } catch (err) {
      // Lost the race to a concurrent lab: its template is as good as ours.
      if (!(await pathExists(path.join(final, "PG_VERSION")))) throw err;
      await rm(tmp, { recursive: true, force: true });
    }
  } catch (err) {
    await rm(tmp, { recursive: true, force: true });
    throw err;
  }
  return final;
}
