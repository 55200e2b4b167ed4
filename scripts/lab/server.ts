import { type ChildProcess, execFile, spawn } from "node:child_process";
import { closeSync, openSync } from "node:fs";
import { chmod, chown, copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { promisify } from "node:util";
import type pg from "pg";
import { type Binaries, resolveBinaries, selectBackend } from "./backends.js";
import { processGone, removeDir, stopPostmaster, track, untrack } from "./cleanup.js";
import { type RunAs, serverIdentity } from "./osuser.js";
import { ensureTemplate, LAB_SUPERUSER } from "./template.js";
import type { Backend, LabServer, ServerSpec } from "./types.js";

const run = promisify(execFile);

/** Settings a server older than the given major rejects at start-up; dropped there rather than failing. */
const SETTING_MIN_MAJOR: Record<string, number> = { reserved_connections: 16 };

/** Ports handed out by this process and not yet confirmed bound, so parallel starts never collide. */
const pendingPorts = new Set<number>();

export async function freePort(): Promise<number> {
  for (let i = 0; i < 20; i++) {
    const port = await new Promise<number>((resolve, reject) => {
      const srv = net.createServer();
      srv.unref();
      srv.on("error", reject);
      srv.listen(0, "127.0.0.1", () => {
        const addr = srv.address();
        srv.close(() => resolve(typeof addr === "object" && addr ? addr.port : 0));
      });
    });
    if (port && !pendingPorts.has(port)) {
      pendingPorts.add(port);
      return port;
    }
  }
  throw new Error("could not find a free port on 127.0.0.1");
}

/** A port from freePort that is now bound (or given up): no longer reserved against parallel starts. */
export function releasePort(port: number): void {
  pendingPorts.delete(port);
}

function confValue(v: string): string {
  return `'${v.replace(/\\/g, "\\\\").replace(/'/g, "''")}'`;
}

export function sqlIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export function sqlLiteral(v: string): string {
  return `'${v.replace(/'/g, "''")}'`;
}

async function own(p: string, runAs: RunAs | undefined, mode: number): Promise<void> {
  if (runAs) await chown(p, runAs.uid, runAs.gid);
  await chmod(p, mode);
}

/**
 * The server settings of a lab server, whatever the backend (postgresql.conf lines, or -c options in a container):
 * the lab's defaults, the files, the scenario's own settings; those the major cannot take are left out.
 */
export function labSettings(
  spec: ServerSpec,
  major: number,
  socketDir: string,
  files: Record<string, string>,
): Record<string, string> {
  const settings: Record<string, string> = {
    listen_addresses: "127.0.0.1",
    unix_socket_directories: socketDir,
    // Twenty servers on a 2-core, 24 GiB machine: keep each one small and durable-for-nothing.
    shared_buffers: "16MB",
    max_connections: "20",
    fsync: "off",
    synchronous_commit: "off",
    full_page_writes: "off",
    autovacuum: "off",
    max_wal_size: "32MB",
    min_wal_size: "2MB",
    // Clients match on libpq's and the server's English texts.
    lc_messages: "C",
    password_encryption: "scram-sha-256",
    log_connections: "on",
    ssl: spec.ssl ? "on" : "off",
    ...files,
    ...spec.settings,
  };
  for (const k of Object.keys(settings)) {
    const min = SETTING_MIN_MAJOR[k];
    if (min !== undefined && major < min) delete settings[k];
  }
  return settings;
}

function serverConf(spec: ServerSpec, major: number, socketDir: string, files: Record<string, string>): string {
  const lines = ["", "# --- dbdoctor lab ---"];
  for (const [k, v] of Object.entries(labSettings(spec, major, socketDir, files))) lines.push(`${k} = ${confValue(v)}`);
  return `${lines.join("\n")}\n`;
}

export function hbaConf(spec: ServerSpec): string {
  return [
    "# The lab's own door for setting up users: its superuser, over the unix socket only.",
    `local all ${LAB_SUPERUSER} trust`,
    ...spec.hba,
    "",
  ].join("\n");
}

export async function logTail(logFile: string, lines = 15): Promise<string> {
  try {
    return (await readFile(logFile, "utf8")).trim().split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
}

/** postmaster.pid's 8th line turns "ready" once the server accepts connections (PostgreSQL 10+). */
async function waitReady(dataDir: string, child: ChildProcess, deadline: number): Promise<"ready" | "exited"> {
  let exited = false;
  child.once("exit", () => {
    exited = true;
  });
  while (Date.now() < deadline) {
    if (exited || child.exitCode !== null) return "exited";
    try {
      const lines = (await readFile(path.join(dataDir, "postmaster.pid"), "utf8")).split("\n");
      if (lines[7]?.trim() === "ready") return "ready";
    } catch {
      // not written yet
    }
    await sleep(10);
  }
  throw new Error("timed out");
}

interface Started {
  child: ChildProcess;
  port: number;
}

async function spawnPostgres(
  bins: Binaries,
  runAs: RunAs | undefined,
  root: string,
  dataDir: string,
  logFile: string,
  name: string,
): Promise<Started> {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const fd = openSync(logFile, "a", 0o644);
    let child: ChildProcess;
    try {
      child = spawn(bins.postgres, ["-D", dataDir, "-p", String(port)], {
        cwd: root,
        uid: runAs?.uid,
        gid: runAs?.gid,
        // Its own process group: a terminal's Ctrl-C reaches us, and we stop the servers in order.
        detached: true,
        stdio: ["ignore", fd, fd],
        env: { PATH: process.env.PATH ?? "/usr/bin:/bin", LANG: "C", LC_ALL: "C", TZ: "UTC" },
      });
    } finally {
      closeSync(fd);
    }
    child.unref();
    child.on("error", () => {
      // surfaced through waitReady's exit check and the log
    });
    let outcome: "ready" | "exited";
    try {
      outcome = await waitReady(dataDir, child, Date.now() + 30_000);
    } catch {
      if (child.pid) await stopPostmaster(child.pid, 1000);
      pendingPorts.delete(port);
      throw new Error(`server ${name} did not become ready within 30 s:\n${await logTail(logFile)}`);
    }
    pendingPorts.delete(port);
    if (outcome === "ready" && child.pid) return { child, port };
    const log = await logTail(logFile);
    // Another program took the port between our probe and the bind: try another one.
    if (attempt < 5 && /could not (bind|create listen socket)|Address already in use/i.test(log)) continue;
    throw new Error(`server ${name} failed to start (${bins.postgres}):\n${log}`);
  }
}

async function copyInto(src: string, dest: string, runAs: RunAs | undefined, mode: number): Promise<void> {
  await copyFile(src, dest);
  await own(dest, runAs, mode);
}

/** Creates the scenario's users and databases as the lab's superuser, then opens the held sessions it asks for. */
export async function bootstrap(spec: ServerSpec, socketDir: string, port: number): Promise<pg.Client[]> {
  const { default: pgmod } = await import("pg");
  const client = new pgmod.Client({ host: socketDir, port, user: LAB_SUPERUSER, database: "postgres" });
  client.on("error", () => {});
  await client.connect();
  try {
    // A scenario may make every session read-only (default_transaction_read_only); the lab's own setup is not.
    await client.query("SET default_transaction_read_only = off");
    for (const u of spec.users) {
      const pw = u.password !== undefined && u.method !== "cert" && u.method !== "trust";
      const enc = u.method === "md5" ? "md5" : "scram-sha-256";
      await client.query(`SET password_encryption = ${sqlLiteral(enc)}`);
      await client.query(
        `CREATE ROLE ${sqlIdent(u.name)} LOGIN${pw && u.password !== undefined ? ` PASSWORD ${sqlLiteral(u.password)}` : ""}`,
      );
    }
    for (const db of spec.databases ?? []) await client.query(`CREATE DATABASE ${sqlIdent(db)}`);
  } finally {
    await client.end();
  }
  const holders: pg.Client[] = [];
  for (let i = 0; i < (spec.holdConnections ?? 0); i++) {
    const h = new pgmod.Client({ host: socketDir, port, user: LAB_SUPERUSER, database: "postgres" });
    h.on("error", () => {});
    await h.connect();
    holders.push(h);
  }
  return holders;
}

export async function endQuietly(clients: pg.Client[]): Promise<void> {
  await Promise.all(clients.map((c) => Promise.race([c.end().catch(() => {}), sleep(1000)])));
}

export async function startServer(spec: ServerSpec, opts: { backend?: Backend } = {}): Promise<LabServer> {
  const backend = selectBackend(opts.backend);
  if (backend === "docker") {
    const { startDockerServer } = await import("./docker.js");
    return startDockerServer(spec);
  }
  const t0 = performance.now();
  const bins = await resolveBinaries(backend);
  const runAs = await serverIdentity();
  const template = await ensureTemplate(bins, runAs);

  const safeName = spec.name.replace(/[^A-Za-z0-9_-]/g, "_");
  const root = await mkdtemp(path.join(os.tmpdir(), `dbdoctor-lab-${safeName}-`));
  // The server's account must traverse into its own directories under root.
  await chmod(root, 0o755);
  const dataDir = path.join(root, "data");
  const socketDir = path.join(root, "sock");
  const logFile = path.join(root, "server.log");
  let pid = 0;
  let holders: pg.Client[] = [];
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      await endQuietly(holders);
      if (pid) await stopPostmaster(pid);
      await removeDir(root);
      untrack(root);
    })();
    return stopping;
  };
  // Tracked from the first file on, so an interrupt during start-up still removes everything.
  track({ pid: 0, root, stop });
  try {
    await run("cp", ["-a", template, dataDir]);
    await mkdir(socketDir, { mode: 0o755 });
    await own(socketDir, runAs, 0o755);
    await writeFile(logFile, "");
    await own(logFile, runAs, 0o644);

    const files: Record<string, string> = {};
    if (spec.serverCert) {
      await copyInto(spec.serverCert, path.join(dataDir, "server.crt"), runAs, 0o644);
      files.ssl_cert_file = "server.crt";
    }
    if (spec.serverKey) {
      // 0600 and owned by the server's account, or PostgreSQL refuses the key.
      await copyInto(spec.serverKey, path.join(dataDir, "server.key"), runAs, 0o600);
      files.ssl_key_file = "server.key";
    }
    if (spec.caFile) {
      await copyInto(spec.caFile, path.join(dataDir, "ca.crt"), runAs, 0o644);
      files.ssl_ca_file = "ca.crt";
    }
    if (spec.crlFile) {
      await copyInto(spec.crlFile, path.join(dataDir, "root.crl"), runAs, 0o644);
      files.ssl_crl_file = "root.crl";
    }
    const confPath = path.join(dataDir, "postgresql.conf");
    await writeFile(confPath, serverConf(spec, bins.major, socketDir, files), { flag: "a" });
    await writeFile(path.join(dataDir, "pg_hba.conf"), hbaConf(spec));
    await own(path.join(dataDir, "pg_hba.conf"), runAs, 0o600);

    const { port, child } = await spawnPostgres(bins, runAs, root, dataDir, logFile, spec.name);
    pid = child.pid ?? 0;
    track({ pid, root, stop });
    holders = await bootstrap(spec, socketDir, port);
    return {
      name: spec.name,
      host: "127.0.0.1",
      port,
      major: bins.major,
      backend,
      spec,
      dataDir,
      pid,
      socketDir,
      logFile,
      startupMs: Math.round(performance.now() - t0),
      stop,
    };
  } catch (err) {
    const tail = pid ? `\n${await logTail(logFile)}` : "";
    await stop();
    const msg = err instanceof Error ? err.message : String(err);
    throw new Error(`lab server ${spec.name}: ${msg}${tail && !msg.includes(tail.trim()) ? tail : ""}`);
  }
}

/** For `lab down`: a server started by another process, known only by its pid and directory. */
export async function stopDetached(pid: number, root: string): Promise<void> {
  if (pid && !processGone(pid) && (await belongsTo(pid, root))) await stopPostmaster(pid);
  // Only ever a directory the lab made (a state file from elsewhere must not delete anything else).
  if (path.basename(root).startsWith("dbdoctor-lab-")) {
    await rm(root, { recursive: true, force: true });
  }
}

/** Guards against pid reuse: the process must be a postgres whose command line names our data dir. */
async function belongsTo(pid: number, root: string): Promise<boolean> {
  try {
    const cmd = (await readFile(`/proc/${pid}/cmdline`, "utf8")).split("\0").join(" ");
    return cmd.includes(root);
  } catch {
    return false;
  }
}
