import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { processGone } from "../../scripts/lab/cleanup.js";
import { engineProcesses, mountsUnder } from "../../scripts/lab/engine.js";
import {
  backendAvailable,
  type DockerEngine,
  ensureDockerEngine,
  type Lab,
  type LabImage,
  type LabServer,
  labImage,
  psqlConnect,
  psqlMajor,
  SCENARIOS,
  START_DOCKERD_ENV,
  startLab,
  stopDockerEngine,
} from "../../scripts/lab/index.js";
import { processesUnder } from "../helpers/lab.js";

/** The non-default backends: the distribution's PostgreSQL on PATH, and testcontainers on a Docker engine. */

// A test may start its own Docker engine where none answers (root, Debian's dockerd); a user's run never does.
process.env[START_DOCKERD_ENV] ??= "1";

const system = await backendAvailable("system");
const docker = await backendAvailable("docker");
if (!system.ok) console.warn(`skipping the system backend tests: ${system.reason}`);
if (!docker.ok) console.warn(`skipping the docker backend tests: ${docker.reason}`);

afterAll(async () => {
  // Also when the docker tests were filtered out: availability may have started the engine.
  await stopDockerEngine();
});

describe("system backend (initdb/postgres on PATH)", () => {
  it.skipIf(!system.ok)("runs scenarios on the system PostgreSQL and skips what its major cannot host", async () => {
    const names = ["ssl-off", "good", "client-cert", "too-many-clients", "direct-ssl"];
    const lab = await startLab(names, { backend: "system" });
    try {
      const major = [...lab.servers.values()][0]?.major ?? 0;
      expect(lab.servers.get("good")?.backend).toBe("system");
      if (major < 17) {
        expect(lab.skipped.map((s) => s.name)).toEqual(["direct-ssl"]);
        expect(lab.skipped[0]?.reason).toContain("needs PostgreSQL 17+");
      }
      for (const name of names) {
        const srv = lab.servers.get(name);
        if (!srv) continue;
        const scenario = SCENARIOS.find((s) => s.name === name);
        for (const exp of scenario?.expectations ?? []) {
          if ((exp.minLibpq ?? 0) > 15) continue;
          const r = await psqlConnect(srv, exp);
          const detail = `${name} / ${exp.description}: ${r.stderr.trim()}`;
          expect(r.ok, detail).toBe(exp.ok);
          if (!exp.ok && exp.errorIncludes) expect(r.stderr, detail).toContain(exp.errorIncludes);
        }
      }
    } finally {
      await lab.stop();
    }
  });
});

describe("docker backend: availability", () => {
  it("an engine answers or the lab started one; otherwise the reason is given", () => {
    // CI sets DBDOCTOR_LAB_REQUIRE_DOCKER=1: there the docker tests must run, a skip is a failure.
    if (process.env.DBDOCTOR_LAB_REQUIRE_DOCKER === "1") expect(docker).toEqual({ ok: true });
    if (!docker.ok) expect(docker.reason.length).toBeGreaterThan(10);
  });
});

describe.skipIf(!docker.ok)("docker backend (testcontainers): every scenario in a container, judged by psql", () => {
  let lab: Lab;
  let engine: DockerEngine;
  let image: LabImage;
  let libpq = 0;
  let agreed = 0;
  let t0 = 0;

  beforeAll(async () => {
    t0 = performance.now();
    engine = await ensureDockerEngine();
    libpq = await psqlMajor();
    image = await labImage();
    const t1 = performance.now();
    lab = await startLab(undefined, { backend: "docker" });
    console.log(
      `docker lab: engine ${engine.owned ? `started by the lab in ${engine.startMs} ms` : `${engine.dockerHost} (not ours)`}; ` +
        `image ${image.ref} (${image.kind}${image.source ? `, ${image.source}` : ""}) ready in ${image.readyMs} ms` +
        `${image.buildMs ? ` (tarball assembled in ${image.buildMs} ms)` : ""}${image.importMs ? `, imported in ${image.importMs} ms` : ""}; ` +
        `${lab.servers.size} containers up in ${Math.round(performance.now() - t1)} ms`,
    );
    for (const s of lab.skipped) console.warn(`docker lab: scenario ${s.name} skipped: ${s.reason}`);
  }, 600_000);

  afterAll(async () => {
    await lab?.stop();
    await stopDockerEngine();
    console.log(
      `docker lab: ${agreed} psql verdicts agreed; whole docker block ${Math.round(performance.now() - t0)} ms`,
    );
  }, 180_000);

  function server(name: string): LabServer {
    const s = lab.servers.get(name);
    if (!s) throw new Error(`scenario ${name} is not running`);
    return s;
  }

  /** Superuser SQL over the server's socket, which the container shares with the host through a mount. */
  function superSql(s: LabServer, sql: string): string {
    return execFileSync(
      "psql",
      ["-X", "-A", "-t", "-h", s.socketDir, "-p", String(s.port), "-U", "postgres", "-c", sql],
      { encoding: "utf8", env: { PATH: process.env.PATH, HOME: "/nonexistent", LANG: "C" } },
    ).trim();
  }

  for (const scenario of SCENARIOS) {
    for (const exp of scenario.expectations) {
      it(`${scenario.name}: ${exp.ok ? "connects" : "fails"}: ${exp.description}`, async (ctx) => {
        if (!lab.servers.has(scenario.name)) {
          console.warn(`skipped ${scenario.name}: ${lab.skipped.find((s) => s.name === scenario.name)?.reason}`);
          ctx.skip();
        }
        if ((exp.minLibpq ?? 0) > libpq) {
          console.warn(
            `skipped "${exp.description}" (${scenario.name}): needs libpq ${exp.minLibpq}+, psql is ${libpq}`,
          );
          ctx.skip();
        }
        const r = await psqlConnect(server(scenario.name), exp);
        const detail = `${scenario.name} / ${exp.description}: psql said ${JSON.stringify(r.stderr.trim())}`;
        expect(r.ok, detail).toBe(exp.ok);
        if (!exp.ok && exp.errorIncludes) expect(r.stderr, detail).toContain(exp.errorIncludes);
        agreed++;
      });
    }
  }

  it("runs every scenario its image's major can host, on that major, built with OpenSSL", () => {
    for (const s of SCENARIOS) {
      if ((s.minMajor ?? 0) <= image.major) expect(lab.servers.has(s.name), s.name).toBe(true);
    }
    for (const s of lab.servers.values()) {
      expect(s.backend).toBe("docker");
      expect(s.major).toBe(image.major);
    }
    const good = server("good");
    expect(Number(superSql(good, "show server_version_num"))).toBeGreaterThanOrEqual(image.major * 10000);
    expect(superSql(good, "show ssl_library")).toBe("OpenSSL");
    expect(superSql(good, "show ssl")).toBe("on");
    expect(superSql(server("ssl-off"), "show ssl")).toBe("off");
  });

  it("containers share the host's network with no address of their own; servers listen on 127.0.0.1 only", async () => {
    const { getContainerRuntimeClient } = await import("testcontainers");
    const client = await getContainerRuntimeClient();
    for (const s of lab.servers.values()) {
      const info = await client.container.inspect(client.container.getById(s.containerId ?? ""));
      expect(info.HostConfig.NetworkMode, s.name).toBe("host");
      expect(Object.keys(info.NetworkSettings.Networks), s.name).toEqual(["host"]);
      expect(info.NetworkSettings.Networks.host?.IPAddress ?? "", s.name).toBe("");
      // (too-many-clients has no slot left, not even for the superuser)
      if (s.name !== "too-many-clients") expect(superSql(s, "show listen_addresses"), s.name).toBe("127.0.0.1");
    }
    if (engine.owned) {
      // No bridge: the engine the lab starts has only the host and none networks.
      const nets = await client.container.dockerode.listNetworks();
      expect(nets.map((n) => n.Name).sort()).toEqual(["host", "none"]);
    }
  });

  it("PostgreSQL runs as an unprivileged user in every container, with the certificates copied in", () => {
    for (const s of lab.servers.values()) {
      const uid = /^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${s.pid}/status`, "utf8"))?.[1];
      expect(Number(uid), s.name).toBeGreaterThan(0);
    }
    // (PostgreSQL refuses a key others can read: that TLS works at all shows the prep step's 0600 and owner.)
    expect(superSql(server("good"), "show ssl_key_file")).toBe("/lab/server.key");
    expect(superSql(server("client-cert"), "show ssl_crl_file")).toBe("/lab/root.crl");
  });

  it("too-many-clients is full even for the superuser: the lab's held sessions take every slot", () => {
    expect(() => superSql(server("too-many-clients"), "select 1")).toThrow(/sorry, too many clients already/);
  });

  it("stops every container, then the engine it started; nothing of either is left", async () => {
    const { getContainerRuntimeClient } = await import("testcontainers");
    const client = await getContainerRuntimeClient();
    const ids = [...lab.servers.values()].map((s) => s.containerId);
    const roots = [...lab.servers.values()].map((s) => path.dirname(s.dataDir));
    const pids = [...lab.servers.values()].map((s) => s.pid);
    const t1 = performance.now();
    await lab.stop();
    const left = await client.container.dockerode.listContainers({ all: true });
    expect(left.filter((c) => ids.includes(c.Id))).toEqual([]);
    for (const root of roots) {
      expect(existsSync(root), root).toBe(false);
      expect(processesUnder(root), root).toEqual([]);
    }
    for (const pid of pids) expect(processGone(pid), `postmaster ${pid}`).toBe(true);
    const runDir = engine.runDir;
    await stopDockerEngine();
    console.log(`docker lab: containers and engine stopped in ${Math.round(performance.now() - t1)} ms`);
    if (engine.owned && runDir) {
      expect(engineProcesses(runDir), "dockerd, containerd or a shim still running").toEqual([]);
      expect(mountsUnder(runDir)).toEqual([]);
      expect(existsSync(runDir)).toBe(false);
      // The data root may stay (the shared one keeps the image for the next run), but with nothing mounted.
      expect(mountsUnder(engine.dataRoot ?? runDir)).toEqual([]);
    }
  });
});
