// The exporter's pure parts: which targets a module may probe, the modules file, the concurrency bound, the probe's
// deadline and the exposition it answers with. The HTTP exporter itself is tested as a process (test/e2e/exporter).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseListen } from "../../../src/cli/exporter.js";
import { UsageError } from "../../../src/errors.js";
import { loadConfig } from "../../../src/exporter/config.js";
import { Limiter } from "../../../src/exporter/limiter.js";
import { serverArgs } from "../../../src/exporter/probe.js";
import { negotiate, probeDeadline } from "../../../src/exporter/server.js";
import { allowed, parsePattern, readTarget, type TargetPattern } from "../../../src/exporter/targets.js";

function patterns(...texts: string[]): TargetPattern[] {
  return texts.map((t) => {
    const p = parsePattern(t);
    if (typeof p === "string") throw new Error(`${t}: ${p}`);
    return p;
  });
}

function may(pats: TargetPattern[], target: string): boolean | string {
  const t = readTarget(target);
  return typeof t === "string" ? t : allowed(pats, t);
}

describe("allowed targets", () => {
  it("globs over names, case-insensitive; the port defaults to 5432; ranges and *", () => {
    const p = patterns("db-*.internal", "cache.example:6432-6439", "lab.test:*");
    expect(may(p, "db-1.internal:5432")).toBe(true);
    expect(may(p, "DB-2.Internal")).toBe(true);
    expect(may(p, "db-1.internal:5433")).toBe(false);
    expect(may(p, "db.internal:5432")).toBe(false);
    expect(may(p, "db-1.internal.evil.example:5432")).toBe(false);
    expect(may(p, "cache.example:6435")).toBe(true);
    expect(may(p, "cache.example:6440")).toBe(false);
    expect(may(p, "lab.test:1")).toBe(true);
  });

  it("addresses and CIDR blocks compare addresses, not spellings; names never match a CIDR", () => {
    const p = patterns("10.0.0.0/8:5432", "[fd00::/8]:*", "[::1]:5432", "127.0.0.1:5432");
    expect(may(p, "10.1.2.3:5432")).toBe(true);
    expect(may(p, "11.0.0.1:5432")).toBe(false);
    expect(may(p, "[fd12::1]:7000")).toBe(true);
    expect(may(p, "[0:0:0:0:0:0:0:1]:5432")).toBe(true);
    expect(may(p, "127.0.0.1")).toBe(true);
    expect(may(p, "[::ffff:127.0.0.1]:5432")).toBe(true); // the same address, IPv4-mapped
    expect(may(p, "[::ffff:10.9.9.9]:5432")).toBe(true);
    expect(may(p, "[::ffff:11.9.9.9]:5432")).toBe(false);
    expect(may(p, "localhost:5432")).toBe(false);
    expect(may(p, "ten.internal:5432")).toBe(false);
  });

  it("refuses what is not a plain name or a canonical address, before any pattern is consulted", () => {
    const any = patterns("*:*");
    for (const bad of [
      "user:pw@127.0.0.1:5432",
      "postgresql://db:5432",
      "db/x:5432",
      "db%2f:5432",
      "2130706433:5432", // getaddrinfo reads it as 127.0.0.1
      "0x7f.1:5432",
      "127.1:5432",
      "017700000001",
      "db:99999",
      "",
    ])
      expect(typeof may(any, bad), bad).toBe("string");
    expect(may(any, "db-1.internal:5432")).toBe(true);
  });

  it("bad patterns say why", () => {
    expect(parsePattern("db:port")).toMatch(/not a port/);
    expect(parsePattern("10.0.0.0/33:5432")).toMatch(/CIDR/);
    expect(parsePattern("::1:5432")).toMatch(/brackets/);
    expect(parsePattern("db 1:5432")).toMatch(/not a host name/);
    expect(parsePattern(":5432")).toMatch(/names no host/);
  });
});

describe("the modules file", () => {
  const dir = mkdtempSync(join(tmpdir(), "dbdoctor-exporter-config-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  const failure = (path: string): UsageError => {
    try {
      loadConfig(path);
    } catch (err) {
      if (err instanceof UsageError) return err;
      throw err;
    }
    throw new Error(`${path} was accepted`);
  };

  it("reads modules; a relative sslrootcert is read from the file's folder", () => {
    writeFileSync(join(dir, "ca.crt"), "not read here, only checked to be readable");
    const path = write(
      "good.yml",
      `modules:
  tls:
    allowed_targets: ["db-*.internal:5432", "10.0.0.0/8:*"]
    sslrootcert: ca.crt
    servername: db.internal
    min_tls_version: tlsv1.2
    warn_days: 21
  open:
    allowed_targets: ["*:*"]
`,
    );
    const c = loadConfig(path);
    expect([...c.modules.keys()]).toEqual(["tls", "open"]);
    const tls = c.modules.get("tls");
    expect(tls).toMatchObject({
      sslrootcert: join(dir, "ca.crt"),
      servername: "db.internal",
      minTlsVersion: "TLSv1.2",
      warnDays: 21,
    });
    expect(tls?.allowedTargets.map((p) => p.text)).toEqual(["db-*.internal:5432", "10.0.0.0/8:*"]);
    expect(c.warnings).toEqual(['module open: allowed target "*:*" matches any host']);
    // The module's settings are `dbdoctor server`'s options.
    expect(serverArgs(tls as NonNullable<typeof tls>, { host: "10.1.1.1", port: 5432 })).toEqual({
      target: "10.1.1.1:5432",
      scanVersions: true,
      sslrootcert: join(dir, "ca.crt"),
      servername: "db.internal",
      sslMinProtocolVersion: "TLSv1.2",
      warnDays: 21,
    });
  });

  it("the README's example modules file is docs/prometheus/exporter.yml, and it loads", () => {
    const example = readFileSync(new URL("../../../docs/prometheus/exporter.yml", import.meta.url), "utf8");
    expect(readFileSync(new URL("../../../README.md", import.meta.url), "utf8")).toContain(example);
    // Its CA file is the operator's; the rest must load as written.
    const c = loadConfig(write("example.yml", example.replace(/sslrootcert: \S+/, "sslrootcert: system")));
    expect(c.modules.get("postgres_tls")?.allowedTargets.map((p) => p.text)).toEqual([
      "db-*.internal:5432",
      "10.20.0.0/16:5432",
    ]);
    expect(c.warnings).toEqual([]);
  });

  it("every mistake names the file, the line and the key", () => {
    const cases: Array<[string, RegExp]> = [
      ["modules:\n  m:\n    sslrootcert: system\n", /:2: modules\.m has no allowed_targets/],
      ["modules:\n  m:\n    allowed_targets: []\n", /:3: modules\.m\.allowed_targets must be a non-empty list/],
      ["modules:\n  m:\n    allowed_targets: ['db:x']\n", /:3: modules\.m\.allowed_targets: port "x"/],
      ["modules:\n  m:\n    allowed_targets: ['db']\n    min_tls_version: TLSv1.4\n", /:4: .*min_tls_version is not/],
      ["modules:\n  m:\n    allowed_targets: ['db']\n    warn_days: soon\n", /:4: .*warn_days must be a whole/],
      ["modules:\n  m:\n    allowed_targets: ['db']\n    sslrootcert: nope.crt\n", /:4: .*cannot read .*nope\.crt/],
      [
        "modules:\n  m:\n    allowed_targets: ['db']\n    sslmode: verify-full\n",
        /:4: modules\.m: unknown key "sslmode"/,
      ],
      ["modules:\n  m:\n    allowed_targets: ['db']\n  m:\n    allowed_targets: ['x']\n", /:4: not valid YAML/],
      ["module:\n  m: {}\n", /:1: unknown key "module"/],
      ["modules:\n  'bad name':\n    allowed_targets: ['db']\n", /:2: module name "bad name"/],
      ["modules: [\n", /not valid YAML/],
    ];
    for (const [i, [text, expected]] of cases.entries()) {
      const path = write(`bad-${i}.yml`, text);
      const err = failure(path);
      expect(err.message, text).toMatch(expected);
      expect(err.message.startsWith(path)).toBe(true);
      expect(err.hint).toBeTruthy();
    }
    expect(failure(join(dir, "missing.yml")).message).toMatch(/cannot read --config/);
  });
});

describe("the concurrency bound", () => {
  it("runs `limit` at once, queues as many, refuses the rest, and hands a freed slot to the first waiter", async () => {
    const l = new Limiter(2, 2);
    const a = await l.acquire(10_000);
    const b = await l.acquire(10_000);
    expect([a, b].every((r) => r !== null)).toBe(true);
    const c = l.acquire(10_000);
    const d = l.acquire(10_000);
    expect(await l.acquire(10_000)).toBeNull(); // queue full
    expect([l.inFlight, l.queued]).toEqual([2, 2]);
    a?.();
    a?.(); // a second release is a no-op
    const cr = await c;
    expect(cr).not.toBeNull();
    expect([l.inFlight, l.queued]).toEqual([2, 1]);
    l.close();
    expect(await d).toBeNull(); // turned away on close
    expect(await l.acquire(10_000)).toBeNull();
    b?.();
    cr?.();
    expect(l.inFlight).toBe(0);
  });

  it("a waiter whose deadline passes gives up its place", async () => {
    const l = new Limiter(1, 4);
    const held = await l.acquire(1000);
    expect(await l.acquire(20)).toBeNull();
    expect(l.queued).toBe(0);
    held?.();
  });
});

describe("deadline, negotiation, --listen", () => {
  it("the probe's deadline is --timeout, or Prometheus' scrape timeout less half a second when shorter", () => {
    expect(probeDeadline(5000, undefined)).toBe(5000);
    expect(probeDeadline(5000, "10")).toBe(5000);
    expect(probeDeadline(5000, "3")).toBe(2500);
    expect(probeDeadline(5000, "0.2")).toBe(1);
    expect(probeDeadline(5000, "soon")).toBe(5000);
  });

  it("OpenMetrics when asked for, the Prometheus text format otherwise", () => {
    expect(negotiate("application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5")).toBe("openmetrics");
    expect(negotiate("text/plain")).toBe("prometheus");
    expect(negotiate(undefined)).toBe("prometheus");
  });

  it("--listen takes HOST:PORT and [IPv6]:PORT", () => {
    expect(parseListen("127.0.0.1:9432")).toEqual({ host: "127.0.0.1", port: 9432 });
    expect(parseListen("[::1]:0")).toEqual({ host: "::1", port: 0 });
    for (const bad of ["9432", ":9432", "localhost", "[db]:1", "127.0.0.1:99999"])
      expect(() => parseListen(bad), bad).toThrow(UsageError);
  });
});
