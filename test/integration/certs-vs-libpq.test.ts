// The offline verdict of `dbdoctor certs --server-cert F --host H` against real libpq: a PostgreSQL server is
// started with each generated server certificate and psql (libpq 15 here) connects under the same settings.
// The only thing that may differ is nothing: a disagreement is a bug in dbdoctor.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureCerts } from "../../scripts/gen-certs.js";
import {
  backendAvailable,
  certPath,
  type LabServer,
  psqlConnect,
  psqlMajor,
  startServer,
} from "../../scripts/lab/index.js";
import type { CommonOptions } from "../../src/cli/options.js";
import { runCerts } from "../../src/engine/certs.js";
import type { LibpqMajor } from "../../src/model/options.js";
import { runFilesStage } from "../../src/pki/stage.js";
import { CLIENT_SECURITY_LEVEL } from "../../src/rules/certs/policy.js";
import { oracleClients, runAttempt, stopClientWorkers } from "../helpers/clients.js";

interface Case {
  name: string;
  settings: Record<string, string>;
  /** Put this file at $HOME/.postgresql/root.crt for both psql and dbdoctor. */
  homeRoot?: string;
}

const C = (f: string) => certPath(f);
const BUNDLES = join(process.cwd(), "fixtures", "bundles");

/** Root files in shapes OpenSSL's PEM reader treats differently, made from the lab root (and other-ca). */
const PEM_SHAPES = [
  "indented",
  "indented-body",
  "indented-end",
  "commented",
  "bad-base64",
  "no-end",
  "one-line",
  "crlf",
  "good-then-indented",
  "indented-then-good",
  "header-line",
  "blank-inside",
  "tab-body",
  "mismatched-end",
  "truncated-then-good",
  "bom",
  "long-line",
  "line-254",
  "empty-block",
  "key-then-cert",
] as const;
const pemShape = (name: string) => join(work, `shape-${name}.crt`);

function writePemShapes(): void {
  const root = readFileSync(C("root-ca.crt"), "utf8");
  const other = readFileSync(C("other-ca.crt"), "utf8");
  const lines = root.trimEnd().split("\n");
  const body = lines.slice(1, -1);
  const [begin, end] = [lines[0] as string, lines[lines.length - 1] as string];
  const join64 = body.join("");
  const shapes: Record<(typeof PEM_SHAPES)[number], string | Buffer> = {
    indented: root.replace(/^/gm, "    ").trimEnd(),
    "indented-body": [begin, ...body.map((l) => `  ${l}`), end, ""].join("\n"),
    "indented-end": [begin, ...body, `  ${end}`, ""].join("\n"),
    commented: `# Issuer: CN=other\n# Label: "other"\n${other}\n# Subject: CN=root\nSome text\n${root}`,
    "bad-base64": [begin, `#${(body[0] as string).slice(1)}`, ...body.slice(1), end, ""].join("\n"),
    "no-end": [begin, ...body, ""].join("\n"),
    "one-line": `${begin}${join64}${end}\n`,
    crlf: root.replace(/\n/g, "\r\n"),
    "good-then-indented": root + other.replace(/^(?=.)/gm, "  "),
    "indented-then-good": other.replace(/^(?=.)/gm, "  ") + root,
    "header-line": [begin, "Foo: bar", ...body, end, ""].join("\n"),
    "blank-inside": [begin, ...body.slice(0, 2), "", ...body.slice(2), end, ""].join("\n"),
    "tab-body": [begin, ...body.map((l) => `\t${l}`), end, ""].join("\n"),
    "mismatched-end": [begin, ...body, "-----END X509 CRL-----", ""].join("\n"),
    "truncated-then-good": other.trimEnd().split("\n").slice(0, -1).join("\n") + "\n" + root,
    bom: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(root)]),
    "long-line": `${begin}\n${join64}\n${end}\n`,
    "line-254": `${begin}\n${join64.slice(0, 254)}\n\n${join64.slice(254)}\n${end}\n`,
    "empty-block": `${root}-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n`,
    "key-then-cert": readFileSync(C("client-good.key"), "utf8") + root,
  };
  for (const name of PEM_SHAPES) writeFileSync(pemShape(name), shapes[name]);
  for (const b of ["rds-ca-bundle.pem", "certifi-cacert.pem", "debian-ca-certificates.crt"])
    writeFileSync(join(work, `${b}+root.crt`), readFileSync(join(BUNDLES, b), "utf8") + root);
}
let work: string;
const bundle = () => join(work, "root+intermediate.crt");

function casesFor(server: string): Case[] {
  const out: Case[] = [];
  for (const sslmode of ["verify-ca", "verify-full"])
    for (const host of ["localhost", "127.0.0.1"])
      out.push({ name: `${sslmode} ${host}`, settings: { sslmode, host, sslrootcert: C("root-ca.crt") } });
  const extra = (name: string, settings: Record<string, string>) =>
    out.push({ name, settings: { host: "localhost", ...settings } });
  switch (server) {
    case "server-good":
      extra("require + root", { sslmode: "require", sslrootcert: C("root-ca.crt") });
      extra("require + other root", { sslmode: "require", sslrootcert: C("other-ca.crt") });
      extra("require, no root", { sslmode: "require", sslrootcert: join(work, "nonexistent.crt") });
      extra("verify-ca, root file missing", { sslmode: "verify-ca", sslrootcert: join(work, "nonexistent.crt") });
      extra("verify-ca, intermediate as root", { sslmode: "verify-ca", sslrootcert: C("intermediate-ca.crt") });
      extra("verify-ca + root.crl", { sslmode: "verify-ca", sslrootcert: C("root-ca.crt"), sslcrl: C("root.crl") });
      extra("verify-ca + other-ca.crl", {
        sslmode: "verify-ca",
        sslrootcert: C("root-ca.crt"),
        sslcrl: C("other-ca.crl"),
      });
      extra("verify-ca + stale crl", {
        sslmode: "verify-ca",
        sslrootcert: C("root-ca.crt"),
        sslcrl: C("root-stale.crl"),
      });
      extra("verify-ca + crldir", { sslmode: "verify-ca", sslrootcert: C("root-ca.crt"), sslcrldir: C("crldir") });
      extra("verify-ca + missing crldir", {
        sslmode: "verify-ca",
        sslrootcert: C("root-ca.crt"),
        sslcrldir: join(work, "no-such-dir"),
      });
      extra("verify-ca + DER root", { sslmode: "verify-ca", sslrootcert: join(work, "root-ca.der") });
      // PEM shapes OpenSSL's reader accepts or refuses (src/pki/pem-read.ts), and real public bundles.
      for (const name of PEM_SHAPES)
        extra(`verify-ca, root file ${name}`, { sslmode: "verify-ca", sslrootcert: pemShape(name) });
      for (const b of ["rds-ca-bundle.pem", "certifi-cacert.pem", "debian-ca-certificates.crt"])
        extra(`verify-full, ${b} + lab root`, { sslmode: "verify-full", sslrootcert: join(work, `${b}+root.crt`) });
      extra("verify-ca, the RDS bundle alone", {
        sslmode: "verify-ca",
        sslrootcert: join(BUNDLES, "rds-ca-bundle.pem"),
      });
      extra("verify-ca, indented DigiCert root", {
        sslmode: "verify-ca",
        sslrootcert: join(BUNDLES, "digicert-global-root-g2-indented.pem"),
      });
      extra("verify-ca + root.crl + missing crldir", {
        sslmode: "verify-ca",
        sslrootcert: C("root-ca.crt"),
        sslcrl: C("root.crl"),
        sslcrldir: join(work, "no-such-dir"),
      });
      extra("verify-full, host db.wrong.example", {
        sslmode: "verify-full",
        sslrootcert: C("root-ca.crt"),
        host: "db.wrong.example",
      });
      extra("verify-full, host ::1", { sslmode: "verify-full", sslrootcert: C("root-ca.crt"), host: "::1" });
      extra("verify-full, host 127.1", { sslmode: "verify-full", sslrootcert: C("root-ca.crt"), host: "127.1" });
      out.push({
        name: "require + default ~/.postgresql/root.crt = other-ca",
        settings: { sslmode: "require", host: "localhost" },
        homeRoot: C("other-ca.crt"),
      });
      break;
    case "server-self-signed":
      extra("verify-full, itself as root", { sslmode: "verify-full", sslrootcert: C("server-self-signed.crt") });
      extra("verify-full 127.0.0.1, itself as root", {
        sslmode: "verify-full",
        sslrootcert: C("server-self-signed.crt"),
        host: "127.0.0.1",
      });
      extra("require, no root", { sslmode: "require", sslrootcert: join(work, "nonexistent.crt") });
      break;
    case "server-intermediate":
      extra("verify-ca, intermediate as root", { sslmode: "verify-ca", sslrootcert: C("intermediate-ca.crt") });
      extra("verify-ca, root+intermediate", { sslmode: "verify-ca", sslrootcert: bundle() });
      break;
    case "server-intermediate-chain":
      extra("verify-ca + root.crl (no CRL for the intermediate)", {
        sslmode: "verify-ca",
        sslrootcert: C("root-ca.crt"),
        sslcrl: C("root.crl"),
      });
      extra("verify-ca + crldir (root and intermediate CRLs)", {
        sslmode: "verify-ca",
        sslrootcert: C("root-ca.crt"),
        sslcrldir: C("crldir"),
      });
      extra("verify-ca, intermediate as root", { sslmode: "verify-ca", sslrootcert: C("intermediate-ca.crt") });
      break;
    case "server-revoked":
      extra("verify-ca + root.crl", { sslmode: "verify-ca", sslrootcert: C("root-ca.crt"), sslcrl: C("root.crl") });
      extra("verify-ca + crldir", { sslmode: "verify-ca", sslrootcert: C("root-ca.crt"), sslcrldir: C("crldir") });
      extra("verify-ca + missing sslcrl + crldir", {
        sslmode: "verify-ca",
        sslrootcert: C("root-ca.crt"),
        sslcrl: join(work, "nonexistent.crl"),
        sslcrldir: C("crldir"),
      });
      extra("require + root.crl", { sslmode: "require", sslrootcert: C("root-ca.crt"), sslcrl: C("root.crl") });
      break;
    case "server-expired":
      extra("require, no root", { sslmode: "require", sslrootcert: join(work, "nonexistent.crt") });
      break;
    case "server-brainpool":
      extra("require, no root: the handshake itself fails", {
        sslmode: "require",
        sslrootcert: join(work, "nonexistent.crt"),
      });
      break;
    case "server-v3-noext-root":
      extra("verify-ca, the v3 root without extensions", { sslmode: "verify-ca", sslrootcert: C("root-v3-noext.crt") });
      extra("verify-full, the v3 root without extensions", {
        sslmode: "verify-full",
        sslrootcert: C("root-v3-noext.crt"),
      });
      break;
    case "server-expired-ca":
      extra("verify-ca, expired root", { sslmode: "verify-ca", sslrootcert: C("expired-root-ca.crt") });
      break;
    case "server-untrusted":
      extra("verify-full, other-ca as root", { sslmode: "verify-full", sslrootcert: C("other-ca.crt") });
      break;
    case "server-wildcard":
      for (const h of ["db.lab.test", "DB.Lab.Test", "a.b.lab.test", "lab.test"])
        extra(`verify-full ${h}`, { sslmode: "verify-full", sslrootcert: C("root-ca.crt"), host: h });
      break;
    case "server-cn-only":
      extra("verify-full LOCALHOST", { sslmode: "verify-full", sslrootcert: C("root-ca.crt"), host: "LOCALHOST" });
      break;
  }
  return out;
}

const SERVERS: { name: string; cert: string; key: string }[] = [
  "server-good",
  "server-cn-only",
  "server-dns-only",
  "server-wildcard",
  "server-wrong-host",
  "server-expired",
  "server-not-yet-valid",
  "server-self-signed",
  "server-intermediate",
  "server-sha1",
  "server-rsa1024",
  "server-ecdsa",
  "server-ed25519",
  "server-revoked",
  "server-expired-ca",
  "server-untrusted",
  "server-v3-noext-root",
  "server-brainpool",
  "server-expiring",
  "server-ed25519-signed",
].map((n) => ({ name: n, cert: `${n}.crt`, key: `${n}.key` }));
SERVERS.push({
  name: "server-no-bc-intermediate-chain",
  cert: "server-no-bc-intermediate-chain.crt",
  key: "server-no-bc-intermediate.key",
});
SERVERS.push({
  name: "server-intermediate-chain",
  cert: "server-intermediate-chain.crt",
  key: "server-intermediate.key",
});

const COMMON: CommonOptions = {
  format: "json",
  output: undefined,
  failOn: "error",
  timeoutMs: 5000,
  deadlineMs: 15000,
  offline: true,
  urlStyle: "libpq",
  libpq: 15,
  authProbe: "none",
  color: false,
  verbose: false,
};

const hasPsql = spawnSync("psql", ["--version"]).status === 0;
let available = hasPsql;
let skipReason = hasPsql ? "" : "psql is not installed";

interface Outcome {
  server: string;
  case: string;
  psqlOk: boolean;
  psqlError: string;
  /** psycopg[binary] (libpq 18, OpenSSL 3.5) on the same case; null when its venv is not there. */
  psycopgOk: boolean | null;
  psycopgError: string;
  dbdoctorOk: boolean;
  dbdoctorWhy: string;
}
const outcomes: Outcome[] = [];

/** psycopg[binary] as a second oracle where test/helpers/oracle/venv.sh made its venv (else psql alone, said so). */
let psycopg = false;

beforeAll(async () => {
  if (!available) return;
  const clients = await oracleClients();
  const py = clients.find((c) => c.ok && c.info.client === "psycopg-binary");
  psycopg = py !== undefined;
  if (!psycopg) console.warn("certs-vs-libpq: psycopg[binary] not available (npm run oracles:venv), psql only");
  const a = await backendAvailable("embedded");
  if (!a.ok) {
    available = false;
    skipReason = a.reason;
    return;
  }
  await ensureCerts();
  work = mkdtempSync(join(tmpdir(), "dbdoctor-certs-vs-libpq-"));
  writeFileSync(bundle(), readFileSync(C("root-ca.crt"), "utf8") + readFileSync(C("intermediate-ca.crt"), "utf8"));
  const der = spawnSync("openssl", [
    "x509",
    "-in",
    C("root-ca.crt"),
    "-outform",
    "DER",
    "-out",
    join(work, "root-ca.der"),
  ]);
  if (der.status !== 0) throw new Error("openssl x509 -outform DER failed");
  writePemShapes();
}, 120_000);

afterAll(() => {
  stopClientWorkers();
  if (work) rmSync(work, { recursive: true, force: true });
  if (outcomes.length > 0) {
    // Kept for the record (and the report's figures): every case, both verdicts, libpq's message.
    writeFileSync(join(tmpdir(), "dbdoctor-certs-vs-libpq.json"), JSON.stringify(outcomes, null, 2));
    const agreed = outcomes.filter((o) => o.psqlOk === o.dbdoctorOk).length;
    console.log(`certs-vs-libpq: ${outcomes.length} cases compared with psql, ${agreed} agreed`);
    const withPy = outcomes.filter((o) => o.psycopgOk !== null);
    if (withPy.length > 0)
      console.log(
        `certs-vs-libpq: ${withPy.length} cases compared with psycopg[binary], ${withPy.filter((o) => o.psycopgOk === o.dbdoctorOk).length} agreed`,
      );
  }
});

async function dbdoctorVerdict(c: Case, serverCert: string): Promise<{ ok: boolean; why: string }> {
  const s = c.settings;
  if (c.homeRoot) {
    // libpq's default root file: run the stage with a HOME holding ~/.postgresql/root.crt.
    const home = mkdtempSync(join(work, "home-"));
    mkdirSync(join(home, ".postgresql"));
    writeFileSync(join(home, ".postgresql", "root.crt"), readFileSync(c.homeRoot));
    const { result } = await runFilesStage(
      {
        sslmode: { value: s.sslmode ?? "prefer", source: "connstring" },
        host: { value: s.host ?? "", source: "connstring" },
      },
      {
        libpq: 15,
        now: new Date(),
        securityLevel: CLIENT_SECURITY_LEVEL,
        env: { HOME: home },
        serverCertFile: serverCert,
        host: s.host ?? "",
      },
    );
    if (result.status !== "completed" || !result.value.server) throw new Error("files stage did not complete");
    return {
      ok: result.value.server.accepted,
      why: result.value.server.chainMessage ?? result.value.server.hostnameMessage ?? "",
    };
  }
  const report = await runCerts(
    {
      serverCert,
      host: s.host,
      sslmode: s.sslmode,
      sslrootcert: s.sslrootcert,
      sslcrl: s.sslcrl,
      sslcrldir: s.sslcrldir,
      warnDays: 30,
    },
    COMMON,
  );
  if (report.files.status !== "completed" || !report.files.value.server) throw new Error("certs did not complete");
  const sv = report.files.value.server;
  return { ok: sv.accepted, why: sv.handshakeMessage ?? sv.chainMessage ?? sv.hostnameMessage ?? "" };
}

describe("dbdoctor certs agrees with libpq (psql) on every generated server certificate", () => {
  it("libpq is 15 here, as the comparison models", async () => {
    if (!available) {
      console.warn(`skipping certs-vs-libpq: ${skipReason}`);
      return;
    }
    expect(await psqlMajor()).toBe(15 satisfies LibpqMajor);
  });

  for (const srv of SERVERS) {
    it(`${srv.name}`, async (ctx) => {
      if (!available) {
        console.warn(`skipping ${srv.name}: ${skipReason}`);
        ctx.skip();
        return;
      }
      // Every generated certificate starts a server here; one that does not is a failure of the lab or the
      // generator, never a case to skip (that once hid a lab that could not run at all).
      const server: LabServer = await startServer({
        name: `certs-${srv.name}`,
        ssl: true,
        serverCert: C(srv.cert),
        serverKey: C(srv.key),
        hba: ["hostssl all all 127.0.0.1/32 trust"],
        users: [{ name: "app", method: "trust" }],
      });
      try {
        const disagreements: string[] = [];
        for (const c of casesFor(srv.name)) {
          const settings = { ...c.settings, hostaddr: "127.0.0.1" };
          const psql = await psqlHome(server, settings, c.homeRoot);
          const psqlOk = psql.ok;
          if (!psqlOk && !/SSL|certificate|root certificate|server's host name/.test(psql.stderr))
            throw new Error(`${srv.name} / ${c.name}: psql failed for a reason outside TLS: ${psql.stderr}`);
          const d = await dbdoctorVerdict(c, C(srv.cert));
          // psycopg with the same keywords (its default ~/.postgresql is an empty HOME: no homeRoot cases).
          const py =
            psycopg && !c.homeRoot
              ? await runAttempt("psycopg-binary", {
                  settings: { ...settings, port: String(server.port), dbname: "postgres", user: "app" },
                })
              : null;
          if (py && py.ok !== d.ok)
            disagreements.push(
              `${c.name}: psycopg ${py.ok ? "connects" : `fails (${py.error.split("\n")[0]})`}, dbdoctor says ${d.ok ? "accept" : `refuse (${d.why})`}`,
            );
          outcomes.push({
            server: srv.name,
            case: c.name,
            psqlOk,
            psqlError: psql.stderr.trim(),
            psycopgOk: py ? py.ok : null,
            psycopgError: py?.error ?? "",
            dbdoctorOk: d.ok,
            dbdoctorWhy: d.why,
          });
          if (psqlOk !== d.ok)
            disagreements.push(
              `${c.name}: psql ${psqlOk ? "connects" : `fails (${psql.stderr.trim()})`}, dbdoctor says ${d.ok ? "accept" : `refuse (${d.why})`}`,
            );
          // Host-name failures: dbdoctor's message is libpq's, word for word.
          if (
            !psqlOk &&
            /does not match host name|could not get server's host name/.test(psql.stderr) &&
            !psql.stderr.includes(d.why)
          )
            disagreements.push(`${c.name}: libpq says "${psql.stderr.trim()}", dbdoctor says "${d.why}"`);
          // Root-file failures: libpq's own text, first line.
          if (!psqlOk && /root certificate file/.test(psql.stderr) && !psql.stderr.includes(d.why.split("\n")[0] ?? ""))
            disagreements.push(`${c.name}: libpq says "${psql.stderr.trim()}", dbdoctor says "${d.why}"`);
          // A handshake that fails before any check: libpq's alert text, word for word.
          if (!psqlOk && /alert handshake failure/.test(psql.stderr) && !psql.stderr.includes(d.why))
            disagreements.push(`${c.name}: libpq says "${psql.stderr.trim()}", dbdoctor says "${d.why}"`);
          if (
            !psqlOk &&
            psql.stderr.includes("certificate verify failed") &&
            !d.why.startsWith("certificate verify failed")
          )
            disagreements.push(`${c.name}: libpq fails the chain, dbdoctor's reason is "${d.why}"`);
        }
        expect(disagreements).toEqual([]);
      } finally {
        await server.stop();
      }
    });
  }
});

/** psqlConnect, optionally with a default root file under the HOME libpq will use. */
async function psqlHome(server: LabServer, settings: Record<string, string>, homeRoot?: string) {
  if (!homeRoot) return psqlConnect(server, { settings, user: "app" });
  const home = mkdtempSync(join(work, "psql-home-"));
  mkdirSync(join(home, ".postgresql"));
  writeFileSync(join(home, ".postgresql", "root.crt"), readFileSync(homeRoot));
  // psqlConnect gives psql a fresh HOME; libpq 15 finds its home with getpwuid(), so point HOME and the
  // passwd entry the same way by running psql through env with HOME set.
  const r = spawnSync(
    "psql",
    [
      "-X",
      "-w",
      "-A",
      "-t",
      "-c",
      "select 1",
      "-d",
      Object.entries({ host: server.host, port: String(server.port), dbname: "postgres", user: "app", ...settings })
        .map(([k, v]) => `${k}=${v}`)
        .join(" "),
    ],
    {
      env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: home, LANG: "C", PGCONNECT_TIMEOUT: "5" },
      encoding: "utf8",
      timeout: 20_000,
    },
  );
  return { ok: r.status === 0, stderr: r.stderr ?? "" };
}
