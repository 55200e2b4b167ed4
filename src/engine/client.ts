// Which client the verdicts predict for (model/client.ts): --client / --libpq when given; else SkillFlaw's driver
// (psycopg[binary]) for a value read from SKILLFLAW_DATABASE_URL; else the local psql's libpq when psql is on PATH;
// else libpq 17. The machine's facts (psql's major, the system OpenSSL) are read only when a profile needs them.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { type ClientName, type ClientProfile, clientProfile, type SystemClientFacts } from "../model/client.js";
import type { InputSource } from "../model/input.js";
import { LIBPQ_MAJORS, type LibpqMajor } from "../model/options.js";

/** SkillFlaw reads this variable with SQLAlchemy + psycopg[binary] (reference/skillflaw.md). */
export const SKILLFLAW_VARIABLE = "SKILLFLAW_DATABASE_URL";
/** Debian's (and OpenSSL's own default build's) OPENSSLDIR, when `openssl version -d` cannot say. */
const FALLBACK_OPENSSLDIR = "/usr/lib/ssl";

function quiet(file: string, args: string[]): string | undefined {
  try {
    return execFileSync(file, args, { encoding: "utf8", timeout: 3000, stdio: ["ignore", "pipe", "ignore"] });
  } catch {
    return undefined;
  }
}

/**
 * The local psql's major: "psql (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)" → 15 (Debian's pg_wrapper runs the
 * newest installed client, whose libpq5 is at least that major). 9.x and 10/11 are outside the modelled range.
 */
export function psqlMajorOf(versionLine: string): LibpqMajor | undefined {
  const m = /\(PostgreSQL\)\s+(\d+)/.exec(versionLine);
  const major = m ? Number(m[1]) : Number.NaN;
  return (LIBPQ_MAJORS as readonly number[]).includes(major) ? (major as LibpqMajor) : undefined;
}

/** "OpenSSL 3.0.19 27 Jan 2026" → "3.0.19"; `openssl version -d` → OPENSSLDIR. */
export function parseOpensslVersion(out: string): { version?: string; openssldir?: string } {
  const version = /OpenSSL\s+(\d+\.\d+\.\d+\S*)/.exec(out)?.[1];
  const openssldir = /OPENSSLDIR:\s*"([^"]*)"/.exec(out)?.[1];
  return { ...(version ? { version } : {}), ...(openssldir ? { openssldir } : {}) };
}

let systemFacts: SystemClientFacts | undefined;
let psqlFacts: { major?: LibpqMajor; found: boolean } | undefined;

function localPsql(): { major?: LibpqMajor; found: boolean } {
  if (!psqlFacts) {
    const out = quiet("psql", ["--version"]);
    const major = out ? psqlMajorOf(out) : undefined;
    psqlFacts = { found: out !== undefined, ...(major ? { major } : {}) };
  }
  return psqlFacts;
}

/** The system OpenSSL (version and OPENSSLDIR) and the local psql's major: what psql and libpq-N run with. */
export function detectSystem(): SystemClientFacts {
  if (!systemFacts) {
    const o = parseOpensslVersion(quiet("openssl", ["version", "-v", "-d"]) ?? "");
    const psql = localPsql();
    systemFacts = {
      exists: existsSync,
      openssldir: o.openssldir ?? FALLBACK_OPENSSLDIR,
      ...(o.version ? { openssl: o.version } : {}),
      ...(psql.major ? { psqlMajor: psql.major } : {}),
    };
  }
  return systemFacts;
}

/** The default client for a value from `source`, and why. */
export function defaultClient(
  source: InputSource,
  psql: () => { found: boolean; major?: LibpqMajor },
): { name: ClientName; because: string } {
  if ((source.kind === "env" || source.kind === "env-file") && source.variable === SKILLFLAW_VARIABLE)
    return { name: "psycopg-binary", because: `${SKILLFLAW_VARIABLE} is read by SkillFlaw's driver, psycopg[binary]` };
  const p = psql();
  if (p.found && p.major) return { name: "psql", because: `psql ${p.major} is on PATH` };
  return { name: "libpq-17", because: "no --client, and no psql on PATH" };
}

/** A wheel brings its own OpenSSL: nothing of the machine's is needed but whether paths exist. */
const WHEEL_SYSTEM: SystemClientFacts = { openssldir: FALLBACK_OPENSSLDIR, exists: existsSync };

/** The profile the run predicts for. `explicit` is --client (or --libpq N). */
export function chooseClient(
  explicit: ClientName | undefined,
  source: InputSource,
  env: Readonly<Record<string, string | undefined>>,
): ClientProfile {
  if (explicit) {
    const wheel = explicit === "psycopg-binary" || explicit === "psycopg2-binary";
    return clientProfile(explicit, wheel ? WHEEL_SYSTEM : detectSystem(), env, "--client");
  }
  const d = defaultClient(source, localPsql);
  const wheel = d.name === "psycopg-binary";
  return clientProfile(d.name, wheel ? WHEEL_SYSTEM : detectSystem(), env, d.because);
}
