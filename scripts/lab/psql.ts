import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

/** libpq as the oracle: psql connecting to a lab server under given settings, with nothing leaking in. */

export interface PsqlResult {
  ok: boolean;
  status: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

function quote(v: string): string {
  return v === "" || /[\s'\\]/.test(v) ? `'${v.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'` : v;
}

/** A libpq connection string; host defaults to the server's 127.0.0.1 and dbname to postgres. */
export function conninfo(
  server: { host: string; port: number },
  settings: Record<string, string>,
  user: string,
): string {
  const all: Record<string, string> = {
    host: server.host,
    port: String(server.port),
    dbname: "postgres",
    user,
    ...settings,
  };
  return Object.entries(all)
    .map(([k, v]) => `${k}=${quote(v)}`)
    .join(" ");
}

const PSQL = process.env.LAB_PSQL || "psql";

export function psqlMajor(psql = PSQL): Promise<number> {
  return new Promise((resolve, reject) => {
    execFile(psql, ["--version"], (err, stdout) => {
      if (err) return reject(new Error(`${psql} --version failed: ${err.message}`));
      const m = /\(PostgreSQL\)\s+(\d+)/.exec(stdout);
      if (!m?.[1]) return reject(new Error(`cannot read the libpq major from "${stdout.trim()}"`));
      resolve(Number(m[1]));
    });
  });
}

/**
 * Connects and runs `select 1`. A fresh empty HOME (and PGSYSCONFDIR) per call keeps ~/.postgresql,
 * pg_service.conf and .pgpass out; no PG* variable of ours leaks in except the ones set here.
 */
export async function psqlConnect(
  server: { host: string; port: number },
  client: { settings: Record<string, string>; user: string; password?: string },
  opts: { timeoutS?: number; psql?: string; home?: string } = {},
): Promise<PsqlResult> {
  // A given HOME (e.g. with ~/.postgresql/root.crt in it) is the caller's; otherwise a fresh empty one.
  const home = opts.home ?? (await mkdtemp(path.join(os.tmpdir(), "dbdoctor-psql-home-")));
  const timeoutS = opts.timeoutS ?? 5;
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: home,
    PGSYSCONFDIR: home,
    LANG: "C",
    LC_ALL: "C",
    PGCONNECT_TIMEOUT: String(timeoutS),
  };
  if (client.password !== undefined) env.PGPASSWORD = client.password;
  const args = ["-X", "-w", "-A", "-t", "-c", "select 1", "-d", conninfo(server, client.settings, client.user)];
  const t0 = performance.now();
  try {
    return await new Promise<PsqlResult>((resolve) => {
      execFile(
        opts.psql ?? PSQL,
        args,
        { env, cwd: home, timeout: (timeoutS + 10) * 1000, encoding: "utf8" },
        (err, stdout, stderr) => {
          const status = err ? (typeof err.code === "number" ? err.code : null) : 0;
          resolve({
            ok: !err && stdout.trim() === "1",
            status,
            stdout,
            stderr: stderr || (err && typeof err.code !== "number" ? err.message : ""),
            ms: Math.round(performance.now() - t0),
          });
        },
      );
    });
  } finally {
    if (opts.home === undefined) await rm(home, { recursive: true, force: true });
  }
}
