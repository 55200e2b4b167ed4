import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import tls from "node:tls";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  certPath,
  type Lab,
  type LabServer,
  psqlConnect,
  psqlMajor,
  SCENARIOS,
  startLab,
} from "../../scripts/lab/index.js";

/**
 * Real libpq (psql) judges every lab scenario: each declared client expectation must hold, with the
 * declared error text when it fails.
 */
let lab: Lab;
let libpqMajor = 0;

beforeAll(async () => {
  libpqMajor = await psqlMajor();
  const t0 = performance.now();
  lab = await startLab();
  console.log(
    `lab: ${lab.servers.size} servers up in ${lab.startupMs} ms (wall ${Math.round(performance.now() - t0)} ms)`,
  );
  for (const s of lab.skipped) console.warn(`lab: scenario ${s.name} skipped: ${s.reason}`);
});

afterAll(async () => {
  const t0 = performance.now();
  await lab?.stop();
  console.log(`lab: all servers down in ${Math.round(performance.now() - t0)} ms`);
});

function server(name: string): LabServer {
  const s = lab.servers.get(name);
  if (!s) throw new Error(`scenario ${name} is not running`);
  return s;
}

/** Superuser SQL over the lab's unix socket, for facts about the servers themselves. */
function superSql(s: LabServer, sql: string): string {
  return execFileSync(
    "psql",
    ["-X", "-A", "-t", "-h", s.socketDir, "-p", String(s.port), "-U", "postgres", "-c", sql],
    {
      encoding: "utf8",
      env: { PATH: process.env.PATH, HOME: "/nonexistent", LANG: "C" },
    },
  ).trim();
}

for (const scenario of SCENARIOS) {
  describe(`scenario ${scenario.name}`, () => {
    for (const exp of scenario.expectations) {
      const needs = exp.minLibpq ?? 0;
      it(`${exp.ok ? "connects" : "fails"}: ${exp.description}`, async (ctx) => {
        if (!lab.servers.has(scenario.name)) {
          console.warn(`skipped ${scenario.name}: ${lab.skipped.find((s) => s.name === scenario.name)?.reason}`);
          ctx.skip();
        }
        if (needs > libpqMajor) {
          console.warn(
            `skipped "${exp.description}" (${scenario.name}): needs libpq ${needs}+, psql here is libpq ${libpqMajor}`,
          );
          ctx.skip();
        }
        const r = await psqlConnect(server(scenario.name), exp);
        const detail = `${scenario.name} / ${exp.description}: psql said ${JSON.stringify(r.stderr.trim())}`;
        expect(r.ok, detail).toBe(exp.ok);
        if (!exp.ok && exp.errorIncludes) expect(r.stderr, detail).toContain(exp.errorIncludes);
      });
    }
  });
}

describe("the servers themselves", () => {
  it("every scenario with no minMajor above the backend's runs", () => {
    const major = [...lab.servers.values()][0]?.major ?? 0;
    for (const s of SCENARIOS) {
      if ((s.minMajor ?? 0) <= major) expect(lab.servers.has(s.name), s.name).toBe(true);
    }
  });

  it("are PostgreSQL 17+ built with OpenSSL, listening on 127.0.0.1 only", () => {
    const s = server("good");
    expect(s.major).toBeGreaterThanOrEqual(17);
    expect(superSql(s, "show ssl_library")).toBe("OpenSSL");
    expect(superSql(s, "show listen_addresses")).toBe("127.0.0.1");
    expect(superSql(s, "show ssl")).toBe("on");
    expect(superSql(server("ssl-off"), "show ssl")).toBe("off");
  });

  it("run as an unprivileged user when we are root", (ctx) => {
    if (process.getuid?.() !== 0) {
      console.warn("skipped: not running as root, the servers run as the current user");
      ctx.skip();
    }
    for (const s of lab.servers.values()) {
      const uid = /^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${s.pid}/status`, "utf8"))?.[1];
      expect(Number(uid), s.name).not.toBe(0);
    }
  });

  it("store the md5 user's password as md5 and the others as SCRAM", () => {
    const rows = superSql(
      server("md5"),
      "select rolname || ':' || split_part(rolpassword, '$', 1) from pg_authid where rolname in ('app','md5user') order by 1",
    );
    expect(rows.split("\n")).toEqual(["app:SCRAM-SHA-256", expect.stringMatching(/^md5user:md5[0-9a-f]{32}$/)]);
  });

  it("tls13-only sets ssl_min_protocol_version=TLSv1.3, the good server keeps TLSv1.2", () => {
    expect(superSql(server("tls13-only"), "show ssl_min_protocol_version")).toBe("TLSv1.3");
    expect(superSql(server("good"), "show ssl_min_protocol_version")).toBe("TLSv1.2");
  });

  it("too-many-clients is full even for the superuser: the lab's held sessions take every slot", () => {
    expect(() => superSql(server("too-many-clients"), "select 1")).toThrow(/sorry, too many clients already/);
    expect(server("too-many-clients").spec.holdConnections).toBe(3);
  });

  it("direct-ssl accepts a TLS handshake straight away with ALPN postgresql (what sslnegotiation=direct does)", async (ctx) => {
    if (!lab.servers.has("direct-ssl")) {
      console.warn("skipped: direct-ssl needs PostgreSQL 17+");
      ctx.skip();
    }
    if (libpqMajor < 17) {
      console.warn(
        `note: psql here is libpq ${libpqMajor}, which has no sslnegotiation; direct SSL is checked with a raw TLS client instead`,
      );
    }
    const s = server("direct-ssl");
    const result = await new Promise<{ alpn: string | false | null; authorized: boolean; protocol: string | null }>(
      (resolve, reject) => {
        const sock = tls.connect({
          host: "127.0.0.1",
          port: s.port,
          servername: "localhost",
          ALPNProtocols: ["postgresql"],
          ca: readFileSync(certPath("root-ca.crt")),
        });
        sock.setTimeout(5000, () => sock.destroy(new Error("timeout")));
        sock.once("secureConnect", () => {
          resolve({ alpn: sock.alpnProtocol, authorized: sock.authorized, protocol: sock.getProtocol() });
          sock.end();
        });
        sock.once("error", reject);
      },
    );
    expect(result).toEqual({ alpn: "postgresql", authorized: true, protocol: "TLSv1.3" });
  });
});
