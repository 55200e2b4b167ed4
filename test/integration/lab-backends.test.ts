import { describe, expect, it } from "vitest";
import { backendAvailable, psqlConnect, SCENARIOS, startLab, startServer } from "../../scripts/lab/index.js";

/** The non-default backends: the distribution's PostgreSQL on PATH, and testcontainers where Docker answers. */

const system = await backendAvailable("system");
const docker = await backendAvailable("docker");
if (!system.ok) console.warn(`skipping the system backend tests: ${system.reason}`);
if (!docker.ok) console.warn(`skipping the docker backend tests: ${docker.reason}`);

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

describe("docker backend (testcontainers)", () => {
  it("reports whether a container engine answers, with a reason when none does", () => {
    if (docker.ok) expect(docker).toEqual({ ok: true });
    else expect(docker.reason).toMatch(/no Docker engine answers/);
  });

  it.skipIf(!docker.ok)("runs the good scenario in a container", async () => {
    const good = SCENARIOS.find((s) => s.name === "good");
    if (!good) throw new Error("no good scenario");
    const srv = await startServer(good.spec, { backend: "docker" });
    try {
      for (const exp of good.expectations) {
        const r = await psqlConnect(srv, exp);
        expect(r.ok, `${exp.description}: ${r.stderr}`).toBe(exp.ok);
      }
    } finally {
      await srv.stop();
    }
  });
});
