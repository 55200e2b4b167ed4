// A real PgBouncer (Debian's package) in front of a lab server (issue 15). It speaks the SSLRequest and TLS to
// the client itself and keeps its own, plaintext, link to PostgreSQL: exactly the split that makes the server's
// pg_stat_ssl describe the pooler's link rather than the client's.
//
// PgBouncer refuses to run as root (main.c: "PgBouncer should not run as root"), so like PostgreSQL it runs as the
// lab's unprivileged account when we are root; it listens on 127.0.0.1 only, on a free port, with no unix socket.
// It is stopped with SIGTERM ("got SIGTERM, fast exit") on stop, exit and interruption (cleanup.ts).
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { closeSync, existsSync, openSync } from "node:fs";
import { chmod, chown, copyFile, mkdtemp, writeFile } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { promisify } from "node:util";
import { processGone, removeDir, track, untrack } from "./cleanup.js";
import { type RunAs, serverIdentity } from "./osuser.js";
import { LAB_PASSWORD } from "./scenarios.js";
import { freePort, logTail, releasePort, sqlLiteral } from "./server.js";
import { LAB_SUPERUSER } from "./template.js";
import type { Availability, LabServer, PoolerSpec } from "./types.js";

const run = promisify(execFile);

/** Where Debian puts the binary; PGBOUNCER overrides it, else PATH is searched. */
const CANDIDATES = ["/usr/sbin/pgbouncer", "/usr/bin/pgbouncer", "/usr/local/bin/pgbouncer"];

export function pgbouncerBinary(): string | undefined {
  if (process.env.PGBOUNCER) return existsSync(process.env.PGBOUNCER) ? process.env.PGBOUNCER : undefined;
  for (const c of CANDIDATES) if (existsSync(c)) return c;
  for (const dir of (process.env.PATH ?? "").split(":")) {
    if (dir && existsSync(path.join(dir, "pgbouncer"))) return path.join(dir, "pgbouncer");
  }
  return undefined;
}

export async function pgbouncerAvailable(): Promise<Availability> {
  const bin = pgbouncerBinary();
  if (!bin) return { ok: false, reason: "no pgbouncer binary (apt-get install pgbouncer; or set PGBOUNCER)" };
  try {
    await run(bin, ["--version"], { timeout: 10_000 });
    return { ok: true };
  } catch (err) {
    return { ok: false, reason: `${bin} --version failed: ${err instanceof Error ? err.message : String(err)}` };
  }
}

/** pgbouncer.ini values are read up to the end of the line; quoting is not needed for paths without newlines. */
function iniLines(settings: Record<string, string>): string[] {
  return Object.entries(settings).map(([k, v]) => {
    if (/[\r\n]/.test(v)) throw new Error(`pgbouncer setting ${k}: a value cannot hold a newline`);
    return `${k} = ${v}`;
  });
}

/** The auth_file format: `"user" "secret"`, a double quote inside doubled. */
function userlistLine(user: string, secret: string): string {
  const q = (s: string) => `"${s.replace(/"/g, '""')}"`;
  return `${q(user)} ${q(secret)}`;
}

/**
 * The upstream's stored secrets (pg_authid.rolpassword: SCRAM verifiers), as an auth_query would return them. With the
 * same SCRAM secret as the server, PgBouncer can log in to the server with the keys the client's own SCRAM exchange
 * proved (PgBouncer's "SCRAM pass-through"), so no plaintext password is stored anywhere.
 */
async function upstreamSecrets(upstream: LabServer): Promise<Map<string, string>> {
  const { default: pgmod } = await import("pg");
  const client = new pgmod.Client({
    host: upstream.socketDir,
    port: upstream.port,
    user: LAB_SUPERUSER,
    database: "postgres",
  });
  client.on("error", () => {});
  await client.connect();
  try {
    const names = upstream.spec.users.map((u) => u.name);
    const r = await client.query<{ rolname: string; rolpassword: string | null }>(
      `select rolname, rolpassword from pg_authid where rolname = any(array[${names.map(sqlLiteral).join(",") || "''"}])`,
    );
    return new Map(r.rows.flatMap((x) => (x.rolpassword ? [[x.rolname, x.rolpassword] as [string, string]] : [])));
  } finally {
    await client.end().catch(() => {});
  }
}

async function userlist(spec: PoolerSpec, upstream: LabServer): Promise<string> {
  const lines: string[] = [];
  const secrets = spec.userlist === "plaintext" ? new Map<string, string>() : await upstreamSecrets(upstream);
  for (const u of upstream.spec.users) {
    // plain and trust need a password PgBouncer can present to the server itself: the lab's, in the clear.
    const secret = spec.userlist === "plaintext" ? (u.password ?? LAB_PASSWORD) : secrets.get(u.name);
    // A user without a secret (certificate users) is still listed: auth_type=cert/trust look the name up.
    lines.push(userlistLine(u.name, secret ?? ""));
  }
  return `${lines.join("\n")}\n`;
}

export async function own(p: string, runAs: RunAs | undefined, mode: number): Promise<void> {
  if (runAs) await chown(p, runAs.uid, runAs.gid);
  await chmod(p, mode);
}

/** Whether something accepts TCP connections on 127.0.0.1:port. */
export function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host: "127.0.0.1", port });
    const done = (ok: boolean) => {
      s.destroy();
      resolve(ok);
    };
    s.once("connect", () => done(true));
    s.once("error", () => done(false));
    s.setTimeout(1000, () => done(false));
  });
}

/**
 * Stops a pooler daemon: `fast` first (PgBouncer's SIGTERM is "fast exit"; SIGINT would wait for every client to
 * leave), then SIGKILL to its whole process group (it was started detached, as a group leader), children included.
 */
export async function stopDaemon(pid: number, fast: NodeJS.Signals = "SIGTERM"): Promise<void> {
  if (processGone(pid)) return;
  const sig = (target: number, s: NodeJS.Signals) => {
    try {
      process.kill(target, s);
    } catch {
      // gone
    }
  };
  sig(pid, fast);
  for (let i = 0; i < 300 && !processGone(pid); i++) await sleep(15);
  if (!processGone(pid)) sig(pid, "SIGKILL");
  // Children (pgpool's) leave with their parent; any left over go with the group.
  sig(-pid, "SIGKILL");
  for (let i = 0; i < 200 && !processGone(pid); i++) await sleep(15);
}

/**
 * Starts PgBouncer for `spec` in front of `upstream`. The returned LabServer has the pooler's port and the upstream's
 * major and spec (its users), so clients dial it like any lab server.
 */
export async function startPgbouncer(spec: PoolerSpec, upstream: LabServer): Promise<LabServer> {
  const t0 = performance.now();
  const bin = pgbouncerBinary();
  if (!bin) throw new Error(`pooler ${spec.name}: no pgbouncer binary (apt-get install pgbouncer; or set PGBOUNCER)`);
  const runAs = await serverIdentity();
  const safeName = spec.name.replace(/[^A-Za-z0-9_-]/g, "_");
  const root = await mkdtemp(path.join(os.tmpdir(), `dbdoctor-lab-${safeName}-`));
  await chmod(root, 0o755);
  const logFile = path.join(root, "pgbouncer.log");
  let pid = 0;
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      if (pid) await stopDaemon(pid);
      await removeDir(root);
      untrack(root);
    })();
    return stopping;
  };
  track({ pid: 0, root, stop });
  try {
    const fileSettings: Record<string, string> = {};
    for (const [setting, src] of Object.entries(spec.files ?? {})) {
      const dest = path.join(root, `${setting}${path.extname(src)}`);
      await copyFile(src, dest);
      // Keys 0600 and owned by PgBouncer's account (OpenSSL reads them as that account).
      await own(dest, runAs, setting.endsWith("key_file") ? 0o600 : 0o644);
      fileSettings[setting] = dest;
    }
    const authFile = path.join(root, "userlist.txt");
    await writeFile(authFile, await userlist(spec, upstream));
    await own(authFile, runAs, 0o600);
    await writeFile(logFile, "");
    await own(logFile, runAs, 0o644);

    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      const ini = [
        "[databases]",
        // Any database name the client asks for, on the upstream, over plain TCP (server_tls_sslmode below).
        `* = host=127.0.0.1 port=${upstream.port}`,
        "",
        "[pgbouncer]",
        ...iniLines({
          listen_addr: "127.0.0.1",
          listen_port: String(port),
          // No unix socket: nothing outside 127.0.0.1.
          unix_socket_dir: "",
          auth_file: authFile,
          logfile: logFile,
          pidfile: "",
          auth_type: "scram-sha-256",
          pool_mode: "session",
          server_tls_sslmode: "disable",
          max_client_conn: "30",
          default_pool_size: "10",
          // JDBC's and others' harmless startup parameters; SkillFlaw's options=-c timezone=utc is not among them.
          ignore_startup_parameters: "extra_float_digits",
          server_login_retry: "1",
          ...fileSettings,
          ...spec.settings,
        }),
        "",
      ].join("\n");
      const confPath = path.join(root, "pgbouncer.ini");
      await writeFile(confPath, ini);
      await own(confPath, runAs, 0o644);
      const fd = openSync(logFile, "a", 0o644);
      let child: ChildProcess;
      try {
        child = spawn(bin, [confPath], {
          cwd: root,
          uid: runAs?.uid,
          gid: runAs?.gid,
          detached: true,
          stdio: ["ignore", fd, fd],
          env: { PATH: process.env.PATH ?? "/usr/bin:/bin", LANG: "C", LC_ALL: "C", TZ: "UTC" },
        });
      } finally {
        closeSync(fd);
      }
      child.unref();
      child.on("error", () => {});
      pid = child.pid ?? 0;
      track({ pid, root, stop });
      const deadline = Date.now() + 30_000;
      let ready = false;
      while (Date.now() < deadline) {
        if (child.exitCode !== null || processGone(pid)) break;
        if (await accepts(port)) {
          ready = true;
          break;
        }
        await sleep(20);
      }
      releasePort(port);
      if (ready) {
        return {
          name: spec.name,
          host: "127.0.0.1",
          port,
          major: upstream.major,
          backend: upstream.backend,
          spec: upstream.spec,
          pooler: spec,
          // A "data directory" whose parent is the pooler's own directory, as `lab down` expects of every server.
          dataDir: path.join(root, "pgbouncer.ini"),
          pid,
          socketDir: root,
          logFile,
          startupMs: Math.round(performance.now() - t0),
          stop,
        };
      }
      const log = await logTail(logFile);
      if (pid) await stopDaemon(pid);
      pid = 0;
      if (attempt < 5 && /Address already in use|bind\(\) failed/i.test(log)) continue;
      throw new Error(`pgbouncer did not start (${bin}):\n${log}`);
    }
  } catch (err) {
    await stop();
    throw new Error(`lab pooler ${spec.name}: ${err instanceof Error ? err.message : String(err)}`);
  }
}
