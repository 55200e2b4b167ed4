// Facts for the files and certs rule tests, measured by the real stages from real files: the lab PKI (certs/,
// generated once by the global setup), files derived from it in a temp directory, and the hand-made broken files of
// fixtures/pki/. A case's facts object is filled in beforeAll (the files stage is async), before any rule runs.
import { execFileSync, spawnSync } from "node:child_process";
import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  truncateSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll } from "vitest";
import { certPath } from "../../scripts/lab/paths.js";
import type { EffectiveParam } from "../../src/conninfo/types.js";
import { READ_CAPS } from "../../src/io/read.js";
import type { CommandName } from "../../src/model/command.js";
import type { LibpqMajor } from "../../src/model/options.js";
import { decodeContent } from "../../src/pki/content.js";
import { runFilesStage } from "../../src/pki/stage.js";
import type { FilesFacts } from "../../src/pki/types.js";
import { parseCertificate } from "../../src/pki/x509.js";
import { certFacts } from "../../src/probe/cert-info.js";
import { judgeChain, judgeHostname, trustFrom } from "../../src/probe/judge.js";
import type { EndpointFacts } from "../../src/probe/types.js";
import { CLIENT_SECURITY_LEVEL } from "../../src/rules/certs/policy.js";
import type { Facts } from "../../src/rules/facts.js";

export const FIX = resolve("fixtures/pki");
/** Real public CA bundles (fixtures/bundles/README.md says where each comes from). */
export const BUNDLES = resolve("fixtures/bundles");
export const hasOpenssl = spawnSync("openssl", ["version"]).status === 0;
/** A lab certificate, key or CRL. */
export const P = (f: string) => certPath(f);
const work = mkdtempSync(join(tmpdir(), "dbdoctor-rules-work-"));
const home = mkdtempSync(join(tmpdir(), "dbdoctor-rules-home-"));
const emptyHome = mkdtempSync(join(tmpdir(), "dbdoctor-rules-empty-home-"));
/** A file derived from the lab PKI in this run's temp directory. */
export const W = (f: string) => join(work, f);

export interface FileSetup {
  params: Record<string, string>;
  user?: string;
  sslpassword?: string;
  serverCert?: string;
  host?: string;
  /** HOME with ~/.postgresql/root.crt; otherwise an empty HOME. */
  withHomeRoot?: boolean;
  /** The command whose facts these are (default check). */
  command?: CommandName;
  libpq?: LibpqMajor;
}

const pending: { setup: FileSetup; facts: Partial<Facts>; report?: (f: FilesFacts) => void }[] = [];

/** The facts the files stage measures for a setup; the returned object is filled before the tests run. */
export function filesFacts(setup: FileSetup): Partial<Facts> {
  const facts: Partial<Facts> = {};
  pending.push({ setup, facts });
  return facts;
}

/** The report facts (FilesFacts) of the same run, for tests of what the stage records. */
export function filesReport(setup: FileSetup): { value?: FilesFacts } {
  const holder: { value?: FilesFacts } = {};
  pending.push({
    setup,
    facts: {},
    report: (f) => {
      holder.value = f;
    },
  });
  return holder;
}

export const client = (cert: string, key: string, extra: Record<string, string> = {}) => ({
  sslmode: "verify-full",
  sslrootcert: P("root-ca.crt"),
  sslcert: cert,
  sslkey: key,
  ...extra,
});

export const server = (
  cert: string,
  extra: Partial<FileSetup> = {},
  params: Record<string, string> = {},
): FileSetup => ({
  params: { sslmode: "verify-full", sslrootcert: P("root-ca.crt"), ...params },
  serverCert: P(cert),
  host: "localhost",
  ...extra,
});

async function measure(s: FileSetup): Promise<{ facts: Partial<Facts>; report: FilesFacts }> {
  const effective: Record<string, EffectiveParam> = {};
  for (const [k, v] of Object.entries(s.params)) effective[k] = { value: v, source: "connstring" };
  const now = new Date();
  const { result, analysis } = await runFilesStage(effective, {
    libpq: s.libpq ?? 15,
    now,
    securityLevel: CLIENT_SECURITY_LEVEL,
    env: { HOME: s.withHomeRoot ? home : emptyHome },
    ...(s.user ? { user: s.user } : {}),
    ...(s.sslpassword !== undefined ? { sslpassword: s.sslpassword } : {}),
    ...(s.serverCert ? { serverCertFile: s.serverCert } : {}),
    ...(s.host !== undefined ? { host: s.host } : {}),
  });
  if (result.status !== "completed" || !analysis) throw new Error(`files stage: ${result.status}`);
  return { facts: { command: s.command ?? "check", now, files: analysis }, report: result.value };
}

/**
 * The chain `files` (leaf first) as a server would send it, measured by the probe's own pure steps (certFacts,
 * judgeChain, judgeHostname) against `sslrootcert`, without a socket: the same certificates as from a file.
 */
export function wireFacts(
  files: string[],
  o: { sslrootcert?: string; sslcrl?: string; host?: string; sslmode?: string; command?: CommandName; now?: Date } = {},
): Partial<Facts> {
  const now = o.now ?? new Date();
  const chainDer = files.flatMap((f) => decodeContent(readFileSync(f)).blocks.map((b) => b.der));
  const host = o.host ?? "localhost";
  const effective: Record<string, EffectiveParam> = {};
  if (o.sslrootcert) effective.sslrootcert = { value: o.sslrootcert, source: "connstring" };
  if (o.sslcrl) effective.sslcrl = { value: o.sslcrl, source: "connstring" };
  const ep: EndpointFacts = {
    host,
    port: 5432,
    address: "127.0.0.1",
    sslRequest: { reply: "S", durationMs: 1, byte: "53", unencryptedBytesAfterS: 0 },
    tls: {
      ok: true,
      durationMs: 5,
      sni: host,
      alpnOffered: ["postgresql"],
      protocol: "TLSv1.3",
      cipher: "TLS_AES_256_GCM_SHA384",
      chain: chainDer.map((d) => certFacts(d)),
    },
    chain: judgeChain(chainDer, trustFrom(effective, 17), now, CLIENT_SECURITY_LEVEL),
  };
  const leaf = chainDer[0];
  if (leaf) ep.hostname = judgeHostname(leaf, host, 17);
  return {
    command: o.command ?? "server",
    now,
    server: { facts: { endpoints: [ep] }, ...(o.sslmode !== undefined ? { sslmode: o.sslmode } : {}) },
  };
}

function derive(): void {
  writeFileSync(W("empty.crt"), "");
  // One byte over the certificate cap, sparse: the reader stops at the cap whatever the file holds.
  writeFileSync(W("big.crt"), "A");
  truncateSync(W("big.crt"), READ_CAPS.certificate + 1);
  const der = decodeContent(readFileSync(P("root-ca.crt"))).blocks[0]?.der as Buffer;
  writeFileSync(W("root-ca.der"), der);
  writeFileSync(W("trailing.crt"), `${readFileSync(P("client-good.crt"), "utf8")}\nthis line is not PEM\n`);
  // PEM shapes OpenSSL's reader accepts or refuses (src/pki/pem-read.ts), made from the lab root.
  const rootPem = readFileSync(P("root-ca.crt"), "utf8");
  const otherPem = readFileSync(P("other-ca.crt"), "utf8");
  const indent = (pem: string) => pem.replace(/^(?=.)/gm, "    ");
  writeFileSync(W("indented-root.crt"), indent(rootPem));
  // The real RDS bundle with the lab root appended (a server chain verifies through it), and its expired roots
  // alone (what the deprecated rds-combined-ca-bundle.pem became: no usable root left).
  const rds = readFileSync(join(BUNDLES, "rds-ca-bundle.pem"), "utf8");
  writeFileSync(W("rds+lab-root.crt"), rds + rootPem);
  const expired = decodeContent(Buffer.from(rds))
    .blocks.filter((b) => parseCertificate(b.der).notAfter < new Date())
    .map((b) => b.pem);
  writeFileSync(W("rds-expired-only.crt"), expired.join(""));
  writeFileSync(W("root-then-indented.crt"), rootPem + indent(otherPem));
  writeFileSync(
    W("commented-root.crt"),
    `# Issuer: CN=other\n# Label: "other"\n${otherPem}\n# Subject: CN=root\n${rootPem}`,
  );
  writeFileSync(W("bad-base64-root.crt"), rootPem.replace(/\n[A-Za-z0-9+/]/, "\n#"));
  writeFileSync(
    W("blank-inside.crt"),
    readFileSync(P("client-good.crt"), "utf8").replace(/(\n[^\n]*){3}/, (m) => `${m}\n`),
  );
  writeFileSync(
    W("bundle.crt"),
    readFileSync(P("root-ca.crt"), "utf8") + readFileSync(P("intermediate-ca.crt"), "utf8"),
  );
  writeFileSync(
    W("wrong-order.crt"),
    readFileSync(P("intermediate-ca.crt"), "utf8") + readFileSync(P("client-good.crt"), "utf8"),
  );
  writeFileSync(
    W("key-and-cert.key"),
    readFileSync(P("client-good.key"), "utf8") + readFileSync(P("client-good.crt"), "utf8"),
    { mode: 0o600 },
  );
  // A key-less file where the key belongs, with the permissions a key should have (the checkout's may be wider).
  copyFileSync(join(FIX, "public-key.pem"), W("public-key.pem"));
  chmodSync(W("public-key.pem"), 0o600);
  copyFileSync(P("client-good.key"), W("open.key"));
  chmodSync(W("open.key"), 0o644);
  symlinkSync(W("loop"), W("loop"));
  mkdirSync(W("crl-unhashed"));
  copyFileSync(P("root.crl"), W("crl-unhashed/root.crl"));
  mkdirSync(W("crl-empty"));
  const crlDer = decodeContent(readFileSync(P("root.crl"))).blocks[0]?.der as Buffer;
  const bad = Buffer.from(crlDer);
  bad[bad.length - 1] = (bad[bad.length - 1] as number) ^ 0xff;
  writeFileSync(W("bad-sig.crl"), `-----BEGIN X509 CRL-----\n${bad.toString("base64")}\n-----END X509 CRL-----\n`);
  writeFileSync(W("root.der.crl"), crlDer);
  writeFileSync(W("not-a-crl.pem"), readFileSync(P("root-ca.crt")));
  mkdirSync(join(home, ".postgresql"));
  copyFileSync(P("root-ca.crt"), join(home, ".postgresql", "root.crt"));
  if (!hasOpenssl) return;
  const openssl = (args: string[]) => execFileSync("openssl", args, { stdio: "pipe" });
  openssl([
    "pkcs12",
    "-export",
    "-in",
    P("client-good.crt"),
    "-inkey",
    P("client-good.key"),
    "-passout",
    "pass:x",
    "-out",
    W("client.p12"),
  ]);
  openssl([
    "pkcs12",
    "-export",
    "-in",
    P("server-ecdsa.crt"),
    "-inkey",
    P("server-ecdsa.key"),
    "-passout",
    "pass:",
    "-out",
    W("open.p12"),
  ]);
  openssl([
    "pkcs8",
    "-topk8",
    "-provider",
    "legacy",
    "-provider",
    "default",
    "-in",
    P("client-good.key"),
    "-v1",
    "PBE-MD5-DES",
    "-passout",
    "pass:x",
    "-out",
    W("legacy.key"),
  ]);
  chmodSync(W("legacy.key"), 0o600);
  openssl([
    "req",
    "-x509",
    "-newkey",
    "ec",
    "-pkeyopt",
    "ec_paramgen_curve:P-256",
    "-nodes",
    "-keyout",
    W("no-certsign-ca.key"),
    "-subj",
    "/CN=no certsign CA",
    "-days",
    "30",
    "-addext",
    "basicConstraints=critical,CA:TRUE",
    "-addext",
    "keyUsage=critical,digitalSignature",
    "-out",
    W("no-certsign-ca.crt"),
  ]);
}

beforeAll(async () => {
  derive();
  for (const p of pending) {
    const m = await measure(p.setup);
    Object.assign(p.facts, m.facts);
    p.report?.(m.report);
  }
}, 120_000);

afterAll(() => {
  for (const d of [work, home, emptyHome]) rmSync(d, { recursive: true, force: true });
});
