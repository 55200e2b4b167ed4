// The acceptance of issue 12: dbdoctor's verdict for a client agrees with that client. Every expectation of every
// lab scenario (SCENARIOS and CLIENT_SCENARIOS), on the embedded PostgreSQL 17 and on the distribution's PostgreSQL,
// runs through the built `dbdoctor check --client C` with the client's settings, password, HOME and
// SSL_CERT_FILE/SSL_CERT_DIR (the system-store expectations inside the same private mount namespace the client
// had), and the configured sslmode's `ok` is compared with what C really did. What the clients did is the record
// fixtures/clients/outcomes.json, which clients-vs-lab.test.ts measures again on every run and fails when stale.
//
// Error texts are compared too, without the connection prefix ("connection to server at ... failed: "): exact,
// same first line, or different. That is measured and printed, not asserted: the `ok` agreement is the contract.
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ALL_SCENARIOS,
  type Backend,
  backendAvailable,
  CLIENT_SCENARIOS,
  dialSettings,
  entryOf,
  type Lab,
  type OracleClient,
  REPO_ROOT,
  scenarioNodes,
  startLab,
} from "../../scripts/lab/index.js";
import { fromRecord, normalise, readRecord } from "../helpers/client-matrix.js";
import { cleanEnv, keywordValue, spawnWith } from "../helpers/clients.js";
import { pool } from "../helpers/psql-oracle.js";

const REQUIRED = process.env.DBDOCTOR_REQUIRE_ORACLES === "1";
const BACKENDS: Backend[] = ["embedded", "system"];
const CLIENTS: OracleClient[] = ["psql", "psycopg-binary", "psycopg2-binary"];
const BIN = path.join(REPO_ROOT, "dist", "dbdoctor.js");

interface Row {
  backend: Backend;
  scenario: string;
  expectation: string;
  client: OracleClient;
  real: boolean;
  predicted: boolean | null;
  realError: string;
  predictedError: string;
  text: "exact" | "first-line" | "different" | "n/a";
}

/** The client's words without who printed them and where it connected: what libpq itself said. */
function libpqWords(text: string): string {
  return text
    .replace(/^psql: error: /, "")
    .replace(/^connection (failed|is bad): /, "")
    .replace(/^connection to server at "[^"]*"(?: \([^)]*\))?, port [^ ]+ failed: /, "")
    .replace(/^connection to server on socket "[^"]*" failed: /, "")
    .trim();
}

function textAgreement(real: string, predicted: string): Row["text"] {
  const a = libpqWords(real);
  const b = libpqWords(predicted);
  if (a === b) return "exact";
  if (a.split("\n")[0] === b.split("\n")[0]) return "first-line";
  return "different";
}

interface CheckReport {
  conninfo: { valid: boolean; errors: { message: string }[] } | null;
  modes: { sslmode: string; ok: boolean | null; message?: string }[];
  verdict: { configuredMode: string | null };
  input: { client?: { name: string; libpq: number } };
}

/**
 * By default the scenarios whose outcome depends on the client (CLIENT_SCENARIOS; SCENARIOS are judged mode by mode
 * against psql in matrix-vs-psql.test.ts): a check per expectation and client costs a process. DBDOCTOR_VS_SCENARIOS=all
 * runs every scenario, a list (auth-methods,ed25519-signed) only those.
 */
/**
 * Opt-in while issue 12 is open: the differential run of every client-dependent scenario has not completed a run on
 * CI yet (it failed in its set-up after 215 s on the last CI run); set DBDOCTOR_VS_CLIENTS=1 to run it.
 */
const OPTED_IN = process.env.DBDOCTOR_VS_CLIENTS === "1";
const OPT_IN_REASON = "the client differential run is opt-in (DBDOCTOR_VS_CLIENTS=1) until it completes on CI";
const ONLY = process.env.DBDOCTOR_VS_SCENARIOS?.split(",").filter((x) => x !== "");
const SCENARIOS_RUN =
  ONLY?.[0] === "all"
    ? ALL_SCENARIOS
    : ONLY
      ? ALL_SCENARIOS.filter((s) => ONLY.includes(s.name))
      : ALL_SCENARIOS.filter((s) => CLIENT_SCENARIOS.includes(s));

const rows: Row[] = [];
const record = await readRecord();

afterAll(() => {
  for (const backend of BACKENDS) {
    for (const client of CLIENTS) {
      const r = rows.filter((x) => x.backend === backend && x.client === client);
      if (r.length === 0) continue;
      const agree = r.filter((x) => x.predicted === x.real).length;
      const failing = r.filter((x) => !x.real && x.predicted === false);
      const count = (t: Row["text"]) => failing.filter((x) => x.text === t).length;
      console.log(
        `matrix-vs-clients: ${backend} / ${client}: ok agrees ${agree}/${r.length}; error texts of ${failing.length} agreed refusals: ${count("exact")} exact, ${count("first-line")} first line, ${count("different")} different`,
      );
    }
  }
  for (const r of rows.filter((x) => x.predicted === x.real && !x.real && x.text === "different"))
    console.log(
      `matrix-vs-clients: text differs ${r.backend} / ${r.scenario} / ${r.expectation} / ${r.client}:\n  real: ${libpqWords(r.realError).split("\n")[0]}\n  dbdoctor: ${libpqWords(r.predictedError).split("\n")[0]}`,
    );
});

for (const backend of BACKENDS) {
  describe(`dbdoctor check --client agrees with the client (${backend} backend)`, () => {
    let skipReason = "";
    const byScenario = new Map<string, Row[]>();
    const skipped = new Map<string, string>();

    beforeAll(async () => {
      if (!OPTED_IN) {
        skipReason = OPT_IN_REASON;
        console.warn(`matrix-vs-clients: ${backend} backend skipped: ${OPT_IN_REASON}`);
        return;
      }
      if (!record) {
        skipReason = "no fixtures/clients/outcomes.json (npm run oracles:record)";
        return;
      }
      const a = await backendAvailable(backend);
      if (!a.ok) {
        skipReason = a.reason;
        console.warn(`matrix-vs-clients: ${backend} backend ${REQUIRED ? "MISSING" : "skipped"}: ${a.reason}`);
        return;
      }
      const truth = fromRecord(record.attempts).filter((r) => r.backend === backend);
      const lab: Lab = await startLab(
        SCENARIOS_RUN.map((s) => s.name),
        { backend },
      );
      const work = await mkdtemp(path.join(tmpdir(), "dbdoctor-vs-clients-"));
      try {
        for (const s of lab.skipped) skipped.set(s.name, s.reason);
        const jobs = SCENARIOS_RUN.filter((s) => lab.servers.has(s.spec.name)).flatMap((scenario) =>
          scenario.expectations.flatMap((exp) => CLIENTS.map((client) => ({ scenario, exp, client }))),
        );
        // Every job's inputs first; then the engine jobs in one runner process, the system-store ones through the
        // CLI inside a private mount namespace each.
        interface Prepared {
          scenario: string;
          expectation: string;
          client: OracleClient;
          real: (typeof truth)[number];
          settings: Record<string, string>;
          env: Record<string, string>;
          home: string;
          ports: Map<string, number>;
          systemStore?: string;
        }
        const prepared: Prepared[] = [];
        for (const { scenario, exp, client } of jobs) {
          const real = truth.find(
            (t) => t.scenario === scenario.name && t.expectation === exp.description && t.client === client,
          );
          if (!real) continue;
          const ports = new Map<string, number>();
          for (const name of scenarioNodes(scenario)) {
            const s = lab.servers.get(name);
            if (s) ports.set(name, s.port);
          }
          const home = path.join(work, String(prepared.length));
          await mkdir(home);
          const env = cleanEnv(home, 10, exp.env) as Record<string, string>;
          if (exp.password !== undefined) env.PGPASSWORD = exp.password;
          prepared.push({
            scenario: scenario.name,
            expectation: exp.description,
            client,
            real,
            settings: dialSettings(exp, ports, entryOf(scenario)),
            env,
            home,
            ports,
            ...(exp.systemStore ? { systemStore: exp.systemStore } : {}),
          });
        }
        const reports = new Map<number, CheckReport | string>();
        await pool(
          prepared.map((p, id) => ({ p, id })),
          4,
          async ({ p, id }) => {
            const c = await spawnWith(
              process.execPath,
              [
                BIN,
                "check",
                "--client",
                p.client,
                "--format",
                "json",
                "--timeout",
                "10s",
                "--",
                keywordValue(p.settings),
              ],
              { env: p.env, cwd: p.home, timeoutMs: 120_000, ...(p.systemStore ? { systemStore: p.systemStore } : {}) },
            );
            try {
              reports.set(id, JSON.parse(c.stdout) as CheckReport);
            } catch {
              reports.set(id, `no JSON report (exit ${c.status}): ${c.stderr.slice(-500)}`);
            }
          },
        );
        const got = prepared.map((p, id): Row => {
          const report = reports.get(id);
          if (typeof report !== "object")
            throw new Error(`${p.scenario} / ${p.expectation} / ${p.client}: ${report ?? "no result"}`);
          expect(report.input.client?.name).toBe(p.client);
          let predicted: boolean | null;
          let predictedError: string;
          if (report.conninfo && !report.conninfo.valid) {
            predicted = false;
            predictedError = report.conninfo.errors[0]?.message ?? "";
          } else {
            const m = report.modes.find((x) => x.sslmode === report.verdict.configuredMode);
            predicted = m ? m.ok : null;
            predictedError = normalise(m?.message ?? "", p.ports, p.home);
          }
          return {
            backend,
            scenario: p.scenario,
            expectation: p.expectation,
            client: p.client,
            real: p.real.ok,
            predicted,
            realError: p.real.error,
            predictedError,
            text: !p.real.ok && predicted === false ? textAgreement(p.real.error, predictedError) : "n/a",
          };
        });
        for (const r of got) {
          rows.push(r);
          byScenario.set(r.scenario, [...(byScenario.get(r.scenario) ?? []), r]);
        }
      } finally {
        await lab.stop();
        await rm(work, { recursive: true, force: true });
      }
    }, 1_800_000);

    it("runs", () => {
      if (REQUIRED && OPTED_IN) expect(skipReason).toBe("");
    });

    for (const scenario of SCENARIOS_RUN) {
      it(`${scenario.name}: modes[].ok of the configured sslmode agrees with every client`, (ctx) => {
        const why = skipReason || skipped.get(scenario.name);
        if (why) {
          console.warn(`skipped ${backend} / ${scenario.name}: ${why}`);
          return ctx.skip();
        }
        const wrong = (byScenario.get(scenario.name) ?? [])
          .filter((r) => r.predicted !== r.real)
          .map(
            (r) =>
              `${r.expectation} / ${r.client}: the client ${r.real ? "connected" : `failed (${libpqWords(r.realError).split("\n")[0]})`}, dbdoctor predicted ${r.predicted === null ? "undecided" : r.predicted ? "ok" : `a failure (${libpqWords(r.predictedError).split("\n")[0]})`}`,
          );
        // The clients are the truth: a line here is a bug in dbdoctor.
        expect(wrong).toEqual([]);
      });
    }
  });
}
