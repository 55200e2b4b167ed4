// Issue 18: every run ends by itself with bounded memory, whatever the input. Table rows: a FIFO, a
// device, a directory, a huge file, an unreadable file and a symbolic-link loop in place of every file parameter;
// a 1 MB connection string and host name; 1000 hosts; a 5 MB .env file. The built CLI as a process, its peak RSS
// measured in the child (test/helpers/rss-preload.mjs). The stated bound is the kill deadline (KILL_AFTER_MS): a run
// still going then hung, read /dev/zero or blew up quadratically; wall time is measured and printed, never asserted
// (a busy machine is slow, not wrong). The memory limit is generous.
import { execFileSync } from "node:child_process";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  symlinkSync,
  truncateSync,
  writeFileSync,
} from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureCerts } from "../../scripts/gen-certs.js";
import { type AsyncCliResult, CLI, runCliAsync } from "../helpers/cli.js";

/** Every row: the CLI ends by itself before this, or it hung and is killed (the test then fails). */
const KILL_AFTER_MS = 60_000;
/** Peak RSS of the child, KiB: generous (a run is ~70 MiB), far below reading /dev/zero or a 1 GiB file. */
const RSS_LIMIT_KIB = 400 * 1024;
const HUGE_BYTES = 1024 * 1024 * 1024;

let dir = "";
let certs = "";
let refusedPort = 0;
const isRoot = process.getuid?.() === 0;
/** As root, "unreadable" needs an unprivileged child: root reads a file whatever its mode. */
const NOBODY = 65534;

type Kind = "fifo" | "device" | "directory" | "huge" | "unreadable" | "link-loop";
const KINDS: Kind[] = ["fifo", "device", "directory", "huge", "unreadable", "link-loop"];
const path = (kind: Kind) => (kind === "device" ? "/dev/zero" : join(dir, kind));

beforeAll(async () => {
  certs = (await ensureCerts()).dir;
  dir = mkdtempSync(join(tmpdir(), "dbdoctor-hostile-inputs-"));
  chmodSync(dir, 0o755);
  execFileSync("mkfifo", [join(dir, "fifo")]);
  mkdirSync(join(dir, "directory"));
  writeFileSync(join(dir, "huge"), "");
  truncateSync(join(dir, "huge"), HUGE_BYTES); // sparse: costs nothing on disk
  writeFileSync(join(dir, "unreadable"), "SKILLFLAW_DATABASE_URL=postgresql://u:p@h/d\n");
  chmodSync(join(dir, "unreadable"), 0o000);
  symlinkSync(join(dir, "link-loop-b"), join(dir, "link-loop"));
  symlinkSync(join(dir, "link-loop"), join(dir, "link-loop-b"));
  // A port nothing listens on: the live rows get "connection refused" at once.
  refusedPort = await new Promise<number>((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const a = s.address();
      s.close(() => resolve(typeof a === "object" && a ? a.port : 1));
    });
  });
});
/** Measured, for the record (printed at the end, never asserted). */
const measured: string[] = [];
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  console.info(`hostile inputs, time to exit / peak RSS:\n${measured.join("\n")}`);
});

async function run(args: string[], kind?: Kind, env: NodeJS.ProcessEnv = {}): Promise<AsyncCliResult> {
  const asNobody = kind === "unreadable" && isRoot;
  return runCliAsync(args, {
    killAfterMs: KILL_AFTER_MS,
    measureRss: true,
    cwd: dir,
    env: { HOME: dir, PGSERVICEFILE: undefined, PGPASSFILE: undefined, ...env },
    ...(asNobody ? { uid: NOBODY, gid: NOBODY } : {}),
  });
}

function expectBounded(r: AsyncCliResult, label: string): void {
  measured.push(`  ${r.wallMs} ms, ${Math.round((r.maxRssKiB ?? 0) / 1024)} MiB  ${label}`);
  expect(r.signal, `${label}: hung (killed after ${KILL_AFTER_MS} ms)`).toBeNull();
  expect(r.status, `${label}: exited by itself`).not.toBeNull();
  expect(r.stderr, label).not.toMatch(/\n\s+at /);
  expect(r.stdout, label).not.toMatch(/\n\s+at .*\.js:\d+/);
  expect(r.maxRssKiB, `${label}: peak RSS measured`).toBeDefined();
  expect(r.maxRssKiB ?? 0, `${label}: peak RSS (KiB)`).toBeLessThan(RSS_LIMIT_KIB);
}

/** What a message says about each kind (a usage error names the file and what it is). */
const SAYS: Record<Kind, RegExp> = {
  fifo: /named pipe|FIFO/i,
  device: /character device/i,
  directory: /directory/i,
  huge: /larger than|too big/i,
  unreadable: /permission denied/i,
  "link-loop": /symbolic links|link loop/i,
};

const conn = (params: string) =>
  `host=127.0.0.1 port=${refusedPort} user=app dbname=db sslmode=verify-full sslrootcert=${join(certs, "root-ca.crt")} ${params}`;

describe.runIf(existsSync(CLI))("hostile files in place of every file parameter", { timeout: 120_000 }, () => {
  const libpqParams: Array<[string, (p: string) => string]> = [
    ["sslrootcert", (p) => `sslrootcert=${p}`],
    ["sslcert", (p) => `sslcert=${p} sslkey=${join(certs, "client-good.key")}`],
    ["sslkey", (p) => `sslcert=${join(certs, "client-good.crt")} sslkey=${p}`],
    ["sslcrl", (p) => `sslcrl=${p}`],
    ["sslcrldir", (p) => `sslcrldir=${p}`],
  ];
  for (const [name, param] of libpqParams)
    it.each(KINDS)(`${name} = %s: check (files stage, TLS set-up, probe) ends with a report`, async (kind) => {
      // A live check against a refused port: the files stage, the matrix's TLS material and the probe's trust
      // store all read the file, and nothing waits on the network.
      const r = await run(["check", conn(param(path(kind))), "--format", "json", "--timeout", "2s"], kind);
      expectBounded(r, `${name}=${kind}`);
      expect([0, 1], r.stderr).toContain(r.status);
      expect(() => JSON.parse(r.stdout)).not.toThrow();
    });

  it.each(KINDS)("certs --server-cert %s ends with a report", async (kind) => {
    const r = await run(["certs", "--server-cert", path(kind), "--host", "localhost", "--format", "json"], kind);
    expectBounded(r, `--server-cert ${kind}`);
    expect([0, 1]).toContain(r.status);
  });

  it.each(KINDS)("PGSERVICEFILE = %s: parse says the service file cannot be used", async (kind) => {
    const r = await run(["parse", "service=app", "--format", "json"], kind, { PGSERVICEFILE: path(kind) });
    expectBounded(r, `PGSERVICEFILE ${kind}`);
    expect([0, 1]).toContain(r.status);
    expect(r.stdout).toContain("service file");
  });

  it.each(KINDS)("PGPASSFILE = %s: parse ends with a report", async (kind) => {
    const r = await run(["parse", "host=db user=app dbname=app", "--format", "json"], kind, { PGPASSFILE: path(kind) });
    expectBounded(r, `PGPASSFILE ${kind}`);
    expect([0, 1]).toContain(r.status);
  });

  it.each(KINDS)("--env-file %s: a usage error naming the file and what it is", async (kind) => {
    const r = await run(["parse", "--env-file", path(kind)], kind);
    expectBounded(r, `--env-file ${kind}`);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(path(kind));
    expect(r.stderr).toMatch(SAYS[kind]);
  });

  it.each(KINDS)("audit %s: ends (a usage error or a report)", async (kind) => {
    const r = await run(["audit", path(kind), "--format", "json"], kind);
    expectBounded(r, `audit ${kind}`);
    expect([0, 1, 2]).toContain(r.status);
    if (r.status === 2) expect(r.stderr).toContain("audit");
  });

  it.each(KINDS)("a .gitignore that is %s does not stop an audit", async (kind) => {
    const tree = mkdtempSync(join(dir, "tree-"));
    chmodSync(tree, 0o755);
    writeFileSync(join(tree, ".env"), "SKILLFLAW_DATABASE_URL=postgresql://app@db/app?sslmode=verify-full\n");
    chmodSync(join(tree, ".env"), 0o644);
    if (kind === "device") symlinkSync("/dev/zero", join(tree, ".gitignore"));
    else symlinkSync(path(kind), join(tree, ".gitignore"));
    const r = await run(["audit", tree, "--format", "json"], kind);
    expectBounded(r, `.gitignore ${kind}`);
    expect([0, 1]).toContain(r.status);
  });

  it.each(["fifo", "directory", "link-loop"] as Kind[])("--output %s: a usage error, not a hang", async (kind) => {
    const r = await run(["parse", "host=db", "--format", "json", "--output", path(kind)], kind);
    expectBounded(r, `--output ${kind}`);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("--output");
  });
});

describe.runIf(existsSync(CLI))("huge connection strings, many hosts, a big .env", { timeout: 120_000 }, () => {
  const envFile = (name: string, text: string) => {
    const p = join(dir, name);
    writeFileSync(p, text);
    chmodSync(p, 0o644);
    return p;
  };

  it("a 1 MB host name in a URL (from .env): parse and check end, output bounded", async () => {
    const f = envFile("big-host.env", `SKILLFLAW_DATABASE_URL=postgresql://app:pw@${"a".repeat(1024 * 1024)}/db\n`);
    for (const cmd of ["parse", "check"]) {
      // --timeout is an option of check only (parse never goes on the network).
      const r = await run([cmd, "--env-file", f, "--format", "json", ...(cmd === "check" ? ["--timeout", "2s"] : [])]);
      expectBounded(r, `${cmd} 1 MB host`);
      expect([0, 1]).toContain(r.status);
    }
  });

  it("a 1 MB keyword/value connection string (from .env): parse ends", async () => {
    const kv = `host=db dbname=app application_name=${"x".repeat(1024 * 1024)}`;
    const f = envFile("big-kv.env", `SKILLFLAW_DATABASE_URL='${kv}'\n`);
    const r = await run(["parse", "--env-file", f, "--url-style", "libpq", "--format", "json"]);
    expectBounded(r, "parse 1 MB keyword/value");
    expect([0, 1]).toContain(r.status);
  });

  it("1000 hosts: check ends within its deadline", async () => {
    const hosts = Array.from({ length: 1000 }, () => "127.0.0.1").join(",");
    const ports = Array.from({ length: 1000 }, () => String(refusedPort)).join(",");
    const r = await run([
      "check",
      `host=${hosts} port=${ports} user=app dbname=db sslmode=prefer`,
      "--format",
      "json",
      "--timeout",
      "2s",
    ]);
    expectBounded(r, "1000 hosts");
    expect([0, 1]).toContain(r.status);
  });

  it("a 5 MB .env: parse ends", async () => {
    const lines = Array.from({ length: 120_000 }, (_, i) => `VAR_${i}="value number ${i} with a # and \\" quote"`);
    lines.push("SKILLFLAW_DATABASE_URL=postgresql://app:pw@db/app?sslmode=verify-full");
    const f = envFile("big.env", `${lines.join("\n")}\n`);
    const r = await run(["parse", "--env-file", f, "--format", "json"]);
    expectBounded(r, "5 MB .env");
    expect([0, 1]).toContain(r.status);
  });
});
