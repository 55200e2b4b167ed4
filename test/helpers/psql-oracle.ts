// libpq as the oracle: psql connecting with exactly the given settings and HOME, nothing from the environment.
import { psqlConnect } from "../../scripts/lab/index.js";

export interface OracleResult {
  ok: boolean;
  stderr: string;
}

export async function psqlWithHome(
  server: { host: string; port: number },
  settings: Record<string, string>,
  user: string,
  home: string,
  password?: string,
): Promise<OracleResult> {
  const r = await psqlConnect(server, { settings, user, ...(password !== undefined ? { password } : {}) }, { home });
  return { ok: r.ok, stderr: r.stderr.trim() };
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
