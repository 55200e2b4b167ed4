// The certificates the certificate rules judge, wherever they come from: the files libpq reads (sslrootcert,
// sslcert, --server-cert) and the chain each probed server sent. One view of both, so a certificate gets the same
// codes and texts from a file and from the wire; the rules of this family read only this view.
import type { FileAnalysis, ReadFile } from "../../pki/analyze.js";
import { ipToText } from "../../pki/hostname.js";
import type { ChainTrust, ChainVerification } from "../../pki/types.js";
import { shortName } from "../../pki/x509.js";
import { endpointLabel } from "../../probe/label.js";
import type { CertFacts, EndpointFacts } from "../../probe/types.js";
import type { Facts } from "../facts.js";

/** One certificate, as the judgments need it. */
export interface CertView {
  subject: string;
  issuer: string;
  notBefore: Date;
  notAfter: Date;
  keyType: string;
  keyBits: number | null;
  keySecurityBits: number | null;
  /** The EC curve, for an EC key. */
  curve?: string;
  signatureAlgorithm: string;
  signatureSecurityBits: number | null;
  selfIssued: boolean;
  /** basicConstraints CA:TRUE. */
  ca: boolean;
  /** "CN=x" for short texts (the subject when there is no CN). */
  name: string;
  /** The names libpq's host-name check looks at: the SANs ("DNS:x", "IP:y"), else the CN. */
  names: string[];
}

/** Whose certificates these are: decides what a fix says (replace a file, or renew on the server and reload). */
export type Holder = "root" | "client" | "server";

export interface CertificateSet {
  /** What findings are about: the parameter ("sslrootcert", "sslcert", "server-cert") or the endpoint. */
  subject: string;
  /** How a message names the set: `sslcert "client.crt"`, `the chain db:5432 sent`. */
  label: string;
  holder: Holder;
  from: "file" | "server";
  /** The file, for a set read from one. */
  path?: string;
  certs: CertView[];
  /** For a set that is part of a file (the root certificates in use): each one's index in the file, and the count. */
  positions?: { index: number[]; of: number };
}

/** A server's chain with what libpq's checks said about it. */
export interface ServerChain extends CertificateSet {
  holder: "server";
  /** libpq's chain check; null when libpq does not verify the chain here (no root file below verify-ca). */
  verification: ChainVerification | null;
  /** libpq's verify-full host-name check; null when it does not apply. */
  hostname: { host: string; ok: boolean; matched?: string; message?: string } | null;
  /** The root file is missing and verify-ca/verify-full already fails on that (files/verification says so). */
  rootMissing: boolean;
}

function fromFile(c: ReadFile["certs"][number]): CertView {
  return {
    subject: c.subject,
    issuer: c.issuer,
    notBefore: c.notBefore,
    notAfter: c.notAfter,
    keyType: c.keyType,
    keyBits: c.keyBits,
    keySecurityBits: c.keySecurityBits,
    ...(c.curve ? { curve: c.curve } : {}),
    signatureAlgorithm: c.sigAlgName,
    signatureSecurityBits: c.signatureSecurityBits,
    selfIssued: c.selfIssued,
    ca: c.basicConstraints?.ca === true,
    name: shortName(c),
    names: sanList(c),
  };
}

function sanList(c: ReadFile["certs"][number]): string[] {
  if (c.san.length === 0) return c.commonNames[0] ? [`CN=${c.commonNames[0].toString("utf8")}`] : [];
  return c.san.map((e) => (e.type === "dns" ? `DNS:${e.value}` : `IP:${ipToText(e.bytes)}`));
}

function fromWire(c: CertFacts): CertView {
  const cn = /(?:^|, )CN=([^,]+)/.exec(c.subject)?.[1];
  const sans = (c.subjectAltName ?? "")
    .split(/,\s*/)
    .filter((s) => s !== "")
    .map((s) => s.replace(/^IP Address:/, "IP:"));
  return {
    subject: c.subject,
    issuer: c.issuer,
    notBefore: new Date(c.notBefore),
    notAfter: new Date(c.notAfter),
    keyType: c.keyType,
    keyBits: c.keyBits ?? null,
    keySecurityBits: c.keySecurityBits,
    ...(c.curve ? { curve: c.curve } : {}),
    signatureAlgorithm: c.signatureAlgorithm,
    signatureSecurityBits: c.signatureSecurityBits,
    selfIssued: c.selfIssued,
    ca: c.isCa,
    name: cn ? `CN=${cn}` : c.subject,
    names: sans.length > 0 ? sans : cn ? [`CN=${cn}`] : [],
  };
}

const fileLabel = (f: ReadFile) => `${f.role} "${f.path}"`;

/** The root file, when libpq reads certificates from it (not under disable, not sslrootcert=system, PEM). */
export function loadedRoot(a: FileAnalysis): ReadFile | undefined {
  const f = a.root;
  if (a.rootSystem || a.sslmode === "disable" || !f) return undefined;
  if (!f.usable || f.decoded?.format === "der" || f.certs.length === 0) return undefined;
  return f;
}

/** The --server-cert file, when it holds certificates to judge. */
export function serverCertFile(a: FileAnalysis): ReadFile | undefined {
  const f = a.server?.file;
  return f?.usable && f.certs.length > 0 ? f : undefined;
}

function fileSet(f: ReadFile, holder: Holder): CertificateSet {
  return { subject: f.role, label: fileLabel(f), holder, from: "file", path: f.path, certs: f.certs.map(fromFile) };
}

/** Endpoints whose TLS counts: not skipped, and not under sslmode=disable, where libpq never speaks TLS. */
export function tlsEndpoints(facts: Facts): EndpointFacts[] {
  const s = facts.server;
  if (!s || s.sslmode === "disable") return [];
  return s.facts.endpoints.filter((ep) => !ep.skipped);
}

/** Every server chain: the --server-cert file and the chain each probed server sent. */
export function serverChains(facts: Facts): ServerChain[] {
  const out: ServerChain[] = [];
  const a = facts.files;
  const file = a && serverCertFile(a);
  if (a && file) {
    const s = a.server;
    out.push({
      ...fileSet(file, "server"),
      holder: "server",
      verification: s?.chainChecked && s.chain ? s.chain : null,
      hostname: s?.hostnameChecked && s.hostname ? { host: s.host ?? "", ...s.hostname } : null,
      rootMissing: a.root?.read.status === "missing",
    });
  }
  for (const ep of tlsEndpoints(facts)) {
    const chain = ep.tls?.chain ?? [];
    const label = endpointLabel(ep);
    // Only a verify-full connection (or `dbdoctor server`, which judges everything) checks the host name.
    const sslmode = facts.server?.sslmode;
    const nameMatters = sslmode === undefined || sslmode === "verify-full";
    out.push({
      subject: label,
      label: `the chain ${label} sent`,
      holder: "server",
      from: "server",
      certs: chain.map(fromWire),
      verification: ep.chain && ep.chain.trust.kind !== "none" ? ep.chain : null,
      hostname: nameMatters && ep.hostname ? ep.hostname : null,
      rootMissing: false,
    });
  }
  return out;
}

/**
 * Which certificates of the root file count, as OpenSSL uses them: a root file is a set of candidates, and
 * X509_verify_cert only looks at the ones that end up in the chain it builds. So the certificates on a verified
 * chain's path are judged strictly (dates, strength); the others are only counted (an expired regional root of a
 * provider's bundle breaks nothing). A file of one certificate is judged strictly all the same: it is the root in
 * use or none is. Without any verified chain, a bundle is only counted, and it is an error only when no usable
 * root is left in it.
 */
export interface RootUse {
  file: ReadFile;
  /** The certificates judged strictly. */
  judged: ReadFile["certs"];
  /** The others, summarised. */
  unused: ReadFile["certs"];
  /** The split comes from a chain that verified through the file (else from the file's size). */
  byUse: boolean;
}

export function rootUse(facts: Facts): RootUse | undefined {
  const a = facts.files;
  const f = a && loadedRoot(a);
  if (!f) return undefined;
  const onPath = new Set<string>();
  for (const chain of serverChains(facts)) {
    const v = chain.verification;
    if (v?.ok === true && v.trust.kind === "file" && v.trust.path === f.path)
      for (const s of v.path ?? []) onPath.add(s);
  }
  const used = f.certs.filter((c) => onPath.has(c.subject));
  if (used.length > 0)
    return { file: f, judged: used, unused: f.certs.filter((c) => !onPath.has(c.subject)), byUse: true };
  if (f.certs.length === 1) return { file: f, judged: f.certs, unused: [], byUse: false };
  return { file: f, judged: [], unused: f.certs, byUse: false };
}

/** Every set of certificates whose own dates and strength count: root and client files, then the server chains. */
export function certificateSets(facts: Facts): CertificateSet[] {
  const out: CertificateSet[] = [];
  const a = facts.files;
  const use = rootUse(facts);
  if (use && use.judged.length > 0)
    out.push({
      ...fileSet(use.file, "root"),
      certs: use.judged.map(fromFile),
      positions: { index: use.judged.map((c) => use.file.certs.indexOf(c)), of: use.file.certs.length },
    });
  if (a?.clientCerts && a.cert) out.push(fileSet(a.cert, "client"));
  out.push(...serverChains(facts).filter((c) => c.certs.length > 0));
  return out;
}

/** `sslcert "client.crt" (certificate 2 of 3)`: which certificate of a set a message is about. */
export function where(set: CertificateSet, index: number): string {
  const at = set.positions?.index[index] ?? index;
  const of = set.positions?.of ?? set.certs.length;
  return `${set.label}${of > 1 ? ` (certificate ${at + 1} of ${of})` : ""}`;
}

export function againstText(trust: ChainTrust): string {
  return trust.kind === "file"
    ? `root file ${trust.path}`
    : trust.kind === "system"
      ? "the system's trusted roots"
      : "no root file";
}

/**
 * libpq prints only OpenSSL's "certificate verify failed" (SSL_ERROR_SSL); the X509 reason is what the pure check
 * adds, so it is shown apart.
 */
export function libpqVerifyText(message: string | undefined): string {
  if (!message) return "";
  const prefix = "certificate verify failed: ";
  if (message.startsWith(prefix))
    return `libpq: "SSL error: certificate verify failed" (OpenSSL: ${message.slice(prefix.length)})`;
  return `libpq: "${message}"`;
}

/** Is a certificate outside its validity period at `now` (what the validity rule reports on its own)? */
export function outOfDates(c: CertView, now: Date): boolean {
  return c.notAfter < now || c.notBefore > now;
}
