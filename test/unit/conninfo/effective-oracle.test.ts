// computeEffective against real libpq: PQconnectStart runs libpq's own service-file, environment, default and
// password-file logic; PQconninfo/PQhost/PQport/PQpass show the result (test/unit/conninfo/oracle/effective_oracle.c).
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { computeEffective } from "../../../src/conninfo/effective.js";
import { parseLibpqConninfo } from "../../../src/conninfo/libpq.js";
import type { LibpqMajor } from "../../../src/model/options.js";

const SOURCE = new URL("./oracle/effective_oracle.c", import.meta.url);
const CACHE = new URL("../../../.cache/oracle/", import.meta.url);

function compile(): { binary: string } | { reason: string } {
  if (!existsSync("/usr/include/postgresql/libpq-fe.h")) return { reason: "libpq-fe.h not found (install libpq-dev)" };
  const src = readFileSync(SOURCE);
  const binary = new URL(`effective_oracle-${createHash("sha256").update(src).digest("hex").slice(0, 16)}`, CACHE)
    .pathname;
  if (!existsSync(binary)) {
    mkdirSync(CACHE, { recursive: true });
    const tmp = `${binary}.${process.pid}.tmp`;
    const r = spawnSync("cc", ["-O1", "-I/usr/include/postgresql", "-o", tmp, SOURCE.pathname, "-lpq"], {
      encoding: "utf8",
    });
    if (r.error || r.status !== 0) return { reason: `cannot compile the libpq oracle: ${r.stderr ?? r.error}` };
    spawnSync("mv", [tmp, binary]);
  }
  return { binary };
}
const oracle = compile();
if ("reason" in oracle) console.warn(`skipping the effective-parameters oracle: ${oracle.reason}`);
const psql = spawnSync("psql", ["--version"], { encoding: "utf8" }).stdout ?? "";
const MAJOR = (Number.parseInt(/(\d+)\./.exec(psql)?.[1] ?? "15", 10) || 15) as LibpqMajor;

const home = mkdtempSync(join(tmpdir(), "dbdoctor-eff-oracle-"));
afterAll(() => rmSync(home, { recursive: true, force: true }));

interface Case {
  name: string;
  conninfo: string;
  env?: Record<string, string>;
  files?: Record<string, { text: string; mode?: number }>;
}
const TCP = "hostaddr=127.0.0.1 port=1";
const CASES: Case[] = [
  { name: "defaults only", conninfo: TCP },
  {
    name: "user, dbname and port from the environment",
    conninfo: "hostaddr=127.0.0.1",
    env: { PGUSER: "alice", PGDATABASE: "app", PGPORT: "1" },
  },
  {
    name: "the string beats the environment",
    conninfo: `${TCP} user=bob sslmode=disable`,
    env: { PGUSER: "alice", PGSSLMODE: "require" },
  },
  { name: "PGREQUIRESSL", conninfo: TCP, env: { PGREQUIRESSL: "1" } },
  { name: "PGSSLMODE beats PGREQUIRESSL", conninfo: TCP, env: { PGREQUIRESSL: "1", PGSSLMODE: "verify-ca" } },
  { name: "an empty PGUSER still defaults the user", conninfo: TCP, env: { PGUSER: "" } },
  {
    name: "TLS variables",
    conninfo: TCP,
    env: { PGSSLROOTCERT: "/ca.crt", PGSSLCERT: "/c.crt", PGSSLKEY: "/c.key", PGCONNECT_TIMEOUT: "3", PGAPPNAME: "x" },
  },
  {
    name: "service file in HOME",
    conninfo: `${TCP} service=prod user=bob`,
    files: {
      ".pg_service.conf": {
        text: "[other]\nsslmode=disable\n[prod]\nuser=svc\ndbname=svcdb\nsslmode=verify-full\nsslmode=disable\n",
      },
    },
    env: { PGSSLMODE: "require" },
  },
  {
    name: "PGSERVICE and PGSERVICEFILE",
    conninfo: TCP,
    files: { "svc.conf": { text: "  [prod]  \n  dbname=fromfile  \n" } },
    env: { PGSERVICE: "prod", PGSERVICEFILE: "@/svc.conf" },
  },
  {
    name: "PGSYSCONFDIR fallback",
    conninfo: `${TCP} service=sys`,
    files: { "etc/pg_service.conf": { text: "[sys]\ndbname=sysdb\n" } },
    env: { PGSYSCONFDIR: "@/etc" },
  },
  { name: "PGSERVICEFILE that does not exist", conninfo: `${TCP} service=sys`, env: { PGSERVICEFILE: "@/none.conf" } },
  { name: "missing service", conninfo: `${TCP} service=nope`, env: { PGSYSCONFDIR: "@/none" } },
  {
    name: "service file syntax error",
    conninfo: `${TCP} service=prod`,
    files: { "bad.conf": { text: "[prod]\nhost = x\n" } },
    env: { PGSERVICEFILE: "@/bad.conf" },
  },
  {
    name: "nested service",
    conninfo: `${TCP} service=prod`,
    files: { "n.conf": { text: "[prod]\nservice=x\n" } },
    env: { PGSERVICEFILE: "@/n.conf" },
  },
  {
    name: "password file match with wildcards and escapes",
    conninfo: `${TCP} host=db.example dbname=app user=alice`,
    files: { ".pgpass": { text: "# c\nother:*:*:*:no\n*:1:app:alice:pa\\:ss\\\\w\n", mode: 0o600 } },
  },
  {
    name: "password file: no match",
    conninfo: `${TCP} host=db.example dbname=app user=bob`,
    files: { ".pgpass": { text: "db.example:1:app:alice:x\n", mode: 0o600 } },
  },
  {
    name: "password file ignored when group-readable",
    conninfo: `${TCP} host=db.example dbname=app user=alice`,
    files: { ".pgpass": { text: "*:*:*:*:x\n", mode: 0o640 } },
  },
  {
    name: "PGPASSFILE",
    conninfo: `${TCP} host=h user=u dbname=d`,
    files: { pp: { text: "h:1:d:u:fromenvfile\n", mode: 0o600 } },
    env: { PGPASSFILE: "@/pp" },
  },
  {
    name: "PGPASSWORD wins over the file",
    conninfo: `${TCP} host=h user=u dbname=d`,
    files: { ".pgpass": { text: "*:*:*:*:file\n", mode: 0o600 } },
    env: { PGPASSWORD: "envpw" },
  },
  {
    name: "hostaddr only: the file is matched on the address",
    conninfo: "hostaddr=127.0.0.1 port=1 user=u dbname=d",
    files: { ".pgpass": { text: "127.0.0.1:1:d:u:byaddr\n", mode: 0o600 } },
  },
];

const KEYS = [
  "user",
  "dbname",
  "sslmode",
  "passfile",
  "connect_timeout",
  "application_name",
  "hostaddr",
  "sslrootcert",
  "sslcert",
  "sslkey",
  "channel_binding",
  "gssencmode",
  "sslsni",
  "ssl_min_protocol_version",
];

function setUp(c: Case, dir: string): Record<string, string> {
  for (const [name, f] of Object.entries(c.files ?? {})) {
    const p = join(dir, name);
    mkdirSync(join(p, ".."), { recursive: true });
    writeFileSync(p, f.text);
    chmodSync(p, f.mode ?? 0o644);
  }
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(c.env ?? {})) env[k] = v.replace(/^@/, dir);
  return env;
}

describe("effective parameters against real libpq", () => {
  CASES.forEach((c, i) => {
    it.skipIf("reason" in oracle)(c.name, () => {
      if (!("binary" in oracle)) return;
      const dir = join(home, String(i));
      mkdirSync(dir, { recursive: true });
      const env = setUp(c, dir);
      const r = spawnSync(oracle.binary, [], {
        input: `${c.conninfo}\0`,
        env: { PATH: process.env.PATH ?? "", LC_ALL: "C", HOME: dir, PGSYSCONFDIR: join(dir, "nosys"), ...env },
        encoding: "utf8",
        timeout: 30_000,
      });
      expect(r.status, r.stderr).toBe(0);
      const real = JSON.parse(r.stdout) as {
        params: Record<string, string>;
        host?: string;
        port?: string;
        pass: string;
        bad: boolean;
        message: string;
      };
      const parsed = parseLibpqConninfo(c.conninfo, MAJOR);
      if (!parsed.ok) throw new Error("case string must parse");
      const ours = computeEffective({
        params: parsed.params,
        major: MAJOR,
        env: { PGSYSCONFDIR: join(dir, "nosys"), ...env },
        home: dir,
        osUser: userInfo().username,
        fileExists: (p) => existsSync(p),
        readFile: (p) => {
          try {
            return readFileSync(p, "utf8");
          } catch {
            return null;
          }
        },
        statFile: (p) => {
          try {
            const s = statSync(p);
            return { isFile: s.isFile(), mode: s.mode & 0o7777 };
          } catch {
            return null;
          }
        },
      });
      if (real.bad && Object.keys(real.params).length === 0) {
        expect(ours.errors.map((e) => e.message)).toEqual([real.message.trim()]);
        return;
      }
      expect(ours.errors).toEqual([]);
      for (const k of KEYS) {
        const mine = ours.effective[k];
        // ~/.postgresql defaults are applied at TLS set-up, after PQconninfo: compare only set values.
        const shown =
          mine && !(mine.source === "default" && mine.detail?.startsWith("default file")) ? mine.value : undefined;
        expect({ k, v: shown }).toEqual({ k, v: real.params[k] });
      }
      expect(ours.hosts[0]?.port).toBe(real.port);
      if (ours.hosts[0]?.kind !== "ip" || !ours.hosts[0].hostaddr) expect(ours.hosts[0]?.host).toBe(real.host);
      const found = ours.password.source !== "none";
      expect({ found }).toEqual({ found: real.pass !== "" });
      if (ours.password.source === "passfile") expect(ours.passfilePassword).toBe(real.pass);
    });
  });
});
