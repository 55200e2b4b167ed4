// The SQLAlchemy layer against the real thing, where installed: SQLAlchemy's make_url (Debian's python3-sqlalchemy
// 1.4.46; `_parse_url`'s regex and unquote/parse_qsl steps are the same in 2.x), psycopg 3's make_conninfo
// (python3-psycopg) on the kwargs we model, and real libpq's PQconninfoParse on the resulting string.
import { spawnSync } from "node:child_process";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseLibpqConninfo } from "../../../src/conninfo/libpq.js";
import { makeConninfo, parseSqlAlchemyUrl, psycopgConnectArgs } from "../../../src/conninfo/sqlalchemy.js";
import { libpqOracle, oracleParse } from "../../helpers/oracle/libpq-oracle.js";
import { CASES } from "./sqlalchemy-cases.js";

const PYTHON = "/usr/bin/python3";
const probe = spawnSync(PYTHON, ["-c", "import sqlalchemy, psycopg"], { encoding: "utf8" });
const hasPython = probe.status === 0;
if (!hasPython)
  console.warn(
    `skipping the SQLAlchemy/psycopg oracle: ${PYTHON} lacks sqlalchemy or psycopg (apt-get install python3-sqlalchemy python3-psycopg)`,
  );
const oracle = libpqOracle();
if (!oracle.available) console.warn(`skipping the libpq oracle for SQLAlchemy URLs: ${oracle.reason}`);

const PY = `
import json, sys
from sqlalchemy.engine import make_url
from psycopg.conninfo import make_conninfo
out = []
for job in json.load(sys.stdin):
    r = {}
    try:
        u = make_url(job["url"])
        r["url"] = {"drivername": u.drivername, "username": u.username, "password": u.password, "host": u.host,
                    "port": u.port, "database": u.database,
                    "query": {k: (list(v) if isinstance(v, tuple) else v) for k, v in u.query.items()}}
    except Exception as e:
        r["error"] = type(e).__name__
    if job.get("kwargs") is not None:
        kw = {k: (tuple(v) if isinstance(v, list) else v) for k, v in job["kwargs"]}
        try:
            r["conninfo"] = make_conninfo("", **kw)
        except Exception as e:
            r["conninfo_error"] = str(e).strip()
    out.append(r)
json.dump(out, sys.stdout)
`;

const URL_CHARS = [
  ..."abcdefgh09",
  "@",
  ":",
  "/",
  "?",
  "#",
  "%",
  "%40",
  "%2",
  "+",
  "&",
  "=",
  "[",
  "]",
  ",",
  " ",
  "'",
  "\\",
  "é",
];
const urlArb = fc
  .tuple(
    fc.constantFrom("postgresql://", "postgresql+psycopg://", "postgres://", "pg://", "postgresql:/"),
    fc.array(fc.constantFrom(...URL_CHARS, "u", "p", "h", "db", "host=", "port=", "sslmode=", "5432"), {
      maxLength: 20,
    }),
  )
  .map(([scheme, parts]) => scheme + parts.join(""));

function modelled(url: string) {
  const p = parseSqlAlchemyUrl(url);
  if (!p.ok) return { p, kwargs: null };
  const a = psycopgConnectArgs(p.url, {});
  return { p, kwargs: a.ok ? a.kwargs : null };
}

describe("SQLAlchemy + psycopg oracle", () => {
  it.skipIf(!hasPython)("make_url and make_conninfo agree on the fixtures and 500 random URLs", () => {
    const urls = [...CASES.map((c) => c.url), ...fc.sample(urlArb, { numRuns: 500, seed: 7 })];
    const jobs = urls.map((url) => ({ url, kwargs: modelled(url).kwargs }));
    const py = spawnSync(PYTHON, ["-c", PY], { input: JSON.stringify(jobs), encoding: "utf8", maxBuffer: 1 << 26 });
    expect(py.status, py.stderr).toBe(0);
    const got = JSON.parse(py.stdout) as Array<{
      url?: Record<string, unknown>;
      error?: string;
      conninfo?: string;
      conninfo_error?: string;
    }>;
    urls.forEach((url, i) => {
      const o = got[i]!;
      const { p, kwargs } = modelled(url);
      if (!p.ok) {
        expect({ url, error: o.error }).toEqual({ url, error: p.kind === "port" ? "ValueError" : "ArgumentError" });
        return;
      }
      const u = p.url;
      expect({ url, parsed: o.url }).toEqual({
        url,
        parsed: {
          drivername: u.drivername,
          username: u.username,
          password: u.password,
          host: u.host,
          port: u.port,
          database: u.database,
          query: u.query,
        },
      });
      if (kwargs !== null) {
        const ours = makeConninfo(kwargs);
        const libpq = parseLibpqConninfo(ours, 15);
        if (o.conninfo !== undefined) {
          expect({ url, conninfo: ours }).toEqual({ url, conninfo: o.conninfo });
          expect({ url, ok: libpq.ok }).toEqual({ url, ok: true });
        } else {
          // psycopg validates the string with libpq 15 and raises libpq's message.
          expect({ url, error: libpq.ok ? "ok" : libpq.error.message }).toEqual({ url, error: o.conninfo_error });
        }
      }
    });
  });

  it.skipIf(!oracle.available)("real libpq parses every fixture's psycopg string as we do", () => {
    if (!oracle.available) return;
    const strings = CASES.map((c) => modelled(c.url).kwargs)
      .filter((k): k is NonNullable<typeof k> => k !== null)
      .map((k) => makeConninfo(k));
    const real = oracleParse(oracle.binary, strings);
    const major = oracle.major as 15;
    strings.forEach((s, i) => {
      const ours = parseLibpqConninfo(s, major);
      const r = real[i]!;
      expect({ s, ours: ours.ok ? ours.params : ours.error.message }).toEqual({ s, ours: r.ok ? r.params : r.error });
    });
  });
});
