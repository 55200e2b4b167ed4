// A real pgpool-II (Debian's pgpool2, 4.3 on Debian 12) in front of a lab server (issue 15), in raw mode with one
// backend. Like PgBouncer it answers the SSLRequest and runs TLS itself (ssl = on in pgpool.conf) and keeps its own
// plaintext link to PostgreSQL; unlike PgBouncer it answers `SHOW pool_version`. It runs as the lab's unprivileged
// account when we are root, on 127.0.0.1 and a free port, with its sockets in its own directory, and is stopped
// with SIGINT (pgpool's fast shutdown), then SIGKILL to its process group.
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { closeSync, existsSync, openSync } from "node:fs";
import { copyFile, mkdir, mkdtemp, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { promisify } from "node:util";
import { processGone, removeDir, track, untrack } from "./cleanup.js";
import { serverIdentity } from "./osuser.js";
import { accepts, own, stopDaemon } from "./pgbouncer.js";
import { LAB_PASSWORD } from "./scenarios.js";
import { freePort, logTail, releasePort } from "./server.js";
import type { Availability, LabServer, PoolerSpec } from "./types.js";

const run = promisify(execFile);

export function pgpoolBinary(): string | undefined {
  if (process.env.PGPOOL) return existsSync(process.env.PGPOOL) ? process.env.PGPOOL : undefined;
  return ["/usr/sbin/pgpool", "/usr/bin/pgpool", "/usr/local/bin/pgpool"].find((c) => existsSync(c));
}

export async function pgpoolAvailable(): Promise<Availability> {
  const bin = pgpoolBinary();
  if (!bin) return { ok: false, reason: "no pgpool binary (apt-get install pgpool2; or set PGPOOL)" };
  try {
    await run(bin, ["--version"], { timeout: 10_000 });
    return { ok: true };
  } catch (err) {
    return { ok: false, reason: `${bin} --version failed: ${err instanceof Error ? err.message : String(err)}` };
  }
}

/** pgpool.conf: numbers bare, strings quoted as in postgresql.conf. */
function conf(settings: Record<string, string>): string {
  const value = (v: string) => (/^\d+$/.test(v) ? v : `'${v.replace(/\\/g, "\\\\").replace(/'/g, "''")}'`);
  return `${Object.entries(settings)
    .map(([k, v]) => `${k} = ${value(v)}`)
    .join("\n")}\n`;
}

export async function startPgpool(spec: PoolerSpec, upstream: LabServer): Promise<LabServer> {
  const t0 = performance.now();
  const bin = pgpoolBinary();
  if (!bin) throw new Error(`pooler ${spec.name}: no pgpool binary (apt-get install pgpool2; or set PGPOOL)`);
  const runAs = await serverIdentity();
  const root = await mkdtemp(path.join(os.tmpdir(), `dbdoctor-lab-${spec.name.replace(/[^A-Za-z0-9_-]/g, "_")}-`));
  // pgpool writes its pid file and pgpool_status here, as its own account.
  await own(root, runAs, 0o755);
  const sock = path.join(root, "sock");
  const logFile = path.join(root, "pgpool.log");
  let pid = 0;
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      if (pid) await stopDaemon(pid, "SIGINT");
      await removeDir(root);
      untrack(root);
    })();
    return stopping;
  };
  track({ pid: 0, root, stop });
  try {
    await mkdir(sock, { mode: 0o755 });
    await own(sock, runAs, 0o755);
    const files: Record<string, string> = {};
    for (const [setting, src] of Object.entries(spec.files ?? {})) {
      const dest = path.join(root, `${setting}${path.extname(src)}`);
      await copyFile(src, dest);
      await own(dest, runAs, setting.endsWith("key") ? 0o600 : 0o644);
      files[setting] = dest;
    }
    // pool_passwd: the users' passwords in the clear ("TEXT" prefix), which pgpool needs to speak SCRAM both ways.
    const passwd = path.join(root, "pool_passwd");
    await writeFile(
      passwd,
      upstream.spec.users
        .filter((u) => u.method !== "cert" && u.method !== "trust")
        .map((u) => `${u.name}:TEXT${u.password ?? LAB_PASSWORD}\n`)
        .join(""),
    );
    await own(passwd, runAs, 0o600);
    const hba = path.join(root, "pool_hba.conf");
    await writeFile(hba, "host all all 127.0.0.1/32 scram-sha-256\n");
    await own(hba, runAs, 0o644);
    const pcp = path.join(root, "pcp.conf");
    await writeFile(pcp, "");
    await own(pcp, runAs, 0o644);
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      const pcpPort = await freePort();
      const confPath = path.join(root, "pgpool.conf");
      await writeFile(
        confPath,
        conf({
          backend_clustering_mode: "raw",
          listen_addresses: "127.0.0.1",
          port: String(port),
          socket_dir: sock,
          pcp_listen_addresses: "",
          pcp_port: String(pcpPort),
          pcp_socket_dir: sock,
          wd_ipc_socket_dir: sock,
          backend_hostname0: "127.0.0.1",
          backend_port0: String(upstream.port),
          backend_weight0: "1",
          backend_flag0: "DISALLOW_TO_FAILOVER",
          enable_pool_hba: "on",
          pool_passwd: passwd,
          pid_file_name: path.join(root, "pgpool.pid"),
          logdir: root,
          // A handful of children, not the default 32: the lab runs many servers on two cores.
          num_init_children: "4",
          max_pool: "1",
          sr_check_period: "0",
          health_check_period: "0",
          use_watchdog: "off",
          failover_on_backend_error: "off",
          load_balance_mode: "off",
          ...files,
          ...spec.settings,
        }),
      );
      await own(confPath, runAs, 0o644);
      const fd = openSync(logFile, "a", 0o644);
      let child: ChildProcess;
      try {
        // -n: stay in the foreground (we own the process); -f/-F/-a: only our files.
        child = spawn(bin, ["-n", "-f", confPath, "-F", pcp, "-a", hba], {
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
      releasePort(pcpPort);
      if (ready)
        return {
          name: spec.name,
          host: "127.0.0.1",
          port,
          major: upstream.major,
          backend: upstream.backend,
          spec: upstream.spec,
          pooler: spec,
          dataDir: confPath,
          pid,
          socketDir: sock,
          logFile,
          startupMs: Math.round(performance.now() - t0),
          stop,
        };
      const log = await logTail(logFile);
      if (pid) await stopDaemon(pid, "SIGINT");
      pid = 0;
      if (attempt < 5 && /Address already in use|failed to bind/i.test(log)) continue;
      throw new Error(`pgpool did not start (${bin}):\n${log}`);
    }
  } catch (err) {
    await stop();
    throw new Error(`lab pooler ${spec.name}: ${err instanceof Error ? err.message : String(err)}`);
  }
}
