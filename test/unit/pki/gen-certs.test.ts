// The lab PKI is only useful if real OpenSSL reads it the way the scenarios say: check with the openssl binary.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CertManifest, ensureCerts, LAB_KEY_PASSPHRASE } from "../../../scripts/gen-certs.js";

const hasOpenssl = spawnSync("openssl", ["version"]).status === 0;
if (!hasOpenssl) console.warn("skipping OpenSSL cross-checks of the lab PKI: no openssl binary on PATH");

let dir: string;
let manifest: CertManifest;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "dbdoctor-gen-certs-"));
  manifest = await ensureCerts(dir);
}, 60_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function openssl(args: string[]): { ok: boolean; out: string } {
  const r = spawnSync("openssl", args, { cwd: dir, encoding: "utf8" });
  return { ok: r.status === 0, out: `${r.stdout}${r.stderr}` };
}

function verify(cert: string, extra: string[] = []): { ok: boolean; out: string } {
  return openssl(["verify", "-CAfile", "root-ca.crt", ...extra, cert]);
}

describe("ensureCerts", () => {
  it("writes every file the manifest lists, keys 0600", () => {
    for (const entry of Object.values(manifest.files)) {
      const st = statSync(join(dir, entry.file));
      if (entry.kind === "private-key") expect(st.mode & 0o777, entry.file).toBe(0o600);
    }
    expect(manifest.files["server-good.crt"]?.sans).toEqual(["DNS:localhost", "IP:127.0.0.1", "IP:::1"]);
    expect(manifest.files["server-cn-only.crt"]?.sans).toBeUndefined();
  });

  it("is idempotent: a second call keeps the same material", async () => {
    const again = await ensureCerts(dir);
    expect(again.generatedAt).toBe(manifest.generatedAt);
    expect(again.files["root-ca.crt"]?.serial).toBe(manifest.files["root-ca.crt"]?.serial);
  });
});

describe.skipIf(!hasOpenssl)("the lab PKI as OpenSSL sees it", () => {
  it("server-good verifies against root-ca and names localhost, 127.0.0.1 and ::1", () => {
    expect(verify("server-good.crt").ok).toBe(true);
    const text = openssl(["x509", "-in", "server-good.crt", "-noout", "-ext", "subjectAltName"]).out;
    expect(text).toContain("DNS:localhost");
    expect(text).toContain("IP Address:127.0.0.1");
    expect(text).toContain("IP Address:0:0:0:0:0:0:0:1");
  });

  it("server-intermediate verifies only with the intermediate supplied as untrusted", () => {
    expect(verify("server-intermediate.crt").out).toContain("unable to get local issuer certificate");
    expect(verify("server-intermediate.crt", ["-untrusted", "intermediate-ca.crt"]).ok).toBe(true);
    expect(verify("server-intermediate-chain.crt", ["-untrusted", "server-intermediate-chain.crt"]).ok).toBe(true);
    // An intermediate alone is no anchor (no partial chains by default).
    const r = openssl(["verify", "-CAfile", "intermediate-ca.crt", "server-intermediate.crt"]);
    expect(r.ok).toBe(false);
  });

  it("expired, not-yet-valid, self-signed and foreign certificates fail as intended", () => {
    expect(verify("server-expired.crt").out).toContain("certificate has expired");
    expect(verify("server-not-yet-valid.crt").out).toContain("certificate is not yet valid");
    expect(verify("server-self-signed.crt").out).toContain("self-signed certificate");
    expect(verify("server-untrusted.crt").ok).toBe(false);
    expect(verify("client-untrusted.crt").ok).toBe(false);
    expect(openssl(["verify", "-CAfile", "other-ca.crt", "client-untrusted.crt"]).ok).toBe(true);
    const expiredCa = openssl(["verify", "-CAfile", "expired-root-ca.crt", "server-expired-ca.crt"]);
    expect(expiredCa.out).toContain("certificate has expired");
  });

  it("ECDSA P-256 and Ed25519 leaves carry their own keys and verify", () => {
    expect(verify("server-ecdsa.crt").ok).toBe(true);
    expect(verify("server-ed25519.crt").ok).toBe(true);
    expect(openssl(["x509", "-in", "server-ecdsa.crt", "-noout", "-text"]).out).toContain("prime256v1");
    expect(openssl(["x509", "-in", "server-ed25519.crt", "-noout", "-text"]).out).toContain("ED25519");
    for (const name of ["server-ecdsa", "server-ed25519", "server-good", "client-good"]) {
      const fromCert = openssl(["x509", "-in", `${name}.crt`, "-noout", "-pubkey"]).out;
      const fromKey = openssl(["pkey", "-in", `${name}.key`, "-pubout"]).out;
      expect(fromKey, name).toBe(fromCert);
    }
  });

  it("weak variants are what their names say", () => {
    expect(openssl(["x509", "-in", "server-sha1.crt", "-noout", "-text"]).out).toContain("sha1WithRSAEncryption");
    expect(openssl(["x509", "-in", "server-rsa1024.crt", "-noout", "-text"]).out).toContain("(1024 bit)");
    // Security level 2 refuses both.
    expect(verify("server-sha1.crt", ["-auth_level", "2"]).ok).toBe(false);
    expect(verify("server-rsa1024.crt", ["-auth_level", "2"]).ok).toBe(false);
  });

  it("root.crl revokes server-revoked and client-revoked only; crldir is rehashed", () => {
    const crl = ["-crl_check", "-CRLfile", "root.crl"];
    expect(verify("server-revoked.crt", crl).out).toContain("certificate revoked");
    expect(verify("client-revoked.crt", crl).out).toContain("certificate revoked");
    expect(verify("server-good.crt", crl).ok).toBe(true);
    expect(verify("server-revoked.crt", ["-crl_check", "-CRLfile", "root-stale.crl"]).out).toContain("CRL has expired");
    const hash = openssl(["x509", "-in", "root-ca.crt", "-noout", "-hash"]).out.trim();
    expect(readdirSync(join(dir, "crldir"))).toContain(`${hash}.r0`);
    expect(verify("server-revoked.crt", ["-crl_check", "-CApath", "crldir"]).out).toContain("certificate revoked");
  });

  it("client keys: encrypted forms open with the lab passphrase only, DER is DER", () => {
    const plain = openssl(["pkey", "-in", "client-good.key", "-pubout"]).out;
    for (const f of ["client-good-pkcs8-encrypted.key", "client-good-traditional-encrypted.key"]) {
      expect(openssl(["pkey", "-in", f, "-passin", `pass:${LAB_KEY_PASSPHRASE}`, "-pubout"]).out, f).toBe(plain);
      expect(openssl(["pkey", "-in", f, "-passin", "pass:wrong", "-pubout"]).ok, f).toBe(false);
    }
    expect(openssl(["pkey", "-inform", "DER", "-in", "client-good.der.key", "-pubout"]).out).toBe(plain);
    const text = execFileSync("openssl", ["x509", "-in", "client-good.crt", "-noout", "-text"], {
      cwd: dir,
    }).toString();
    expect(text).toContain("TLS Web Client Authentication");
    expect(text).toContain("CN = dbdoctor");
  });
});
