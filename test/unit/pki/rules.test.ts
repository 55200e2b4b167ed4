// One fixture per finding code of the files family: the generated lab PKI (in a temp dir) and the hand-made
// broken files in fixtures/pki/. Every code in FILES_FINDINGS must have a case here.
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
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureCerts, LAB_KEY_PASSPHRASE } from "../../../scripts/gen-certs.js";
import type { EffectiveParam } from "../../../src/conninfo/types.js";
import { READ_CAPS } from "../../../src/io/read.js";
import type { Finding } from "../../../src/model/finding.js";
import { decodeContent } from "../../../src/pki/content.js";
import { runFilesStage } from "../../../src/pki/stage.js";
import type { FilesFacts } from "../../../src/pki/types.js";
import { FILES_FINDINGS } from "../../../src/rules/definitions/files.js";

const FIX = resolve("fixtures/pki");
const hasOpenssl = spawnSync("openssl", ["version"]).status === 0;
let pki: string;
let work: string;
let home: string;
const P = (f: string) => join(pki, f);
const W = (f: string) => join(work, f);

beforeAll(async () => {
  pki = mkdtempSync(join(tmpdir(), "dbdoctor-rules-pki-"));
  work = mkdtempSync(join(tmpdir(), "dbdoctor-rules-work-"));
  home = mkdtempSync(join(tmpdir(), "dbdoctor-rules-home-"));
  await ensureCerts(pki);
  writeFileSync(W("empty.crt"), "");
  // One byte over the certificate cap, sparse: the reader stops at the cap whatever the file holds.
  writeFileSync(W("big.crt"), "A");
  truncateSync(W("big.crt"), READ_CAPS.certificate + 1);
  const der = decodeContent(readFileSync(P("root-ca.crt"))).blocks[0]?.der as Buffer;
  writeFileSync(W("root-ca.der"), der);
  writeFileSync(W("trailing.crt"), `${readFileSync(P("client-good.crt"), "utf8")}\nthis line is not PEM\n`);
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
  copyFileSync(P("client-good.key"), W("open.key"));
  chmodSync(W("open.key"), 0o644);
  symlinkSync(W("loop"), W("loop"));
  mkdirSync(W("crl-unhashed"));
  copyFileSync(P("root.crl"), W("crl-unhashed/root.crl"));
  const crlDer = decodeContent(readFileSync(P("root.crl"))).blocks[0]?.der as Buffer;
  const bad = Buffer.from(crlDer);
  bad[bad.length - 1] = (bad[bad.length - 1] as number) ^ 0xff;
  writeFileSync(W("bad-sig.crl"), `-----BEGIN X509 CRL-----\n${bad.toString("base64")}\n-----END X509 CRL-----\n`);
  writeFileSync(W("root.der.crl"), crlDer);
  mkdirSync(join(home, ".postgresql"));
  copyFileSync(P("root-ca.crt"), join(home, ".postgresql", "root.crt"));
  if (hasOpenssl) {
    execFileSync("openssl", [
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
    execFileSync("openssl", [
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
    execFileSync("openssl", [
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
    execFileSync("openssl", [
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
}, 60_000);

afterAll(() => {
  for (const d of [pki, work, home]) if (d) rmSync(d, { recursive: true, force: true });
});

interface Setup {
  params: Record<string, string>;
  user?: string;
  sslpassword?: string;
  serverCert?: string;
  host?: string;
  warnDays?: number;
  /** HOME with ~/.postgresql/root.crt; otherwise an empty HOME. */
  withHomeRoot?: boolean;
  mentionServerUnknown?: boolean;
}

async function run(s: Setup): Promise<{ findings: Finding[]; facts: FilesFacts }> {
  const effective: Record<string, EffectiveParam> = {};
  for (const [k, v] of Object.entries(s.params)) effective[k] = { value: v, source: "connstring" };
  const emptyHome = W("empty-home");
  mkdirSync(emptyHome, { recursive: true });
  const { result, findings } = await runFilesStage(effective, {
    libpq: 15,
    now: new Date(),
    warnDays: s.warnDays ?? 30,
    env: { HOME: s.withHomeRoot ? home : emptyHome },
    ...(s.user ? { user: s.user } : {}),
    ...(s.sslpassword !== undefined ? { sslpassword: s.sslpassword } : {}),
    ...(s.serverCert ? { serverCertFile: s.serverCert } : {}),
    ...(s.host !== undefined ? { host: s.host } : {}),
    mentionServerUnknown: s.mentionServerUnknown ?? false,
  });
  if (result.status !== "completed") throw new Error(`files stage: ${result.status}`);
  return { findings, facts: result.value };
}

const client = (cert: string, key: string, extra: Record<string, string> = {}) => ({
  sslmode: "verify-full",
  sslrootcert: P("root-ca.crt"),
  sslcert: cert,
  sslkey: key,
  ...extra,
});
const server = (cert: string, extra: Partial<Setup> = {}, params: Record<string, string> = {}): Setup => ({
  params: { sslmode: "verify-full", sslrootcert: P("root-ca.crt"), ...params },
  serverCert: P(cert),
  host: "localhost",
  ...extra,
});

/** code -> a setup that must produce it, and optionally a substring its message must hold. */
const CASES: Record<string, () => { setup: Setup; includes?: string; needsOpenssl?: boolean }> = {
  "file.missing": () => ({
    setup: { params: client(P("client-good.crt"), W("nope.key")) },
    includes: "certificate present, but not private key file",
  }),
  "file.missing-skipped": () => ({
    setup: { params: client(W("nope.crt"), P("client-good.key")) },
    includes: "silently connects without a client certificate",
  }),
  "file.default-path": () => ({
    setup: { params: { sslmode: "verify-ca" }, withHomeRoot: true },
    includes: ".postgresql/root.crt",
  }),
  "file.unreadable": () => ({
    setup: { params: { sslrootcert: W("loop") } },
    includes: "Too many levels of symbolic links",
  }),
  "file.not-regular": () => ({ setup: { params: { sslrootcert: "/dev/zero" } }, includes: "character device" }),
  "file.empty": () => ({ setup: { params: { sslrootcert: W("empty.crt") } } }),
  "file.too-big": () => ({ setup: { params: { sslrootcert: W("big.crt") } } }),
  "file.der-not-supported": () => ({
    setup: { params: { sslrootcert: W("root-ca.der") } },
    includes: "could not read root certificate file",
  }),
  "file.wrong-content": () => ({
    setup: { params: client(join(FIX, "csr.pem"), P("client-good.key")) },
    includes: "certificate signing request",
  }),
  "file.truncated-pem": () => ({ setup: { params: { sslrootcert: join(FIX, "truncated.pem") } }, includes: "line 1" }),
  "file.trailing-garbage": () => ({
    setup: { params: client(W("trailing.crt"), P("client-good.key")) },
    includes: "this line is not PEM",
  }),
  "cert.bundle": () => ({
    setup: { params: client(P("client-intermediate-chain.crt"), P("client-intermediate.key")) },
    includes: "holds 2 certificates",
  }),
  "cert.expired": () => ({
    setup: { params: client(P("client-expired.crt"), P("client-expired.key")) },
    includes: "days ago",
  }),
  "cert.not-yet-valid": () => ({
    setup: server("server-not-yet-valid.crt", {}, { sslmode: "require", sslrootcert: W("none.crt") }),
  }),
  "cert.expiring": () => ({
    setup: { params: client(P("client-good.crt"), P("client-good.key")), warnDays: 400 },
    includes: "--warn-days 400",
  }),
  "key.permissions": () => ({
    setup: { params: client(P("client-good.crt"), W("open.key")) },
    includes: "has group or world access",
  }),
  "key.mismatch": () => ({
    setup: { params: client(P("client-good.crt"), P("client-other-cn.key")) },
    includes: "certificate does not match private key file",
  }),
  "key.encrypted-no-password": () => ({
    setup: { params: client(P("client-good.crt"), P("client-good-pkcs8-encrypted.key")) },
    includes: "Enter PEM pass phrase",
  }),
  "key.bad-decrypt": () => ({
    setup: { params: client(P("client-good.crt"), P("client-good-traditional-encrypted.key")), sslpassword: "wrong" },
    includes: ": bad decrypt",
  }),
  "key.unsupported-encryption": () => ({
    setup: { params: client(P("client-good.crt"), W("legacy.key")), sslpassword: "x" },
    needsOpenssl: true,
  }),
  "key.unreadable": () => ({
    setup: { params: client(P("client-good.crt"), join(FIX, "public-key.pem")) },
    includes: "could not load private key file",
  }),
  "key.der": () => ({ setup: { params: client(P("client-good.crt"), P("client-good.der.key")) } }),
  "key.extra-objects": () => ({ setup: { params: client(P("client-good.crt"), W("key-and-cert.key")) } }),
  "key.unused": () => ({ setup: { params: client(W("nope.crt"), P("client-good.key")) } }),
  "cert.client-no-clientauth": () => ({
    setup: { params: client(P("client-server-eku.crt"), P("client-server-eku.key")) },
  }),
  "cert.client-cn-user": () => ({
    setup: { params: client(P("client-good.crt"), P("client-good.key")), user: "app" },
    includes: "map=",
  }),
  "cert.client-chain-incomplete": () => ({
    setup: {
      params: client(P("client-intermediate.crt"), P("client-intermediate.key"), { sslrootcert: W("bundle.crt") }),
    },
  }),
  "cert.client-wrong-order": () => ({ setup: { params: client(W("wrong-order.crt"), P("client-good.key")) } }),
  "cert.weak-key": () => ({ setup: server("server-rsa1024.crt") }),
  "cert.weak-signature": () => ({ setup: server("server-sha1.crt") }),
  "ca.not-ca": () => ({ setup: { params: { sslrootcert: P("server-good.crt") } } }),
  "ca.no-keycertsign": () => ({ setup: { params: { sslrootcert: W("no-certsign-ca.crt") } }, needsOpenssl: true }),
  "ca.intermediate-only": () => ({
    setup: { params: { sslrootcert: P("intermediate-ca.crt") } },
    includes: "unable to get issuer certificate",
  }),
  "ca.summary": () => ({ setup: { params: { sslrootcert: W("bundle.crt") } }, includes: "1 root" }),
  "ca.client-not-anchored": () => ({ setup: { params: client(P("client-untrusted.crt"), P("client-untrusted.key")) } }),
  "ca.server-unknown": () => ({ setup: { params: { sslrootcert: P("root-ca.crt") }, mentionServerUnknown: true } }),
  "crl.ignored": () => ({
    setup: { params: { sslrootcert: P("root-ca.crt"), sslcrl: W("root.der.crl") } },
    includes: "is DER",
  }),
  "crl.expired": () => ({ setup: { params: { sslrootcert: P("root-ca.crt"), sslcrl: P("root-stale.crl") } } }),
  "crl.not-yet-valid": () => ({ setup: { params: { sslrootcert: P("root-ca.crt"), sslcrl: P("root-future.crl") } } }),
  "crl.issuer-unknown": () => ({ setup: { params: { sslrootcert: P("root-ca.crt"), sslcrl: P("other-ca.crl") } } }),
  "crl.bad-signature": () => ({ setup: { params: { sslrootcert: P("root-ca.crt"), sslcrl: W("bad-sig.crl") } } }),
  "crl.revokes": () => ({
    setup: { params: client(P("client-revoked.crt"), P("client-revoked.key"), { sslcrl: P("root.crl") }) },
    includes: "revokes",
  }),
  "crl.summary": () => ({
    setup: { params: { sslrootcert: P("root-ca.crt"), sslcrl: P("root.crl") } },
    includes: "2 revoked serials",
  }),
  "crl.dir-unhashed": () => ({
    setup: { params: { sslrootcert: P("root-ca.crt"), sslcrldir: W("crl-unhashed") } },
    includes: "never reads",
  }),
  "crl.dir-no-crl": () => ({ setup: { params: { sslrootcert: P("root-ca.crt"), sslcrldir: W("no-such-dir") } } }),
  "tls.root-missing": () => ({
    setup: server("server-good.crt", {}, { sslrootcert: W("none.crt") }),
    includes: "does not exist\nEither provide the file or change sslmode",
  }),
  "tls.not-verified": () => ({
    setup: server("server-good.crt", {}, { sslmode: "require", sslrootcert: W("none.crt") }),
  }),
  "tls.require-verifies": () => ({ setup: server("server-good.crt", {}, { sslmode: "require" }) }),
  "tls.hostname-mismatch": () => ({
    setup: server("server-wrong-host.crt"),
    includes: 'server certificate for "db.wrong.example" does not match host name "localhost"',
  }),
  "tls.hostname-ok": () => ({ setup: server("server-good.crt") }),
  "tls.chain-ok": () => ({ setup: server("server-intermediate-chain.crt") }),
  "tls.chain-unknown-ca": () => ({
    setup: server("server-intermediate.crt"),
    includes: "unable to get local issuer certificate",
  }),
  "tls.chain-self-signed": () => ({ setup: server("server-self-signed.crt"), includes: "self-signed certificate" }),
  "tls.chain-expired": () => ({ setup: server("server-expired.crt"), includes: "certificate has expired" }),
  "tls.chain-revoked": () => ({
    setup: server("server-revoked.crt", {}, { sslcrl: P("root.crl") }),
    includes: "certificate revoked",
  }),
  "tls.chain-crl": () => ({
    setup: server("server-intermediate-chain.crt", {}, { sslcrl: P("root.crl") }),
    includes: "unable to get certificate CRL",
  }),
  "tls.chain-weak": () => ({ setup: server("server-sha1.crt"), includes: "CA signature digest algorithm too weak" }),
  "tls.chain-invalid": () => ({ setup: server("client-good.crt"), includes: "unsupported certificate purpose" }),
  "tls.chain-root-unreadable": () => ({
    setup: server("server-good.crt", {}, { sslrootcert: join(FIX, "csr.pem") }),
    includes: "could not read root certificate file",
  }),
};

describe("every files finding code has a fixture", () => {
  it("the table covers FILES_FINDINGS exactly", () => {
    expect(Object.keys(CASES).sort()).toEqual(Object.keys(FILES_FINDINGS).sort());
  });

  for (const [code, make] of Object.entries(CASES)) {
    it(code, async (ctx) => {
      const c = make();
      if (c.needsOpenssl && !hasOpenssl) {
        console.warn(`skipping ${code}: needs the openssl binary to build its fixture`);
        ctx.skip();
        return;
      }
      const { findings } = await run(c.setup);
      const hit = findings.find((f) => f.code === code);
      expect(hit, `${code} not among ${findings.map((f) => f.code).join(", ")}`).toBeDefined();
      if (c.includes) expect(hit?.message).toContain(c.includes);
      expect(hit?.severity).toBe(FILES_FINDINGS[code as keyof typeof FILES_FINDINGS].severity);
    });
  }
});

describe("what a wrong file holds", () => {
  it.each([
    ["keystore.jks", "Java keystore"],
    ["garbage.bin", "no PEM block and no DER object"],
    ["not-a-cert.txt", "no PEM block and no DER object"],
  ])("%s is named for what it is", async (file, text) => {
    const { findings } = await run({ params: client(join(FIX, file), P("client-good.key")) });
    expect(findings.find((f) => f.code === "file.wrong-content")?.message).toContain(text);
  });

  it.skipIf(!hasOpenssl)("a PKCS#12 bundle gets the openssl pkcs12 extraction as its fix", async () => {
    const { findings } = await run({ params: client(W("client.p12"), P("client-good.key")) });
    const f = findings.find((x) => x.code === "file.wrong-content");
    expect(f?.message).toContain("PKCS#12");
    expect(f?.message).toContain("(protected by a password)");
    expect(f?.hint).toContain("openssl pkcs12");
  });

  it.skipIf(!hasOpenssl)(
    "a PKCS#12 bundle without a password is opened with node-forge and its contents named",
    async () => {
      const { findings, facts } = await run({ params: client(W("open.p12"), P("client-good.key")) });
      const f = findings.find((x) => x.code === "file.wrong-content");
      expect(f?.message).toContain("holding certificate O=dbdoctor lab, CN=localhost, 1 private key");
      expect(facts.files.find((x) => x.role === "sslcert")?.pkcs12?.passwordProtected).toBe(false);
    },
  );

  it("a key where the certificate is expected", async () => {
    const { findings } = await run({ params: client(P("client-good.key"), P("client-good.key")) });
    expect(findings.find((f) => f.code === "file.wrong-content")?.message).toContain("private key");
  });

  it("a FIFO is reported without hanging", async () => {
    const fifo = W("fifo.crt");
    if (spawnSync("mkfifo", [fifo]).status !== 0) {
      console.warn("skipping FIFO check: mkfifo failed");
      return;
    }
    const { findings } = await run({ params: { sslrootcert: fifo } });
    expect(findings.find((f) => f.code === "file.not-regular")?.message).toContain("FIFO");
  });
});

describe("a good configuration", () => {
  it("gives no error or warning, and the right passphrase loads both encrypted forms", async () => {
    for (const key of ["client-good.key", "client-good-pkcs8-encrypted.key", "client-good-traditional-encrypted.key"]) {
      const { findings, facts } = await run({
        params: client(P("client-good.crt"), P(key), { sslcrl: P("root.crl") }),
        user: "dbdoctor",
        sslpassword: LAB_KEY_PASSPHRASE,
        serverCert: P("server-good.crt"),
        host: "127.0.0.1",
      });
      expect(findings.filter((f) => f.severity !== "info").map((f) => `${key} ${f.code}: ${f.message}`)).toEqual([]);
      expect(facts.server?.accepted).toBe(true);
      expect(facts.crlChecking).toBe(true);
      expect(facts.files.find((f) => f.role === "sslkey")?.key?.loaded).toBe(true);
    }
  });

  it("never puts the sslpassword into facts or findings", async () => {
    const { findings, facts } = await run({
      params: client(P("client-good.crt"), P("client-good-pkcs8-encrypted.key")),
      sslpassword: LAB_KEY_PASSPHRASE,
    });
    expect(JSON.stringify({ findings, facts })).not.toContain(LAB_KEY_PASSPHRASE);
  });
});

describe("a missing root file under each sslmode", () => {
  it("is not mentioned under disable, where libpq never reads it", async () => {
    const { findings } = await run({ params: { sslmode: "disable", sslrootcert: W("no-such-root.crt") } });
    expect(findings.filter((f) => f.subject === "sslrootcert").map((f) => f.code)).toEqual([]);
  });
  it("is a silent skip of verification under prefer, and fatal under verify-ca", async () => {
    const prefer = await run({ params: { sslmode: "prefer", sslrootcert: W("no-such-root.crt") } });
    expect(prefer.findings.map((f) => f.code)).toContain("file.missing-skipped");
    const verify = await run({ params: { sslmode: "verify-ca", sslrootcert: W("no-such-root.crt") } });
    expect(verify.findings.map((f) => f.code)).toContain("tls.root-missing");
  });
});
