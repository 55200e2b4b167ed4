// libpq as the oracle: psql connecting with exactly the given settings and HOME, nothing from the environment.
import { execFile } from "node:child_process";
import { conninfo } from "../../scripts/lab/index.js";

export interface OracleResult {
  ok: boolean;
  stderr: string;
}

export function psqlWithHome(
  server: { host: string; port: number },
  settings: Record<string, string>,
  user: string,
  home: string,
  password?: string,
): Promise<OracleResult> {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: home,
    PGSYSCONFDIR: home,
    LANG: "C",
    LC_ALL: "C",
    PGCONNECT_TIMEOUT: "5",
  };
  if (password !== undefined) env.PGPASSWORD = password;
  const args = ["-X", "-w", "-A", "-t", "-c", "select 1", "-d", conninfo(server, settings, user)];
  return new Promise((resolve) => {
    execFile("psql", args, { env, cwd: home, timeout: 20_000, encoding: "utf8" }, (err, stdout, stderr) => {
      resolve({ ok: !err && stdout.trim() === "1", stderr: stderr.trim() });
    });
  });
}

/** Runs async jobs with at most `limit` in flight (2 cores: psql and servers share them). */
export async function pool<T, R>(items: readonly T[], limit: number, job: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await job(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
