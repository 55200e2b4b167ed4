// The real clients judge the lab's declarations: every scenario's expectations (SCENARIOS and CLIENT_SCENARIOS)
// run through psql (the distribution's libpq), psycopg[binary] and psycopg2-binary (their bundled libpq and
// OpenSSL), on the embedded PostgreSQL 17 and on the distribution's PostgreSQL (the `system` backend). A client
// that contradicts a declaration means the declaration is wrong. Nothing of dbdoctor is judged here.
//
// What the clients said is also recorded in fixtures/clients/outcomes.json (npm run oracles:record), so unit
// tests can check predicted texts per client without the clients; this test fails when that record is stale.
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ALL_SCENARIOS, backendAvailable, type Lab, type OracleClient, startLab } from "../../scripts/lab/index.js";
import {
  fromRecord,
  type JudgedOutcome,
  RECORD_FILE,
  readRecord,
  runScenarios,
  serverFacts,
  staleness,
} from "../helpers/client-matrix.js";
import { type ClientInfo, oracleClients, oracleVenv, stopClientWorkers } from "../helpers/clients.js";

/** Set by .ci/run: there the clients and both backends must be present, never skipped. */
const REQUIRED = process.env.DBDOCTOR_REQUIRE_ORACLES === "1";
const BACKENDS = ["embedded", "system"] as const;

const availability = await oracleClients();
const clients: ClientInfo[] = availability.flatMap((a) => (a.ok ? [a.info] : []));
const missing = availability.flatMap((a) => (a.ok ? [] : [{ client: a.client, reason: a.reason }]));
for (const m of missing) {
  console.warn(`clients-vs-lab: ${m.client} ${REQUIRED ? "MISSING" : "skipped"}: ${m.reason}`);
}
for (const c of clients) console.log(`clients-vs-lab: ${c.client}: ${c.version}, libpq ${c.libpq}, ${c.openssl}`);

/** The machine's own trust store, which the system-store scenario must never change (it uses a private mount). */
const MACHINE_STORE = "/etc/ssl/certs/ca-certificates.crt";
const storeHash = (): string =>
  existsSync(MACHINE_STORE) ? createHash("sha256").update(readFileSync(MACHINE_STORE)).digest("hex") : "absent";
const storeBefore = storeHash();

const rows: JudgedOutcome[] = [];
const timings: string[] = [];

afterAll(() => {
  stopClientWorkers();
  for (const t of timings) console.log(`clients-vs-lab: ${t}`);
  for (const c of clients) {
    const judged = rows.filter((r) => r.client === c.client && r.judged);
    const held = judged.filter((r) => !r.disagreement).length;
    console.log(
      `clients-vs-lab: ${c.client}: ${held}/${judged.length} declarations hold (${judged.filter((r) => r.ok).length} sessions, ${judged.filter((r) => !r.ok).length} refusals)`,
    );
  }
});

describe("the oracle clients", () => {
  it("are all present where they are required", () => {
    // Outside CI a missing venv is a printed skip (above); in CI it is a failure.
    if (REQUIRED) expect(missing).toEqual([]);
    expect(clients.map((c) => c.client)).toContain("psql");
  });

  it("report the libpq and OpenSSL their outcomes depend on", () => {
    for (const c of clients) {
      expect(c.libpq, c.client).toBeGreaterThanOrEqual(120000);
      expect(c.openssl, c.client).toMatch(/^OpenSSL \d+\.\d+\.\d+/);
    }
    const wheel = clients.find((c) => c.client === "psycopg-binary");
    if (wheel) {
      // The point of the wheel: its own libpq (18) and OpenSSL, whose default store is a build-machine path.
      expect(Math.floor(wheel.libpq / 10000)).toBeGreaterThanOrEqual(18);
      expect(wheel.openssldir).not.toContain("/usr/lib/ssl");
    }
    if (!REQUIRED && missing.length > 0)
      console.warn(`clients-vs-lab: make the venv with test/helpers/oracle/venv.sh (${oracleVenv()})`);
  });
});

for (const backend of BACKENDS) {
  describe(`${backend} backend`, () => {
    let skipReason = "";
    const skipped = new Map<string, string>();
    const byScenario = new Map<string, JudgedOutcome[]>();

    // All attempts of the backend in one pool (no scenario waits for another's slowest attempt), then the lab
    // stops before the next backend starts; the tests below judge what was measured.
    beforeAll(async () => {
      const a = await backendAvailable(backend);
      if (!a.ok) {
        skipReason = a.reason;
        console.warn(`clients-vs-lab: ${backend} backend ${REQUIRED ? "MISSING" : "skipped"}: ${a.reason}`);
        return;
      }
      const facts = await serverFacts(backend);
      const t0 = performance.now();
      // startLab skips (with the reason) what this backend's major cannot host.
      const lab: Lab = await startLab(
        ALL_SCENARIOS.map((s) => s.name),
        { backend },
      );
      const t1 = performance.now();
      try {
        for (const s of lab.skipped) skipped.set(s.name, s.reason);
        const got = await runScenarios(lab, backend, ALL_SCENARIOS, clients);
        rows.push(...got);
        for (const r of got) byScenario.set(r.scenario, [...(byScenario.get(r.scenario) ?? []), r]);
      } finally {
        const t2 = performance.now();
        await lab.stop();
        timings.push(
          `${backend} backend (PostgreSQL ${facts.version}, ${facts.openssl}): ${lab.servers.size} servers up in ${Math.round(t1 - t0)} ms, ${rows.filter((r) => r.backend === backend).length} attempts in ${Math.round(t2 - t1)} ms, servers down in ${Math.round(performance.now() - t2)} ms`,
        );
      }
    }, 900_000);

    it("runs", () => {
      if (REQUIRED) expect(skipReason).toBe("");
    });

    for (const scenario of ALL_SCENARIOS) {
      it(`${scenario.name}: every declaration holds for every client`, (ctx) => {
        const why = skipReason || skipped.get(scenario.name);
        if (why) {
          console.warn(`skipped ${backend} / ${scenario.name}: ${why}`);
          return ctx.skip();
        }
        const got = byScenario.get(scenario.name) ?? [];
        expect(got.length).toBe(scenario.expectations.length * clients.length);
        const wrong = got
          .filter((r) => r.disagreement)
          .map(
            (r) =>
              `${r.expectation} / ${r.client}: ${r.disagreement}${r.expected.why ? ` (declared because: ${r.expected.why})` : ""}`,
          );
        // The clients are the truth: a line here is a wrong declaration in scripts/lab/*scenarios.ts.
        expect(wrong).toEqual([]);
      });
    }
  });
}

describe("the machine", () => {
  it("keeps its own trust store: the system-store attempts changed it only inside their private mount", () => {
    expect(storeHash()).toBe(storeBefore);
    expect(rows.some((r) => r.systemStore !== undefined) || rows.length === 0).toBe(true);
  });
});

describe(`the record of what the clients said (${RECORD_FILE})`, () => {
  it("is current: same ok and first line of the error for every attempt measured now (npm run oracles:record)", async (ctx) => {
    const record = await readRecord();
    expect(record, `no record at ${RECORD_FILE}: run npm run oracles:record`).toBeDefined();
    if (!record) return;
    if (rows.length === 0) {
      console.warn("skipped: no attempt ran");
      return ctx.skip();
    }
    for (const c of clients) {
      const was = record.clients[c.client];
      expect({ client: c.client, libpq: was?.libpq, openssl: was?.openssl }).toEqual({
        client: c.client,
        libpq: c.libpq,
        openssl: c.openssl,
      });
    }
    const stale = staleness(rows, fromRecord(record.attempts));
    if (stale.length > 0) console.log(`record is stale; run npm run oracles:record:\n${stale.join("\n")}`);
    expect(stale).toEqual([]);
    // Every client and both backends are in the record, even where this run had to skip one.
    const inRecord = new Set(fromRecord(record.attempts).map((r) => `${r.backend}/${r.client}`));
    for (const b of BACKENDS) {
      for (const c of ["psql", "psycopg-binary", "psycopg2-binary"] satisfies OracleClient[]) {
        expect(inRecord.has(`${b}/${c}`), `${b}/${c}`).toBe(true);
      }
    }
  });
});
