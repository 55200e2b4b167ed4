// What libpq's initialize_SSL (fe-secure-openssl.c) does with the root, CRL, certificate and key files before it
// sends a single TLS byte, and the TLS material the matrix hands to Node for the same attempt.
// The order of checks, and so which error wins, follows initialize_SSL: root, CRL, certificate, key.
import { createHash, createPrivateKey, type KeyObject, X509Certificate } from "node:crypto";
import { statSync } from "node:fs";
import { join } from "node:path";
import { createSecureContext, type SecureContext, type SecureVersion } from "node:tls";
import { listDirCapped, READ_CAPS, readCapped } from "../io/read.js";
import type { TrustStoreFacts } from "../model/client.js";
import type { LibpqMajor } from "../model/options.js";
import type { SslMode } from "../model/sslmode.js";
import { noHomeForRootMessage, rootMissingMessage } from "../pki/libpq-messages.js";
import { pemBlocksOf } from "../pki/pem-scan.js";
import { trustStorePems } from "./trust-store.js";

export interface ClientTlsMaterial {
  /**
   * PEM of the trust anchors libpq loads; undefined when it does not verify at all. A list for sslrootcert=system
   * (the client's store): an empty list trusts nothing, where an empty string would make Node use its own roots.
   */
  ca?: string | string[];
  crl?: string[];
  /** PEM chain from sslcert (first certificate is the client's). */
  cert?: string;
  key?: string;
  rootPath?: string;
  certPath?: string;
  keyPath?: string;
  /** sslrootcert=system: OpenSSL's default verify paths. */
  systemRoots?: boolean;
}

export type ClientTlsSetup =
  | { ok: true; material: ClientTlsMaterial; verifies: boolean }
  | { ok: false; code: ClientTlsError; message: string; path: string };

export type ClientTlsError =
  | "root-missing"
  | "root-unreadable"
  | "cert-unreadable"
  | "key-missing"
  | "key-not-regular"
  | "key-permissions"
  | "key-unreadable"
  | "key-mismatch";

function statOrNull(path: string): ReturnType<typeof statSync> | null {
  try {
    return statSync(path);
  } catch {
    return null;
  }
}

/**
 * The file's text (latin1, as PEM is ASCII), "" when it cannot be read (libpq then fails to load it), or "too-big"
 * beyond the certificate cap: libpq would read it, dbdoctor does not (bounded memory), and says so.
 */
function readText(path: string): string | "too-big" {
  const r = readCapped(path, READ_CAPS.certificate);
  if (r.status !== "ok") return "";
  return r.truncated ? "too-big" : r.data.toString("latin1");
}

const TOO_BIG = `larger than ${READ_CAPS.certificate / (1024 * 1024)} MiB, more than dbdoctor reads`;

/** Whether OpenSSL parses a PEM certificate, by digest: a bundle is checked once per run, not once per mode. */
const parsesAsCertificate = new Map<string, boolean>();

function pemCertificates(text: string): string[] {
  return pemBlocksOf(text, "CERTIFICATE").filter((pem) => {
    const key = createHash("sha256").update(pem).digest("base64");
    let ok = parsesAsCertificate.get(key);
    if (ok === undefined) {
      try {
        new X509Certificate(pem);
        ok = true;
      } catch {
        ok = false;
      }
      if (parsesAsCertificate.size >= 100_000) parsesAsCertificate.clear();
      parsesAsCertificate.set(key, ok);
    }
    return ok;
  });
}

function loadCrls(crlFile: string | undefined, crlDir: string | undefined): string[] {
  // libpq ignores a missing or unreadable CRL silently ("we do not require CRL"), so errors here are not errors.
  const out: string[] = [];
  const pemCrls = (path: string) => {
    const text = readText(path);
    return text === "too-big" ? [] : pemBlocksOf(text, "X509 CRL");
  };
  if (crlFile) out.push(...pemCrls(crlFile));
  if (crlDir) {
    // OpenSSL looks CRLs up by issuer hash (<hash>.r<n>): only rehashed names count. An unreadable directory (or
    // a FIFO, a device, a link loop in its place) is as good as none.
    const listed = listDirCapped(crlDir);
    if (listed.status === "ok")
      for (const name of listed.entries) if (/^[0-9a-f]{8}\.r\d+$/.test(name)) out.push(...pemCrls(join(crlDir, name)));
  }
  return out;
}

function loadKey(path: string, passphrase: string | undefined): KeyObject | null {
  const r = readCapped(path, READ_CAPS.certificate);
  if (r.status !== "ok" || r.truncated) return null;
  const data = r.data;
  // libpq tries PEM first, then DER (SSL_CTX_use_PrivateKey_file with SSL_FILETYPE_ASN1).
  for (const attempt of [
    () => createPrivateKey({ key: data, format: "pem", passphrase: passphrase ?? "" }),
    () => createPrivateKey({ key: data, format: "der", type: "pkcs8", passphrase: passphrase ?? "" }),
    () => createPrivateKey({ key: data, format: "der", type: "pkcs1" }),
    () => createPrivateKey({ key: data, format: "der", type: "sec1" }),
  ]) {
    try {
      return attempt();
    } catch {
      // try the next encoding
    }
  }
  return null;
}

export interface ClientTlsInput {
  /** Effective libpq values (raw, may include sslpassword). */
  values: Record<string, string | undefined>;
  mode: SslMode;
  home: string | null;
  major: LibpqMajor;
  /**
   * The store the client's OpenSSL reads for sslrootcert=system (model/client.ts). Without one, Node's bundled roots
   * stand in, which is no real client's store.
   */
  trustStore?: TrustStoreFacts;
}

export function prepareClientTls({ values, mode, home, major, trustStore }: ClientTlsInput): ClientTlsSetup {
  const material: ClientTlsMaterial = {};
  const dotdir = home ? join(home, ".postgresql") : null;
  const verifyMode = mode === "verify-ca" || mode === "verify-full";

  // 1. Root certificates: with a root file present libpq verifies under every sslmode (libpq.md §1.2).
  let verifies = false;
  const rootParam = values.sslrootcert;
  if (rootParam === "system" && major >= 16) {
    material.systemRoots = true;
    // The client's own store, empty when its OpenSSL finds none: then verification fails as libpq's does.
    if (trustStore) material.ca = trustStorePems(trustStore);
    verifies = true;
  } else {
    const rootPath = rootParam || (dotdir ? join(dotdir, "root.crt") : null);
    const st = rootPath ? statOrNull(rootPath) : null;
    if (rootPath && st) {
      const text = st.isFile() ? readText(rootPath) : "";
      if (text === "too-big")
        return {
          ok: false,
          code: "root-unreadable",
          path: rootPath,
          message: `could not read root certificate file "${rootPath}": ${TOO_BIG}`,
        };
      const certs = pemCertificates(text);
      if (certs.length === 0) {
        return {
          ok: false,
          code: "root-unreadable",
          path: rootPath,
          message: `could not read root certificate file "${rootPath}": no certificate or crl found`,
        };
      }
      material.ca = certs.join("\n");
      material.rootPath = rootPath;
      verifies = true;
      // 2. CRLs are consulted only when a root file was loaded. Defaults: ~/.postgresql/root.crl.
      const crlFile = values.sslcrl || (values.sslcrldir || !dotdir ? undefined : join(dotdir, "root.crl"));
      const crls = loadCrls(crlFile, values.sslcrldir || undefined);
      if (crls.length > 0) material.crl = crls;
    } else if (verifyMode) {
      if (!rootPath) {
        return {
          ok: false,
          code: "root-missing",
          path: "",
          message: noHomeForRootMessage(major),
        };
      }
      return { ok: false, code: "root-missing", path: rootPath, message: rootMissingMessage(rootPath, major) };
    }
  }

  // 3. Client certificate: a missing file means "no client certificate", silently.
  if (values.sslcertmode === "disable" && major >= 16) return { ok: true, material, verifies };
  const certPath = values.sslcert || (dotdir ? join(dotdir, "postgresql.crt") : null);
  const certStat = certPath ? statOrNull(certPath) : null;
  if (!certPath || !certStat) return { ok: true, material, verifies };
  const certText = certStat.isFile() ? readText(certPath) : "";
  if (certText === "too-big")
    return {
      ok: false,
      code: "cert-unreadable",
      path: certPath,
      message: `could not read certificate file "${certPath}": ${TOO_BIG}`,
    };
  const certPems = pemCertificates(certText);
  if (certPems.length === 0) {
    return {
      ok: false,
      code: "cert-unreadable",
      path: certPath,
      message: `could not read certificate file "${certPath}": no start line`,
    };
  }
  material.cert = certPems.join("\n");
  material.certPath = certPath;

  // 4. The key: only looked at once a certificate was loaded.
  const keyPath = values.sslkey || (dotdir ? join(dotdir, "postgresql.key") : null);
  const keyStat = keyPath ? statOrNull(keyPath) : null;
  if (!keyPath || !keyStat) {
    return {
      ok: false,
      code: "key-missing",
      path: keyPath ?? "",
      message: `certificate present, but not private key file "${keyPath ?? "~/.postgresql/postgresql.key"}"`,
    };
  }
  if (!keyStat.isFile()) {
    return {
      ok: false,
      code: "key-not-regular",
      path: keyPath,
      message: `private key file "${keyPath}" is not a regular file`,
    };
  }
  // libpq.md §2: root-owned keys may be group-readable; others must have no group/other bits at all.
  const loose = keyStat.uid === 0 ? Number(keyStat.mode) & 0o037 : Number(keyStat.mode) & 0o077;
  if (loose !== 0) {
    return {
      ok: false,
      code: "key-permissions",
      path: keyPath,
      message: `private key file "${keyPath}" has group or world access; file must have permissions u=rw (0600) or less if owned by the current user, or permissions u=rw,g=r (0640) or less if owned by root`,
    };
  }
  const key = loadKey(keyPath, values.sslpassword);
  if (!key) {
    return {
      ok: false,
      code: "key-unreadable",
      path: keyPath,
      message: `could not load private key file "${keyPath}": ${values.sslpassword ? "bad decrypt" : "problems getting password"}`,
    };
  }
  try {
    if (!new X509Certificate(certPems[0] ?? "").checkPrivateKey(key)) throw new Error("mismatch");
  } catch {
    return {
      ok: false,
      code: "key-mismatch",
      path: keyPath,
      message: `certificate does not match private key file "${keyPath}": key values mismatch`,
    };
  }
  material.key = key.export({ format: "pem", type: "pkcs8" }).toString();
  material.keyPath = keyPath;
  return { ok: true, material, verifies };
}

/**
 * prepareClientTls for every sslmode of one run, computed once: the result depends on the mode only through
 * "does it verify" (verify-ca, verify-full), and reading and parsing a large root bundle takes seconds of CPU that
 * must be spent before the network deadlines start. The same material object comes back for the same answer, so
 * TLS contexts built from it are shared too (secureContextFor).
 */
export class ClientTlsCache {
  private readonly byVerify = new Map<boolean, ClientTlsSetup>();
  private readonly byContent = new Map<string, ClientTlsMaterial>();
  constructor(private readonly input: Omit<ClientTlsInput, "mode">) {}
  setup(mode: SslMode): ClientTlsSetup {
    const verify = mode === "verify-ca" || mode === "verify-full";
    let s = this.byVerify.get(verify);
    // With a root file present (loaded or not), initialize_SSL does the same whatever the sslmode: reuse it.
    const other = this.byVerify.get(!verify);
    if (
      !s &&
      other &&
      ((other.ok && other.material.rootPath !== undefined) || (!other.ok && other.code === "root-unreadable"))
    ) {
      s = other;
      this.byVerify.set(verify, s);
    }
    if (!s) {
      s = prepareClientTls({ ...this.input, mode });
      // Equal material is the same object: attempts that differ only by mode are then recognised as the same
      // attempt (the matrix makes it once), and share one TLS context.
      if (s.ok) {
        const key = createHash("sha256").update(JSON.stringify(s.material)).digest("hex");
        const same = this.byContent.get(key);
        if (same) s = { ...s, material: same };
        else this.byContent.set(key, s.material);
      }
      this.byVerify.set(verify, s);
    }
    return s;
  }
}

export interface ContextOptions {
  minVersion?: SecureVersion;
  maxVersion?: SecureVersion;
  ciphers: string;
}

const contexts = new WeakMap<ClientTlsMaterial, Map<string, SecureContext>>();

/**
 * One TLS context per material and version range, built once: Node would otherwise parse the whole root bundle
 * again for every connection (tls.connect without `secureContext`), on the clock of that connection's timeout.
 */
export function secureContextFor(material: ClientTlsMaterial, o: ContextOptions): SecureContext {
  let byOptions = contexts.get(material);
  if (!byOptions) {
    byOptions = new Map();
    contexts.set(material, byOptions);
  }
  const key = `${o.minVersion ?? ""}|${o.maxVersion ?? ""}|${o.ciphers}`;
  let ctx = byOptions.get(key);
  if (!ctx) {
    ctx = createSecureContext({
      ...(material.ca !== undefined ? { ca: material.ca } : {}),
      ...(material.crl !== undefined ? { crl: material.crl } : {}),
      ...(material.cert !== undefined ? { cert: material.cert } : {}),
      ...(material.key !== undefined ? { key: material.key } : {}),
      minVersion: o.minVersion ?? "TLSv1.2",
      ...(o.maxVersion ? { maxVersion: o.maxVersion } : {}),
      ciphers: o.ciphers,
    });
    byOptions.set(key, ctx);
  }
  return ctx;
}
