// Reads the files libpq would read and gathers typed facts (no judgments): what each file holds, how it is
// protected, what libpq and OpenSSL would do with it (load it, match the key, verify a chain, check a CRL). The rules
// of src/rules/files and src/rules/certs judge a FileAnalysis.

import { createPrivateKey, type KeyObject } from "node:crypto";
import { homedir, userInfo } from "node:os";
import { join } from "node:path";
import type { EffectiveParam } from "../conninfo/types.js";
import { listDirCapped, READ_CAPS, type ReadOutcome, readCapped } from "../io/read.js";
import type { LibpqMajor } from "../model/options.js";
import { chainFileError, type LoadedTrust, loadTrust, pemObjects } from "./chain.js";
import { type ClientChain, checkClientChain, type KeyMatch, matchKey } from "./client.js";
import { type Decoded, decodeContent, isPrivateKeyKind, type ObjectKind } from "./content.js";
import { type CrlInfo, parseCrl } from "./crl.js";
import { type CrlCheck, checkCrls } from "./crl-check.js";
import { type HostnameResult, ipToText, matchHostname } from "./hostname.js";
import { rootMissingMessage } from "./libpq-messages.js";
import type { Pkcs12Facts } from "./pkcs12.js";
import { verifyServerChainFacts } from "./server-chain.js";
import type { CertSummary, ChainVerification, FileFacts, FileRole } from "./types.js";
import { type CertInfo, daysBetween, parseCertificate } from "./x509.js";

export interface ReadFile {
  role: FileRole;
  path: string;
  origin: "explicit" | "default";
  read: ReadOutcome;
  decoded?: Decoded;
  /**
   * OpenSSL gets objects out of it: a regular file within the size cap holding PEM blocks or one DER object other
   * than a PKCS#12 bundle (libpq reads neither a keystore nor PKCS#12).
   */
  usable: boolean;
  certs: CertInfo[];
  /** Certificate blocks that did not parse. */
  badCerts: number;
  crls: CrlInfo[];
  facts: FileFacts;
  /** Set by the stage (async, node-forge) when the file is a PKCS#12 bundle. */
  pkcs12?: Pkcs12Facts;
  /**
   * OpenSSL's reason for refusing the file as libpq loads it (sslrootcert and sslcrl: X509_load_cert_crl_file;
   * sslcert: SSL_CTX_use_certificate_chain_file), what libpq prints after `could not read ... file "...": `.
   * Absent when OpenSSL loads it (or for a role libpq does not load this way).
   */
  opensslError?: string;
}

export type KeyLoad =
  | { ok: true; key: KeyObject }
  | { ok: false; why: "needs-password" | "bad-decrypt" | "unsupported" | "unreadable"; detail: string };

export interface KeyAnalysis {
  file: ReadFile;
  encryption: "none" | "pkcs8" | "traditional";
  der: boolean;
  /** Certificates (or other objects) next to the key in the key file. */
  extraObjects: ObjectKind[];
  load: KeyLoad | null;
  /** The key file's permission bits and owner, and whether libpq refuses them (not checked on Windows). */
  permissions?: { mode: number; uid: number; refused: boolean };
}

export interface CrlDirAnalysis {
  path: string;
  origin: "explicit" | "default";
  exists: boolean;
  isDir: boolean;
  entries: string[];
  hashedEntries: string[];
}

export interface ServerAnalysis {
  file: ReadFile;
  host?: string;
  /** Does libpq verify the chain under this sslmode and root file? */
  chainChecked: boolean;
  chain?: ChainVerification;
  hostnameChecked: boolean;
  hostname?: HostnameResult;
}

export interface FileAnalysis {
  libpq: LibpqMajor;
  now: Date;
  sslmode: string;
  user?: string;
  sslpasswordSet: boolean;
  rootSystem: boolean;
  root?: ReadFile;
  cert?: ReadFile;
  key?: KeyAnalysis;
  crl?: ReadFile;
  crlDir?: CrlDirAnalysis;
  /** Trust as libpq would load it (only when a root file exists or sslrootcert=system). */
  trust?: LoadedTrust;
  /** The certificates of sslcert when it is a readable PEM file holding any (the client's, then intermediates). */
  clientCerts?: CertInfo[];
  /** libpq loads a client certificate (and then reads the key): sslcert yields certificates without a broken block. */
  clientCertLoaded: boolean;
  /** The loaded key against the loaded client certificate. */
  keyMatch?: KeyMatch;
  /** The client's chain against sslrootcert (with a root file and a client certificate). */
  clientChain?: ClientChain;
  /** Every CRL libpq would load, checked against the root file and the certificates here. */
  crlChecks: CrlCheck[];
  server?: ServerAnalysis;
}

export interface AnalyzeOptions {
  libpq: LibpqMajor;
  now: Date;
  user?: string;
  sslpassword?: string;
  env: NodeJS.ProcessEnv;
  serverCertFile?: string;
  host?: string;
  /** The modelled client's OpenSSL security level, for the chain verdict (the rules choose it). */
  securityLevel: number;
}

/**
 * libpq's home directory: $HOME when set, else getpwuid(). (Current minor releases of every supported major check
 * HOME first; psql 15.18 here does, as the libpq comparison test shows.)
 */
export function libpqHome(env: NodeJS.ProcessEnv, _major: LibpqMajor): string {
  if (env.HOME) return env.HOME;
  try {
    return userInfo().homedir;
  } catch {
    return homedir();
  }
}

function summary(c: CertInfo, index: number, now: Date): CertSummary {
  const s: CertSummary = {
    index,
    subject: c.subject,
    issuer: c.issuer,
    serial: c.serialHex,
    notBefore: c.notBefore.toISOString(),
    notAfter: c.notAfter.toISOString(),
    daysLeft: daysBetween(now, c.notAfter),
    key: `${c.keyType}${c.keyBits ? ` ${c.keyBits}` : ""}${c.curve ? ` (${c.curve})` : ""}`,
    signature: c.sigAlgName,
    ca: c.basicConstraints?.ca === true,
    selfSigned: c.selfIssued,
  };
  if (c.hasSanExtension) s.sans = c.san.map((e) => (e.type === "dns" ? `DNS:${e.value}` : `IP:${ipToText(e.bytes)}`));
  if (c.extKeyUsage) s.extKeyUsage = c.extKeyUsage;
  return s;
}

export function readRoleFile(role: FileRole, path: string, origin: "explicit" | "default", now: Date): ReadFile {
  const read = readCapped(path, READ_CAPS.certificate);
  const facts: FileFacts = { role, path, origin, exists: read.status !== "missing" };
  const rf: ReadFile = { role, path, origin, read, usable: false, certs: [], badCerts: 0, crls: [], facts };
  switch (read.status) {
    case "missing":
      facts.status = "missing";
      return rf;
    case "unreadable":
      facts.status = "unreadable";
      return rf;
    case "not-regular":
      facts.status = "not-regular";
      facts.format = read.stat.isDirectory() ? "directory" : undefined;
      return rf;
    case "ok":
      break;
  }
  facts.size = read.stat.size;
  facts.mode = (read.stat.mode & 0o7777).toString(8).padStart(4, "0");
  facts.uid = read.stat.uid;
  if (read.truncated) {
    facts.status = "too-big";
    return rf;
  }
  const decoded = decodeContent(read.data);
  rf.decoded = decoded;
  rf.usable = (decoded.format === "pem" || decoded.format === "der") && decoded.der?.kind !== "pkcs12";
  facts.format = decoded.format;
  facts.status = decoded.format === "empty" ? "empty" : "ok";
  const kinds: ObjectKind[] =
    decoded.format === "pem" ? decoded.blocks.map((b) => b.kind) : decoded.der ? [decoded.der.kind] : [];
  facts.holds = kinds;
  const objects =
    decoded.format === "pem"
      ? decoded.blocks.map((b) => ({ kind: b.kind, der: b.der }))
      : decoded.der
        ? [{ kind: decoded.der.kind, der: decoded.der.body }]
        : [];
  for (const o of objects) {
    if (o.kind === "certificate") {
      try {
        rf.certs.push(parseCertificate(o.der));
      } catch {
        rf.badCerts++;
      }
    } else if (o.kind === "crl") {
      try {
        rf.crls.push(parseCrl(o.der));
      } catch {
        // counted as unreadable content by the rules through holds/crls
      }
    }
  }
  if (role === "sslrootcert" || role === "sslcrl") {
    const loaded = pemObjects(decoded);
    if ("error" in loaded) rf.opensslError = loaded.error;
  } else if (role === "sslcert") {
    const error = chainFileError(decoded);
    if (error) rf.opensslError = error;
  }
  if (rf.opensslError !== undefined && decoded.format !== "empty") facts.opensslError = rf.opensslError;
  if (rf.certs.length > 0) facts.certificates = rf.certs.map((c, i) => summary(c, i, now));
  const crl = rf.crls[0];
  if (crl)
    facts.crl = {
      issuer: crl.issuer,
      thisUpdate: crl.thisUpdate.toISOString(),
      nextUpdate: crl.nextUpdate?.toISOString() ?? null,
      revoked: crl.revoked.length,
    };
  return rf;
}

function classifyKeyError(err: unknown): KeyLoad {
  const msg = err instanceof Error ? err.message : String(err);
  const code = (err as { code?: string }).code ?? "";
  if (/bad decrypt|BAD_DECRYPT/i.test(msg)) return { ok: false, why: "bad-decrypt", detail: "bad decrypt" };
  if (/unsupported|unknown cipher|UNSUPPORTED/i.test(msg) || code === "ERR_OSSL_EVP_UNSUPPORTED")
    return { ok: false, why: "unsupported", detail: msg.replace(/^error:[0-9A-F]+:/, "") };
  if (/passphrase|interrupted or cancelled|ERR_MISSING_PASSPHRASE/i.test(`${msg} ${code}`))
    return { ok: false, why: "needs-password", detail: "a passphrase is required" };
  return { ok: false, why: "unreadable", detail: msg.replace(/^error:[0-9A-F]+:/, "") };
}

/**
 * libpq refuses a key file that group or others can access (S_IRWXG | S_IRWXO), or, owned by root, one that others
 * can access or the group can write or execute (fe-secure-openssl.c; not on Windows).
 */
function keyPermissions(read: ReadOutcome): KeyAnalysis["permissions"] {
  if (read.status !== "ok") return undefined;
  const { mode, uid } = read.stat;
  const open = uid === 0 ? mode & 0o037 : mode & 0o077;
  return { mode, uid, refused: open !== 0 && process.platform !== "win32" };
}

function analyzeKey(file: ReadFile, sslpassword: string | undefined): KeyAnalysis {
  const out: KeyAnalysis = { file, encryption: "none", der: false, extraObjects: [], load: null };
  const permissions = keyPermissions(file.read);
  if (permissions) out.permissions = permissions;
  const d = file.decoded;
  if (file.read.status !== "ok" || !d || file.facts.status !== "ok") return out;
  let keyInput: { key: Buffer | string; format: "pem" | "der"; type?: "pkcs8" | "pkcs1" | "sec1" } | null = null;
  if (d.format === "pem") {
    const keyBlock = d.blocks.find((b) => isPrivateKeyKind(b.kind));
    out.extraObjects = d.blocks.filter((b) => b !== keyBlock).map((b) => b.kind);
    if (keyBlock) {
      if (keyBlock.kind === "encrypted-private-key") out.encryption = "pkcs8";
      else if (keyBlock.headers["Proc-Type"]?.includes("ENCRYPTED")) out.encryption = "traditional";
      keyInput = {
        key: keyBlock.pem,
        format: "pem",
      };
    }
  } else if (d.format === "der" && d.der && isPrivateKeyKind(d.der.kind)) {
    out.der = true;
    if (d.der.kind === "encrypted-private-key") out.encryption = "pkcs8";
    const type = d.der.kind === "rsa-private-key" ? "pkcs1" : d.der.kind === "ec-private-key" ? "sec1" : "pkcs8";
    keyInput = { key: d.der.body, format: "der", type };
  }
  if (!keyInput) {
    out.load = { ok: false, why: "unreadable", detail: "no private key in the file" };
    return out;
  }
  if (out.encryption !== "none" && !sslpassword) {
    out.load = { ok: false, why: "needs-password", detail: "encrypted, and no sslpassword" };
    return out;
  }
  try {
    const key = createPrivateKey(out.encryption === "none" ? keyInput : { ...keyInput, passphrase: sslpassword ?? "" });
    out.load = { ok: true, key };
    file.facts.key = {
      type: key.asymmetricKeyType ?? "unknown",
      bits: key.asymmetricKeyDetails?.modulusLength ?? null,
      encryption: out.encryption,
      loaded: true,
    };
  } catch (err) {
    out.load = classifyKeyError(err);
  }
  if (!file.facts.key) file.facts.key = { type: "unknown", bits: null, encryption: out.encryption, loaded: false };
  return out;
}

function analyzeCrlDir(path: string, origin: "explicit" | "default"): CrlDirAnalysis {
  const out: CrlDirAnalysis = { path, origin, exists: false, isDir: false, entries: [], hashedEntries: [] };
  // A FIFO, device or link loop in place of the directory is "not a directory"; nothing is ever opened but a real one.
  const listed = listDirCapped(path);
  if (listed.status === "missing" || (listed.status === "unreadable" && !listed.directory)) return out;
  out.exists = true;
  out.isDir = listed.status === "ok" || listed.status === "unreadable";
  if (listed.status === "ok") {
    out.entries = listed.entries;
    out.hashedEntries = out.entries.filter((e) => /^[0-9a-f]{8}\.r\d+$/.test(e));
  }
  return out;
}

function param(effective: Record<string, EffectiveParam>, key: string): EffectiveParam | undefined {
  const p = effective[key];
  return p && p.value !== "" ? p : undefined;
}

function originOf(p: EffectiveParam | undefined): "explicit" | "default" {
  return p && p.source !== "default" ? "explicit" : "default";
}

/** The provenance label of a file parameter: PGSSLROOTCERT is not "(explicit)" to someone reading a report. */
function provenance(p: EffectiveParam | undefined): string {
  if (!p || p.source === "default") return "default";
  if (p.source === "connstring") return "connection string";
  if (p.source === "service") return p.detail ? `service file (${p.detail})` : "service file";
  return p.detail ?? (p.source === "env" ? "environment" : "application");
}

/** Gather everything libpq would read, as libpq would find it. */
export function analyzeFiles(effective: Record<string, EffectiveParam>, o: AnalyzeOptions): FileAnalysis {
  const sslmode = effective.sslmode?.value || "prefer";
  const a: FileAnalysis = {
    libpq: o.libpq,
    now: o.now,
    sslmode,
    sslpasswordSet: Boolean(o.sslpassword),
    rootSystem: false,
    clientCertLoaded: false,
    crlChecks: [],
  };
  if (o.user) a.user = o.user;
  const home = libpqHome(o.env, o.libpq);
  const dotpg = (f: string) => join(home, ".postgresql", f);

  const rootP = param(effective, "sslrootcert");
  if (rootP?.value === "system" && o.libpq >= 16) {
    a.rootSystem = true;
  } else {
    a.root = readRoleFile("sslrootcert", rootP?.value ?? dotpg("root.crt"), originOf(rootP), o.now);
  }
  const certP = param(effective, "sslcert");
  a.cert = readRoleFile("sslcert", certP?.value ?? dotpg("postgresql.crt"), originOf(certP), o.now);
  const keyP = param(effective, "sslkey");
  const keyFile = readRoleFile("sslkey", keyP?.value ?? dotpg("postgresql.key"), originOf(keyP), o.now);
  keyFile.facts.from = provenance(keyP);
  a.key = analyzeKey(keyFile, o.sslpassword);

  for (const [file, p] of [
    [a.root, rootP],
    [a.cert, certP],
  ] as const)
    if (file) file.facts.from = provenance(p);

  const crlP = param(effective, "sslcrl");
  const crlDirP = o.libpq >= 14 ? param(effective, "sslcrldir") : undefined;
  if (crlP) a.crl = readRoleFile("sslcrl", crlP.value, originOf(crlP), o.now);
  else if (!crlDirP) a.crl = readRoleFile("sslcrl", dotpg("root.crl"), "default", o.now);
  if (a.crl) a.crl.facts.from = provenance(crlP);
  if (crlDirP) a.crlDir = analyzeCrlDir(crlDirP.value, "explicit");

  // libpq loads trust (and CRLs) only when the root file stat()s, or for sslrootcert=system.
  if (a.rootSystem) a.trust = loadTrust({ system: true });
  else if (a.root && a.root.read.status !== "missing")
    a.trust = loadTrust({
      rootFile: a.root.path,
      ...(a.crl ? { crlFile: a.crl.path } : {}),
      ...(a.crlDir ? { crlDir: a.crlDir.path } : {}),
    });

  if (o.serverCertFile) {
    const file = readRoleFile("server-cert", o.serverCertFile, "explicit", o.now);
    const server: ServerAnalysis = { file, chainChecked: false, hostnameChecked: false };
    if (o.host !== undefined) server.host = o.host;
    const leaf = file.certs[0];
    const verifyCa = sslmode === "verify-ca" || sslmode === "verify-full";
    if (leaf && a.trust && sslmode !== "disable") {
      server.chainChecked = true;
      const source = a.rootSystem ? { kind: "system" as const } : { kind: "file" as const, path: a.root?.path ?? "" };
      server.chain = verifyServerChainFacts(file.certs, a.trust, source, o);
    } else if (leaf && verifyCa && !a.trust) {
      server.chainChecked = true;
      const message = rootMissingMessage(a.root?.path ?? "", o.libpq);
      server.chain = { trust: { kind: "none", reason: message }, ok: false, reason: "unreadable-root", message };
    }
    if (leaf && sslmode === "verify-full") {
      server.hostnameChecked = true;
      server.hostname = matchHostname(leaf.der, o.host ?? effective.host?.value ?? "", o.libpq);
    }
    a.server = server;
  }

  // The client certificate as libpq loads it: a readable PEM file with certificates (DER is not read).
  const cert = a.cert;
  if (cert?.usable && cert.decoded?.format !== "der" && cert.certs.length > 0) {
    a.clientCerts = cert.certs;
    a.clientCertLoaded = cert.opensslError === undefined;
    if (a.trust) {
      const chain = checkClientChain(cert.certs, a.trust, o.now);
      if (chain) a.clientChain = chain;
    }
  }
  if (a.clientCertLoaded && a.clientCerts && a.key?.load?.ok) {
    a.keyMatch = matchKey(a.clientCerts, a.key.load.key);
    if (a.key.file.facts.key) a.key.file.facts.key.matchesCertificate = a.keyMatch.leafMatches;
  }
  a.crlChecks = checkCrls({
    fileCrls: a.crl?.crls ?? [],
    ...(a.trust ? { trust: a.trust } : {}),
    crlDirInUse: a.crlDir?.isDir ?? false,
    revocable: [a.cert, a.server?.file]
      .filter((f): f is ReadFile => f !== undefined)
      .map((f) => ({ role: f.role, path: f.path, certs: f.certs })),
  });
  return a;
}
