// Real libpq as the oracle: compiles conninfo_parse.c against the installed libpq on demand (cached under .cache/,
// keyed by the source's hash) and runs it with a clean environment so no PG* variable, locale or ~/.pgpass can
// change libpq's answer.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const HERE = dirname(fileURLToPath(import.meta.url));
const SOURCE = join(HERE, "conninfo_parse.c");
const ROOT = join(HERE, "..", "..", "..");
const INCLUDE_DIRS = ["/usr/include/postgresql", "/usr/local/include/postgresql", "/usr/local/pgsql/include"];

export type OracleParse = { ok: true; params: Record<string, string> } | { ok: false; error: string };

export type Oracle = { available: true; binary: string; major: number } | { available: false; reason: string };

let cached: Oracle | undefined;

function compile(): Oracle {
  const cc = spawnSync("cc", ["--version"], { encoding: "utf8" });
  if (cc.error || cc.status !== 0) return { available: false, reason: "no C compiler (cc) on PATH" };
  const include = INCLUDE_DIRS.find((d) => existsSync(join(d, "libpq-fe.h")));
  if (!include) return { available: false, reason: "libpq-fe.h not found (install libpq-dev)" };
  const source = readFileSync(SOURCE);
  const hash = createHash("sha256").update(source).update(include).digest("hex").slice(0, 16);
  const dir = join(ROOT, ".cache", "oracle");
  const binary = join(dir, `conninfo_parse-${hash}`);
  if (!existsSync(binary)) {
    mkdirSync(dir, { recursive: true });
    const tmp = `${binary}.${process.pid}.tmp`;
    const r = spawnSync("cc", ["-O1", "-Wall", `-I${include}`, "-o", tmp, SOURCE, "-lpq"], { encoding: "utf8" });
    if (r.status !== 0) return { available: false, reason: `compiling the libpq oracle failed: ${r.stderr.trim()}` };
    renameSync(tmp, binary);
  }
  const v = run(binary, "version", []);
  const num = Number.parseInt(v.trim(), 10);
  if (!Number.isFinite(num)) return { available: false, reason: `oracle did not report PQlibVersion: ${v}` };
  return { available: true, binary, major: Math.floor(num / 10000) };
}

/** The compiled oracle, or why it cannot run (callers skip with that reason printed). */
export function libpqOracle(): Oracle {
  cached ??= compile();
  return cached;
}

let home: string | undefined;

function run(binary: string, mode: string, inputs: readonly string[]): string {
  home ??= mkdtempSync(join(tmpdir(), "dbdoctor-oracle-home-"));
  for (const s of inputs) if (s.includes("\0")) throw new Error("a C string cannot hold NUL");
  const r = spawnSync(binary, [mode], {
    input: Buffer.from(inputs.map((s) => `${s}\0`).join(""), "utf8"),
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", LC_ALL: "C", LANG: "C", HOME: home },
    timeout: 120_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`oracle ${mode} exited ${r.status}: ${r.stderr.toString()}`);
  return r.stdout.toString("utf8");
}

function lines(out: string): unknown[] {
  return out
    .split("\n")
    .filter((l) => l.length > 0)
    .map((l) => JSON.parse(l) as unknown);
}

/** PQconninfoParse on each string; errors without libpq's trailing newline. */
export function oracleParse(binary: string, inputs: readonly string[]): OracleParse[] {
  return (
    lines(run(binary, "parse", inputs)) as Array<{ ok: boolean; params?: Record<string, string>; error?: string }>
  ).map((o) =>
    o.ok ? { ok: true, params: o.params ?? {} } : { ok: false, error: (o.error ?? "").replace(/\n$/, "") },
  );
}

// libpq shows the port string as given (" 5432" stays " 5432"), so the port part is not just digits.
const HOST_PREFIX = /^connection to server (at "[^"]*"(?: \([^)]*\))?, port .*?|on socket "[^"]*") failed: /;
const OPTION_ERROR = /^(invalid |could not match |weak sslmode |negative require_auth |require_auth method )/;

/**
 * PQconnectdb on each string (with `@PORT@` replaced by a local listener that hangs up at once): the first option
 * error libpq reports before or at the start of the first connection attempt, or null when it got as far as the
 * network. A connect_timeout error comes after the host prefix, so the prefix is stripped before classifying.
 */
export function oracleOptionError(binary: string, inputs: readonly string[]): Array<string | null> {
  return (lines(run(binary, "options", inputs)) as Array<{ error: string }>).map((o) => {
    const first = (o.error.split("\n")[0] ?? "").replace(HOST_PREFIX, "");
    return OPTION_ERROR.test(first) ? first : null;
  });
}
