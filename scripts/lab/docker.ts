// The testcontainers backend: the same ServerSpec as the embedded backend, in a container.
//
// The engine is DOCKER_HOST's, the system's, or one the lab starts itself in tests and CI (engine.ts); the image is
// the lab's own or the official one (image.ts). Every container uses the host's network (no bridge, no port
// mapping, no private-range address): the server listens on 127.0.0.1 only, on a free port, as the other backends'
// servers do. Its unix socket is in a host directory mounted into the container, so the lab's superuser door (a
// `local` trust line, as on the other backends) creates the users and holds sessions exactly as there. The
// certificates and pg_hba.conf are copied in; a root prep step hands them to the postgres account (the key 0600),
// and the image's entrypoint runs the server as that unprivileged account.
import { createWriteStream, existsSync } from "node:fs";
import { chmod, mkdir, mkdtemp, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import type pg from "pg";
import type { GenericContainer, StartedTestContainer, WaitStrategy } from "testcontainers";
import { removeDir, track, untrack } from "./cleanup.js";
import { type LabImage, labImage } from "./image.js";
import { bootstrap, endQuietly, freePort, hbaConf, labSettings, logTail, releasePort } from "./server.js";
import { LAB_SUPERUSER } from "./template.js";
import type { LabServer, ServerSpec } from "./types.js";

/** Runs as root in the container, then hands over to the image's entrypoint (the official image's contract). */
const PREP = [
  "set -e",
  "mkdir -p /lab /var/run/postgresql",
  "cp /lab-in/* /lab/",
  "chown -R postgres:postgres /lab /var/run/postgresql",
  "chmod 0700 /lab",
  'exec docker-entrypoint.sh postgres "$@"',
].join("\n");

type DockerodeContainer = Parameters<WaitStrategy["waitUntilReady"]>[0];
type FileToCopy = Parameters<GenericContainer["withCopyFilesToContainer"]>[0][number];

async function answers(socketDir: string, port: number): Promise<boolean> {
  const { default: pgmod } = await import("pg");
  const c = new pgmod.Client({
    host: socketDir,
    port,
    user: LAB_SUPERUSER,
    database: "postgres",
    connectionTimeoutMillis: 3000,
  });
  c.on("error", () => {});
  try {
    await c.connect();
    await c.query("select 1");
    return true;
  } catch {
    // not listening yet, or "the database system is starting up"
    return false;
  } finally {
    await c.end().catch(() => {});
  }
}

/**
 * Ready when the server answers `select 1` to the lab's superuser on its own port's socket. The official image's
 * init phase runs a temporary server on port 5432's socket, never ours, so only the final server counts.
 */
class PostgresReady implements WaitStrategy {
  private timeoutMs = 180_000;
  private timeoutSet = false;

  constructor(
    private readonly socketDir: string,
    private readonly port: number,
    private readonly logFile: string,
  ) {}

  withStartupTimeout(ms: number): this {
    this.timeoutMs = ms;
    this.timeoutSet = true;
    return this;
  }

  isStartupTimeoutSet(): boolean {
    return this.timeoutSet;
  }

  getStartupTimeout(): number {
    return this.timeoutMs;
  }

  async waitUntilReady(container: DockerodeContainer): Promise<void> {
    const deadline = Date.now() + this.timeoutMs;
    for (;;) {
      if (
        existsSync(path.join(this.socketDir, `.s.PGSQL.${this.port}`)) &&
        (await answers(this.socketDir, this.port))
      ) {
        return;
      }
      const state = (await container.inspect()).State;
      if (!state.Running) {
        await sleep(200); // the log consumer's last lines
        throw new Error(`the container exited with ${state.ExitCode}:\n${await logTail(this.logFile)}`);
      }
      if (Date.now() > deadline) {
        throw new Error(`not ready within ${this.timeoutMs / 1000} s:\n${await logTail(this.logFile)}`);
      }
      await sleep(50);
    }
  }
}

function filesOf(spec: ServerSpec): { copy: FileToCopy[]; settings: Record<string, string> } {
  const copy: FileToCopy[] = [];
  const settings: Record<string, string> = { hba_file: "/lab/pg_hba.conf" };
  const add = (src: string | undefined, name: string, setting: string, mode: number) => {
    if (!src) return;
    copy.push({ source: src, target: `/lab-in/${name}`, mode });
    settings[setting] = `/lab/${name}`;
  };
  add(spec.serverCert, "server.crt", "ssl_cert_file", 0o644);
  // 0600 from the start: readable by root only until the prep step gives it to postgres.
  add(spec.serverKey, "server.key", "ssl_key_file", 0o600);
  add(spec.caFile, "ca.crt", "ssl_ca_file", 0o644);
  add(spec.crlFile, "root.crl", "ssl_crl_file", 0o644);
  return { copy, settings };
}

async function startContainer(
  spec: ServerSpec,
  image: LabImage,
  dirs: { socketDir: string; dataDir: string; logFile: string },
): Promise<{ container: StartedTestContainer; port: number }> {
  const { GenericContainer } = await import("testcontainers");
  /** SIGINT stops the container: PostgreSQL's fast shutdown, the official image's STOPSIGNAL (SIGTERM would wait
   * for every client to leave). Set per container, since an imported image cannot carry it on dockerd 20.10. */
  class LabContainer extends GenericContainer {
    constructor(ref: string) {
      super(ref);
      this.createOpts.StopSignal = "SIGINT";
    }
  }
  const { copy, settings: fileSettings } = filesOf(spec);
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    // The official image's init phase talks to its temporary server on /var/run/postgresql: keep that socket too.
    const settings = labSettings(spec, image.major, `${dirs.socketDir},/var/run/postgresql`, fileSettings);
    settings.port = String(port);
    const args = Object.entries(settings).flatMap(([k, v]) => ["-c", `${k}=${v}`]);
    await writeFile(dirs.logFile, "");
    try {
      const container = await new LabContainer(image.ref)
        .withNetworkMode("host")
        .withEnvironment({
          PGDATA: dirs.dataDir,
          // The official image refuses to initialise without a password otherwise; pg_hba.conf is ours anyway.
          POSTGRES_HOST_AUTH_METHOD: "trust",
          // As the lab's own template (template.ts): 1 MB WAL segments, which the lab's min_wal_size assumes.
          POSTGRES_INITDB_ARGS: "--locale=C --encoding=UTF8 --no-sync --wal-segsize=1 --auth=trust",
          LANG: "C",
          TZ: "UTC",
        })
        .withBindMounts([{ source: dirs.socketDir, target: dirs.socketDir, mode: "rw" }])
        .withCopyFilesToContainer(copy)
        .withCopyContentToContainer([{ content: hbaConf(spec), target: "/lab-in/pg_hba.conf", mode: 0o644 }])
        .withEntrypoint(["sh", "-c", PREP, "lab-prep"])
        .withCommand(args)
        .withLabels({ "org.dbdoctor.lab.scenario": spec.name })
        .withLogConsumer((stream) => {
          stream.pipe(createWriteStream(dirs.logFile, { flags: "a" }));
        })
        .withWaitStrategy(new PostgresReady(dirs.socketDir, port, dirs.logFile))
        .withStartupTimeout(180_000)
        .start();
      releasePort(port);
      return { container, port };
    } catch (err) {
      releasePort(port);
      // Another program took the port between our probe and the bind: try another one.
      const log = await logTail(dirs.logFile);
      if (attempt < 5 && /could not bind|could not create listen socket|Address already in use/i.test(log)) continue;
      throw err;
    }
  }
}

export async function startDockerServer(spec: ServerSpec): Promise<LabServer> {
  const t0 = performance.now();
  const image = await labImage();
  // No reaper container (its image would have to be pulled): the lab stops its own containers, also on signals.
  process.env.TESTCONTAINERS_RYUK_DISABLED ??= "true";
  const safeName = spec.name.replace(/[^A-Za-z0-9_-]/g, "_");
  const root = await mkdtemp(path.join(os.tmpdir(), `dbdoctor-lab-${safeName}-`));
  await chmod(root, 0o755);
  const socketDir = path.join(root, "sock");
  // The data directory is the container's own (removed with it); its path names root, so that `lab down` and
  // the process checks find the server by it, as for the other backends.
  const dataDir = path.join(root, "data");
  const logFile = path.join(root, "server.log");
  let container: StartedTestContainer | undefined;
  let holders: pg.Client[] = [];
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      await endQuietly(holders);
      // STOPSIGNAL (SIGINT, a fast shutdown), then SIGKILL after 10 s; the container is removed.
      if (container) await container.stop({ timeout: 10_000 }).catch(() => {});
      await removeDir(root);
      untrack(root);
    })();
    return stopping;
  };
  track({ pid: 0, root, stop });
  try {
    await mkdir(socketDir);
    // The container's postgres account (uid 999, or 70 on Alpine) creates its socket here.
    await chmod(socketDir, 0o1777);
    const started = await startContainer(spec, image, { socketDir, dataDir, logFile });
    container = started.container;
    const { getContainerRuntimeClient } = await import("testcontainers");
    const client = await getContainerRuntimeClient();
    const info = await client.container.inspect(client.container.getById(container.getId()));
    // The container's first process is the postmaster (the prep step and the entrypoint exec into it).
    const pid = info.State.Pid;
    track({ pid, root, stop });
    holders = await bootstrap(spec, socketDir, started.port);
    return {
      name: spec.name,
      host: "127.0.0.1",
      port: started.port,
      major: image.major,
      backend: "docker",
      spec,
      dataDir,
      pid,
      socketDir,
      logFile,
      containerId: container.getId(),
      startupMs: Math.round(performance.now() - t0),
      stop,
    };
  } catch (err) {
    await stop();
    throw new Error(
      `lab server ${spec.name} (docker, ${image.ref}): ${err instanceof Error ? err.message : String(err)}`,
    );
  }
}
