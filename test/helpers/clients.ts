// Real clients as oracles: one connection attempt through psql (the distribution's libpq), psycopg[binary] and
// psycopg2-binary (the wheels' bundled libpq and OpenSSL), with exactly the given libpq settings, password, HOME
// and extra environment, and nothing else from ours. Each attempt is a fresh process.
import { type ChildProcessWithoutNullStreams, execFile, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, realpathSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import type { OracleClient } from "../../scripts/lab/index.js";

const run = promisify(execFile);
const HERE = path.dirname(fileURLToPath(import.meta.url));
const PYCLIENT = path.join(HERE, "oracle", "pyclient.py");
const REQUIREMENTS = path.join(HERE, "oracle", "requirements.txt");
const PSQL = process.env.LAB_PSQL || "psql";
/**
 * The psql binary itself, once psqlInfo() found it: Debian's `psql` is pg_wrapper, a Perl script that execs
 * /usr/lib/postgresql/N/bin/psql; calling that directly is the same client without a Perl start per attempt.
 */
let psqlBinary: string | undefined;
let psqlLibpq: Promise<number> | undefined;

export interface Attempt {
  /** Every libpq keyword of the attempt, host/port/dbname/user included. */
  settings: Record<string, string>;
  password?: string;
  /** Added to the client's otherwise empty environment (SSL_CERT_FILE, SSL_CERT_DIR, ...). */
  env?: Record<string, string>;
  /** Bind-mounted over /etc/ssl/certs in a private mount namespace for this attempt only. */
  systemStore?: string;
  /** HOME for the attempt; a fresh empty directory (removed afterwards) when absent. */
  home?: string;
  timeoutS?: number;
}

export interface AttemptResult {
  client: OracleClient;
  /** PQlibVersion() of the libpq that made the attempt. */
  libpq: number;
  ok: boolean;
  /** The client's error text (trimmed), "" when ok. */
  error: string;
  /** Whether the session is encrypted, as the client reports it; null when it failed. */
  sslInUse: boolean | null;
  protocol: string | null;
  /** The HOME the attempt ran with (error texts may name it). */
  home: string;
  ms: number;
}

export interface ClientInfo {
  client: OracleClient;
  /** PQlibVersion(), e.g. 150018. */
  libpq: number;
  /** OpenSSL_version(OPENSSL_VERSION) of the library the client's libpq uses. */
  openssl: string;
  /** OpenSSL_version(OPENSSL_DIR): where it looks for its default trust store. */
  openssldir: string;
  /** psql's version line, or the driver's name and version. */
  version: string;
}

export type Availability = { ok: true; info: ClientInfo } | { ok: false; client: OracleClient; reason: string };

/** The venv `test/helpers/oracle/venv.sh` makes: same key (the requirements' hash), same place. */
export function oracleVenv(): string {
  if (process.env.DBDOCTOR_ORACLE_VENV) return process.env.DBDOCTOR_ORACLE_VENV;
  const key = createHash("sha256").update(readFileSync(REQUIREMENTS)).digest("hex").slice(0, 12);
  const cache = process.env.XDG_CACHE_HOME || path.join(os.homedir(), ".cache");
  return path.join(cache, "dbdoctor", `oracle-venv-${key}`);
}

function venvPython(): string | undefined {
  const dir = oracleVenv();
  return existsSync(path.join(dir, ".complete")) ? path.join(dir, "bin", "python") : undefined;
}

/** The python that runs ctypes probes of the system's libraries (no driver needed). */
function systemPython(): string {
  return venvPython() ?? (existsSync("/usr/bin/python3") ? "/usr/bin/python3" : "python3");
}

export function cleanEnv(home: string, timeoutS: number, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: home,
    // No pg_service.conf of ours either.
    PGSYSCONFDIR: home,
    LANG: "C",
    LC_ALL: "C",
    PGCONNECT_TIMEOUT: String(timeoutS),
    ...extra,
  };
}

interface Spawned {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command with stdin, optionally inside a private mount namespace with `store` over /etc/ssl/certs. */
export function spawnWith(
  cmd: string,
  args: string[],
  opts: { env: NodeJS.ProcessEnv; cwd: string; stdin?: string; timeoutMs: number; systemStore?: string },
): Promise<Spawned> {
  let file = cmd;
  let argv = args;
  if (opts.systemStore) {
    // unshare(1) makes the new namespace's mounts private, so the bind mount never reaches the machine's view.
    // As root a plain mount namespace; otherwise a user namespace that maps us to root inside it.
    const userns = process.getuid?.() === 0 ? [] : ["-r"];
    file = "unshare";
    argv = [
      ...userns,
      "-m",
      "--",
      "sh",
      "-c",
      'mount --bind "$1" /etc/ssl/certs && shift && exec "$@"',
      "sh",
      opts.systemStore,
      cmd,
      ...args,
    ];
  }
  return new Promise((resolve) => {
    const child = spawn(file, argv, { env: opts.env, cwd: opts.cwd, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    const timer = setTimeout(() => child.kill("SIGKILL"), opts.timeoutMs);
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    child.on("error", (err) => {
      stderr += err.message;
    });
    child.on("close", (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
    child.stdin.end(opts.stdin ?? "");
  });
}

/** A keyword/value connection string, values quoted the way libpq's conninfo_parse reads them. */
export function keywordValue(settings: Record<string, string>): string {
  const quote = (v: string) =>
    v === "" || /[\s'\\]/.test(v) ? `'${v.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'` : v;
  return Object.entries(settings)
    .map(([k, v]) => `${k}=${quote(v)}`)
    .join(" ");
}

/** psql's \conninfo: "SSL connection (protocol: TLSv1.3, ..." up to 17, an "SSL Protocol|TLSv1.3" row from 18. */
function psqlTls(stdout: string): { sslInUse: boolean; protocol: string | null } {
  const classic = /SSL connection \(protocol: ([^,)]+)/.exec(stdout);
  if (classic?.[1]) return { sslInUse: true, protocol: classic[1] };
  const row = /^SSL Protocol\|(\S+)/m.exec(stdout);
  if (row?.[1]) return { sslInUse: true, protocol: row[1] };
  return { sslInUse: false, protocol: null };
}

async function runPsql(a: Attempt, home: string, timeoutS: number): Promise<Omit<AttemptResult, "ms" | "home">> {
  // Finds the psql binary behind Debian's wrapper and its libpq, once.
  psqlLibpq ??= psqlInfo().then((i) => i.libpq);
  const libpq = await psqlLibpq;
  const env = cleanEnv(home, timeoutS, a.env);
  // psql takes the password from the environment only, never from argv.
  if (a.password !== undefined) env.PGPASSWORD = a.password;
  const args = ["-X", "-w", "-A", "-t", "-c", "select 1", "-c", "\\conninfo", "-d", keywordValue(a.settings)];
  const r = await spawnWith(psqlBinary ?? PSQL, args, {
    env,
    cwd: home,
    timeoutMs: (timeoutS + 10) * 1000,
    ...(a.systemStore ? { systemStore: a.systemStore } : {}),
  });
  const ok = r.status === 0 && r.stdout.split("\n")[0]?.trim() === "1";
  const tls = ok ? psqlTls(r.stdout) : { sslInUse: null, protocol: null };
  return { client: "psql", libpq, ok, error: ok ? "" : r.stderr.trim(), ...tls };
}

interface PyAttempt {
  libpq: number;
  ok: boolean;
  error: string | null;
  sslInUse: boolean | null;
  ssl: { protocol: string; cipher: string } | null;
}

type Driver = "psycopg" | "psycopg2";

/**
 * A long-lived `pyclient.py --serve DRIVER` process: it imports the driver once and forks per attempt (see
 * serve() there), which saves the ~0.4 s of CPU an import of psycopg costs on every attempt.
 */
class PyWorker {
  private readonly child: ChildProcessWithoutNullStreams;
  private buffer = "";
  private pending: { resolve: (line: string) => void; reject: (err: Error) => void } | undefined;
  private stderr = "";
  dead = false;

  constructor(python: string, driver: Driver) {
    // Its own process group, so a stuck attempt (the worker and its fork) can be killed as one.
    this.child = spawn(python, ["-I", PYCLIENT, "--serve", driver], {
      env: { PATH: process.env.PATH ?? "/usr/bin:/bin", LANG: "C", LC_ALL: "C" },
      cwd: os.tmpdir(),
      stdio: ["pipe", "pipe", "pipe"],
      detached: true,
    });
    this.child.stdout.on("data", (d: Buffer) => {
      this.buffer += d.toString();
      const nl = this.buffer.indexOf("\n");
      if (nl >= 0 && this.pending) {
        const line = this.buffer.slice(0, nl);
        this.buffer = this.buffer.slice(nl + 1);
        const p = this.pending;
        this.pending = undefined;
        p.resolve(line);
      }
    });
    this.child.stderr.on("data", (d: Buffer) => {
      this.stderr = (this.stderr + d.toString()).slice(-2000);
    });
    this.child.on("close", () => {
      this.dead = true;
      this.pending?.reject(new Error(`pyclient.py --serve ${driver} exited: ${this.stderr.trim()}`));
      this.pending = undefined;
    });
    this.child.on("error", () => {
      this.dead = true;
    });
    this.child.unref();
    for (const s of [this.child.stdout, this.child.stderr, this.child.stdin])
      (s as unknown as { unref?: () => void }).unref?.();
  }

  run(request: object, timeoutMs: number): Promise<string> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.kill();
        reject(new Error(`pyclient.py did not answer within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending = {
        resolve: (line) => {
          clearTimeout(timer);
          resolve(line);
        },
        reject: (err) => {
          clearTimeout(timer);
          reject(err);
        },
      };
      this.child.stdin.write(`${JSON.stringify(request)}\n`);
    });
  }

  kill(): void {
    this.dead = true;
    try {
      if (this.child.pid) process.kill(-this.child.pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
}

const idle = new Map<Driver, PyWorker[]>();
const live = new Set<PyWorker>();

function takeWorker(python: string, driver: Driver): PyWorker {
  const list = idle.get(driver) ?? [];
  idle.set(driver, list);
  for (let w = list.pop(); w; w = list.pop()) if (!w.dead) return w;
  const w = new PyWorker(python, driver);
  live.add(w);
  return w;
}

function giveBack(driver: Driver, w: PyWorker): void {
  if (!w.dead) idle.get(driver)?.push(w);
  else live.delete(w);
}

/** Stops every Python worker this process started (call when done; also done at exit). */
export function stopClientWorkers(): void {
  for (const w of live) w.kill();
  live.clear();
  idle.clear();
}
process.once("exit", stopClientWorkers);

async function runPython(
  client: "psycopg-binary" | "psycopg2-binary",
  a: Attempt,
  home: string,
  timeoutS: number,
): Promise<Omit<AttemptResult, "ms" | "home">> {
  const python = venvPython();
  if (!python) throw new Error(`no oracle venv at ${oracleVenv()} (run test/helpers/oracle/venv.sh)`);
  const driver: Driver = client === "psycopg-binary" ? "psycopg" : "psycopg2";
  const env = cleanEnv(home, timeoutS, a.env);
  // The password goes in the JSON on stdin, and from there into the connection string, as an application's URL.
  const request = { driver, params: a.settings, password: a.password ?? null };
  let answer: string;
  if (a.systemStore) {
    // A private mount namespace needs a process of its own: a fresh interpreter under unshare.
    const r = await spawnWith(python, ["-I", PYCLIENT], {
      env,
      cwd: home,
      stdin: JSON.stringify(request),
      timeoutMs: (timeoutS + 20) * 1000,
      systemStore: a.systemStore,
    });
    answer = r.stdout.trim() || `{"crash": ${JSON.stringify(`status ${r.status}: ${r.stderr.trim().slice(-500)}`)}}`;
  } else {
    const w = takeWorker(python, driver);
    try {
      answer = await w.run({ ...request, env, cwd: home }, (timeoutS + 20) * 1000);
    } finally {
      giveBack(driver, w);
    }
  }
  const out = JSON.parse(answer) as PyAttempt & { crash?: string };
  if (out.crash !== undefined) throw new Error(`${client}: pyclient.py failed: ${out.crash}`);
  return {
    client,
    libpq: out.libpq,
    ok: out.ok,
    error: out.ok ? "" : (out.error ?? "").trim(),
    sslInUse: out.ok ? out.sslInUse : null,
    protocol: out.ssl?.protocol ?? null,
  };
}

/** One connection attempt through one client; the attempt runs `select 1` and asks the client about TLS. */
export async function runAttempt(client: OracleClient, a: Attempt): Promise<AttemptResult> {
  const timeoutS = a.timeoutS ?? 5;
  const home = a.home ?? (await mkdtemp(path.join(os.tmpdir(), "dbdoctor-client-home-")));
  const t0 = performance.now();
  try {
    const r = client === "psql" ? await runPsql(a, home, timeoutS) : await runPython(client, a, home, timeoutS);
    return { ...r, home, ms: Math.round(performance.now() - t0) };
  } finally {
    if (a.home === undefined) await rm(home, { recursive: true, force: true });
  }
}

async function probe(python: string, req: object): Promise<Record<string, unknown>> {
  const r = await spawnWith(python, ["-I", PYCLIENT], {
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", LANG: "C" },
    cwd: os.tmpdir(),
    stdin: JSON.stringify(req),
    timeoutMs: 30_000,
  });
  if (r.status !== 0) throw new Error(`probe ${JSON.stringify(req)} failed: ${r.stderr.trim()}`);
  return JSON.parse(r.stdout) as Record<string, unknown>;
}

/** The libraries a binary links, as the dynamic loader resolves them (ldd). */
export async function linkedLibraries(binary: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  try {
    const { stdout } = await run("ldd", [binary]);
    for (const m of stdout.matchAll(/^\s*(\S+) => (\/\S+)/gm)) if (m[1] && m[2]) out.set(m[1], m[2]);
  } catch {
    // not a dynamic executable (a wrapper script): no libraries
  }
  return out;
}

function find(libs: Map<string, string>, prefix: string): string | undefined {
  for (const [name, p] of libs) if (name.startsWith(prefix)) return p;
  return undefined;
}

/** OpenSSL_version() of a libcrypto, through ctypes. */
export async function opensslOf(libcrypto: string): Promise<{ openssl: string; openssldir: string }> {
  const r = await probe(systemPython(), { probe: "openssl", lib: libcrypto });
  return { openssl: String(r.openssl), openssldir: String(r.openssldir) };
}

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    if (dir && existsSync(path.join(dir, name))) return path.join(dir, name);
  }
  return undefined;
}

async function psqlInfo(): Promise<ClientInfo> {
  let version: string;
  try {
    version = (await run(PSQL, ["--version"])).stdout.trim();
  } catch (err) {
    throw new Error(`${PSQL} --version failed: ${err instanceof Error ? err.message : String(err)}`);
  }
  const major = /\(PostgreSQL\)\s+(\d+)/.exec(version)?.[1];
  // Debian's psql is pg_wrapper (a Perl script) in front of /usr/lib/postgresql/N/bin/psql.
  const candidates = [PSQL, ...(major ? [`/usr/lib/postgresql/${major}/bin/psql`] : [])];
  for (const c of candidates) {
    let binary: string;
    try {
      const found = c.includes("/") ? c : onPath(c);
      if (!found) continue;
      binary = realpathSync(found);
    } catch {
      continue;
    }
    const libs = await linkedLibraries(binary);
    const libpq = find(libs, "libpq.so");
    const crypto = find(libs, "libcrypto.so");
    if (!libpq || !crypto) continue;
    const v = await probe(systemPython(), { probe: "libpq", lib: libpq });
    psqlBinary = binary;
    return { client: "psql", libpq: Number(v.libpq), ...(await opensslOf(crypto)), version };
  }
  throw new Error(`cannot find the libpq and libcrypto ${PSQL} runs with (tried ${candidates.join(", ")})`);
}

async function pythonInfo(client: "psycopg-binary" | "psycopg2-binary"): Promise<ClientInfo> {
  const python = venvPython();
  if (!python) throw new Error(`no oracle venv at ${oracleVenv()} (run test/helpers/oracle/venv.sh)`);
  // A connection attempt to nowhere reports the driver's facts without needing a server.
  const home = await mkdtemp(path.join(os.tmpdir(), "dbdoctor-client-home-"));
  try {
    const driver = client === "psycopg-binary" ? "psycopg" : "psycopg2";
    const r = await spawnWith(python, ["-I", PYCLIENT], {
      env: cleanEnv(home, 1),
      cwd: home,
      stdin: JSON.stringify({ driver, params: { host: "/nonexistent", dbname: "x" } }),
      timeoutMs: 30_000,
    });
    const out = JSON.parse(r.stdout) as Record<string, unknown>;
    if (typeof out.openssl !== "string") throw new Error(`${client}: no bundled libcrypto found beside the driver`);
    return {
      client,
      libpq: Number(out.libpq),
      openssl: out.openssl,
      openssldir: String(out.openssldir),
      version: String(out.driver),
    };
  } finally {
    await rm(home, { recursive: true, force: true });
  }
}

/** Which clients can run here, with their measured libpq and OpenSSL, or why not. */
export async function oracleClients(): Promise<Availability[]> {
  const one = async (client: OracleClient): Promise<Availability> => {
    try {
      return { ok: true, info: client === "psql" ? await psqlInfo() : await pythonInfo(client) };
    } catch (err) {
      return { ok: false, client, reason: err instanceof Error ? err.message : String(err) };
    }
  };
  return Promise.all((["psql", "psycopg-binary", "psycopg2-binary"] as const).map(one));
}

/** "OpenSSL 3.0.19 27 Jan 2026" -> [3, 0]. */
export function opensslGeneration(text: string): [number, number] {
  const m = /OpenSSL (\d+)\.(\d+)/.exec(text);
  if (!m) throw new Error(`not an OpenSSL version: ${text}`);
  return [Number(m[1]), Number(m[2])];
}
