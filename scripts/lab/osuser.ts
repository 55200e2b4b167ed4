import { execFile } from "node:child_process";
import { promisify } from "node:util";

const run = promisify(execFile);

/** The unprivileged account servers run as when we are root (PostgreSQL refuses to run as root). */
export interface RunAs {
  name: string;
  uid: number;
  gid: number;
}

export const LAB_OS_USER = process.env.LAB_OS_USER || "dbdoctor-lab";

async function lookup(name: string): Promise<RunAs | undefined> {
  try {
    const { stdout } = await run("getent", ["passwd", name]);
    const f = stdout.trim().split(":");
    if (f.length < 4) return undefined;
    return { name, uid: Number(f[2]), gid: Number(f[3]) };
  } catch {
    return undefined;
  }
}

let cached: Promise<RunAs | undefined> | undefined;

/** undefined when not root: the servers then simply run as the current user. */
export function serverIdentity(): Promise<RunAs | undefined> {
  cached ??= resolveIdentity();
  return cached;
}

async function resolveIdentity(): Promise<RunAs | undefined> {
  if (typeof process.getuid !== "function" || process.getuid() !== 0) return undefined;
  const found = await lookup(LAB_OS_USER);
  if (found) return found;
  try {
    await run("useradd", ["--system", "--no-create-home", "--shell", "/usr/sbin/nologin", LAB_OS_USER]);
  } catch (err) {
    // Another process may have created it at the same moment; only a still-missing user is an error.
    const again = await lookup(LAB_OS_USER);
    if (again) return again;
    throw new Error(
      `running as root, and could not create the unprivileged user ${LAB_OS_USER} for the servers: ${
        err instanceof Error ? err.message : String(err)
      }`,
    );
  }
  const made = await lookup(LAB_OS_USER);
  if (!made) throw new Error(`useradd ${LAB_OS_USER} succeeded but the user cannot be found`);
  return made;
}
