// The sslmode matrix must agree with libpq: for every lab scenario, several client settings and all six
// sslmodes, dbdoctor's modes[].ok is compared with what psql (real libpq) does with the same settings and HOME.
import { chmod, copyFile, mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  certPath,
  LAB_PASSWORD,
  type Lab,
  psqlMajor,
  ROOT_AND_INTERMEDIATE,
  SCENARIOS,
  type Scenario,
  startLab,
} from "../../scripts/lab/index.js";
import type { LibpqMajor } from "../../src/model/options.js";
import { SSL_MODES, type SslMode } from "../../src/model/sslmode.js";
import { runMatrix } from "../../src/modes/matrix.js";
import { pool, psqlWithHome } from "../helpers/psql-oracle.js";

interface Variant {
  name: string;
  settings: Record<string, string>;
  user: string;
  password?: string;
  /** Put this file at $HOME/.postgresql/root.crt (libpq's default root file). */
  homeRoot?: string;
}

const ROOT = certPath("root-ca.crt");
const OTHER = certPath("other-ca.crt");

function variantsFor(s: Scenario, looseKey: string): Variant[] {
  const certUser = s.spec.users.find((u) => u.method === "cert");
  const pwUser = s.spec.users.find((u) => u.password !== undefined);
  const out: Variant[] = [];
  if (pwUser) {
    const u = pwUser.name;
    const p = pwUser.password;
    out.push(
      { name: "no root, localhost", settings: { host: "localhost" }, user: u, password: p },
      { name: "root, localhost", settings: { host: "localhost", sslrootcert: ROOT }, user: u, password: p },
      { name: "root, 127.0.0.1", settings: { host: "127.0.0.1", sslrootcert: ROOT }, user: u, password: p },
      { name: "wrong CA", settings: { host: "localhost", sslrootcert: OTHER }, user: u, password: p },
      {
        name: "root+intermediate",
        settings: { host: "localhost", sslrootcert: ROOT_AND_INTERMEDIATE },
        user: u,
        password: p,
      },
      {
        name: "wrong password",
        settings: { host: "localhost", sslrootcert: ROOT },
        user: u,
        password: "not-the-password",
      },
      { name: "no password", settings: { host: "localhost", sslrootcert: ROOT }, user: u },
      { name: "default ~/.postgresql/root.crt", settings: { host: "localhost" }, user: u, password: p, homeRoot: ROOT },
      { name: "wrong default root.crt", settings: { host: "localhost" }, user: u, password: p, homeRoot: OTHER },
      {
        name: "TLS 1.2 max",
        settings: { host: "localhost", sslrootcert: ROOT, ssl_max_protocol_version: "TLSv1.2" },
        user: u,
        password: p,
      },
    );
  }
  const clientUser = certUser?.name ?? (s.name.startsWith("client-cert") ? pwUser?.name : undefined);
  if (clientUser) {
    const pw = certUser ? undefined : LAB_PASSWORD;
    const cc = (name: string, key = certPath(`${name}.key`)) => ({
      host: "localhost",
      sslrootcert: ROOT,
      sslcert: certPath(`${name}.crt`),
      sslkey: key,
    });
    out.push(
      { name: "client cert good", settings: cc("client-good"), user: clientUser, ...(pw ? { password: pw } : {}) },
      {
        name: "client cert other CN",
        settings: cc("client-other-cn"),
        user: clientUser,
        ...(pw ? { password: pw } : {}),
      },
      {
        name: "client cert expired",
        settings: cc("client-expired"),
        user: clientUser,
        ...(pw ? { password: pw } : {}),
      },
      {
        name: "client cert untrusted",
        settings: cc("client-untrusted"),
        user: clientUser,
        ...(pw ? { password: pw } : {}),
      },
      {
        name: "client key 0644",
        settings: cc("client-good", looseKey),
        user: clientUser,
        ...(pw ? { password: pw } : {}),
      },
    );
  }
  return out;
}

interface Row {
  scenario: string;
  variant: string;
  mode: SslMode;
  psql: boolean;
  dbdoctor: boolean | null;
  psqlError: string;
  dbdoctorMessage: string | undefined;
}

describe("sslmode matrix agrees with libpq (psql)", () => {
  let lab: Lab;
  let major: LibpqMajor;
  let work: string;
  const rows: Row[] = [];

  beforeAll(async () => {
    major = (await psqlMajor()) as LibpqMajor;
    lab = await startLab(SCENARIOS.filter((s) => !s.minMajor || s.minMajor <= 17).map((s) => s.name));
    work = await mkdtemp(join(tmpdir(), "dbdoctor-matrix-"));
  }, 180_000);

  afterAll(async () => {
    await lab?.stop();
    if (work) await rm(work, { recursive: true, force: true });
    const agree = rows.filter((r) => r.psql === r.dbdoctor).length;
    const ok = rows.filter((r) => r.psql).length;
    console.log(
      `matrix vs psql ${major}: ${agree}/${rows.length} mode verdicts agree (${ok} sessions, ${rows.length - ok} refusals)`,
    );
  });

  it("every scenario, variant and sslmode", async () => {
    const looseKey = join(work, "client-good-0644.key");
    await copyFile(certPath("client-good.key"), looseKey);
    await chmod(looseKey, 0o644);
    // Round-robin over servers so that concurrent cases hit different servers: each lab server has only
    // max_connections=20, and one case opens up to twelve sessions.
    const perServer = [...lab.servers.values()].map((server) => {
      const scenario = SCENARIOS.find((s) => s.name === server.name) as Scenario;
      return variantsFor(scenario, looseKey).map((v) => ({ server, scenario, v }));
    });
    const longest = Math.max(...perServer.map((c) => c.length));
    const cases = Array.from({ length: longest }, (_, i) => perServer.flatMap((c) => (c[i] ? [c[i]] : []))).flat();
    await pool(cases, 3, async ({ server, scenario, v }) => {
      const home = await mkdtemp(join(work, "home-"));
      if (v.homeRoot) {
        await mkdir(join(home, ".postgresql"), { recursive: true });
        await copyFile(v.homeRoot, join(home, ".postgresql", "root.crt"));
      }
      const target = { host: v.settings.host ?? "127.0.0.1", port: server.port };
      const values: Record<string, string | undefined> = {
        ...v.settings,
        port: String(server.port),
        user: v.user,
        dbname: "postgres",
        password: v.password,
      };
      const matrix = await runMatrix({
        values,
        hosts: [{ host: target.host, port: String(server.port), kind: target.host === "localhost" ? "dns" : "ip" }],
        configuredMode: null,
        home,
        major,
        timeoutMs: 5000,
        authProbe: "all",
        optionErrorFor: () => null,
        osUser: "root",
      });
      const oracle = await Promise.all(
        SSL_MODES.map((mode) => psqlWithHome(target, { ...v.settings, sslmode: mode }, v.user, home, v.password)),
      );
      SSL_MODES.forEach((mode, i) => {
        const run = matrix.runs.find((r) => r.result.sslmode === mode);
        rows.push({
          scenario: scenario.name,
          variant: v.name,
          mode,
          psql: oracle[i]?.ok ?? false,
          dbdoctor: run?.result.ok ?? null,
          psqlError: oracle[i]?.stderr ?? "",
          dbdoctorMessage: run?.result.message,
        });
      });
    });
    const disagreements = rows.filter((r) => r.psql !== r.dbdoctor);
    for (const d of disagreements) {
      console.log(
        `DISAGREE ${d.scenario} / ${d.variant} / ${d.mode}: psql=${d.psql} (${d.psqlError}) dbdoctor=${d.dbdoctor} (${d.dbdoctorMessage})`,
      );
    }
    expect(rows.length).toBeGreaterThan(500);
    // Both outcomes must be well represented, or agreement would prove little.
    expect(rows.filter((r) => r.psql).length).toBeGreaterThan(150);
    expect(rows.filter((r) => !r.psql).length).toBeGreaterThan(150);
    expect(disagreements).toEqual([]);
  }, 600_000);
});
