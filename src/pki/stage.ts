// The files stage of `check` (and the body of `dbdoctor certs`): read what libpq would read and measure what libpq
// and OpenSSL would do with it. Facts only: src/rules/files and src/rules/certs judge them.

import type { EffectiveParam } from "../conninfo/types.js";
import type { LibpqMajor } from "../model/options.js";
import type { StageResult } from "../model/stage.js";
import { analyzeFiles, type FileAnalysis } from "./analyze.js";
import { handshakeProblem } from "./handshake.js";
import type { CrlCheckFacts, FileFacts, FilesFacts, ServerCertFacts } from "./types.js";

export interface FilesStageContext {
  libpq: LibpqMajor;
  now: Date;
  /** The modelled client's OpenSSL security level, for chain verdicts (the rules choose it; the engine passes it). */
  securityLevel: number;
  user?: string;
  sslpassword?: string;
  env: NodeJS.ProcessEnv;
  /** `dbdoctor certs --server-cert F --host H`. */
  serverCertFile?: string;
  host?: string;
}

export interface FilesStage {
  /** What the report shows. */
  result: StageResult<FilesFacts>;
  /** What the rules judge (present when the stage completed). */
  analysis?: FileAnalysis;
}

function libpqNote(f: FileFacts, a: FileAnalysis): string | undefined {
  if (f.role === "sslrootcert") {
    if (!f.exists)
      return a.sslmode.startsWith("verify")
        ? "fails: root certificate file does not exist"
        : "not used: no server verification";
    return "loaded: the server's chain is verified against it";
  }
  if (f.role === "sslcert")
    return f.exists ? "sent to the server if the server asks for a certificate" : "skipped silently";
  if (f.role === "sslkey") return f.exists ? "loaded with the client certificate" : undefined;
  if (f.role === "sslcrl")
    return a.trust?.crlCheck
      ? "loaded: CRL checking on for every certificate of the chain"
      : "not used (libpq ignores it silently)";
  return undefined;
}

function crlFacts(a: FileAnalysis): CrlCheckFacts[] {
  return a.crlChecks.map((c) => ({
    issuer: c.crl.issuer,
    source: c.source,
    thisUpdate: c.crl.thisUpdate.toISOString(),
    nextUpdate: c.crl.nextUpdate?.toISOString() ?? null,
    issuerInRoot: c.anchorsKnown ? c.issuer !== null : null,
    signatureOk: c.signatureOk,
    revokes: c.revokes.map((r) => r.cert.subject),
  }));
}

export function factsFromAnalysis(a: FileAnalysis): FilesFacts {
  const files: FileFacts[] = [];
  for (const rf of [a.root, a.cert, a.key?.file, a.crl]) {
    if (!rf) continue;
    const note = libpqNote(rf.facts, a);
    files.push(note ? { ...rf.facts, libpq: note } : rf.facts);
  }
  if (a.crlDir)
    files.push({
      role: "sslcrldir",
      path: a.crlDir.path,
      origin: a.crlDir.origin,
      exists: a.crlDir.exists,
      status: a.crlDir.exists ? (a.crlDir.isDir ? "ok" : "not-regular") : "missing",
      format: "directory",
      crlFiles: a.crlDir.entries,
    });
  const facts: FilesFacts = { files };
  if (a.trust) {
    facts.crlChecking = a.trust.crlCheck;
    if (a.trust.crlOffReason) facts.crlOffReason = a.trust.crlOffReason;
  }
  const cc = a.clientChain;
  if (cc?.intermediateNotSent) facts.clientChain = { ok: false, intermediateNotSent: cc.intermediateNotSent };
  else if (cc?.verification)
    facts.clientChain = cc.verification.ok ? { ok: true } : { ok: false, message: cc.verification.message };
  if (a.crlChecks.length > 0) facts.crls = crlFacts(a);
  const s = a.server;
  if (s) {
    files.push(s.file.facts);
    const chainOk = s.chainChecked ? (s.chain?.ok ?? false) : null;
    const handshake = handshakeProblem(s.file.certs[0]);
    const hostOk = s.hostnameChecked ? (s.hostname?.ok ?? false) : null;
    const server: ServerCertFacts = {
      file: s.file.path,
      sslmode: a.sslmode,
      chainOk,
      hostnameOk: hostOk,
      accepted: s.file.certs.length > 0 && chainOk !== false && hostOk !== false && !handshake,
    };
    if (handshake) server.handshakeMessage = handshake.libpq;
    if (s.host !== undefined) server.host = s.host;
    const chain = s.chain;
    if (chain && chain.ok === false) {
      if (chain.message !== undefined) server.chainMessage = chain.message;
      if (chain.reason !== undefined) server.chainReason = chain.reason;
      if (chain.depth !== undefined) server.chainDepth = chain.depth;
    }
    if (chain?.ok && chain.path) server.chainPath = chain.path;
    if (s.hostname && !s.hostname.ok) server.hostnameMessage = s.hostname.message;
    facts.server = server;
  }
  return facts;
}

/** Run the files stage over the effective parameters (paths and defaults from conninfo.effective). */
export async function runFilesStage(
  effective: Record<string, EffectiveParam>,
  ctx: FilesStageContext,
): Promise<FilesStage> {
  try {
    const a = analyzeFiles(effective, {
      libpq: ctx.libpq,
      now: ctx.now,
      securityLevel: ctx.securityLevel,
      env: ctx.env,
      ...(ctx.user !== undefined ? { user: ctx.user } : {}),
      ...(ctx.sslpassword !== undefined ? { sslpassword: ctx.sslpassword } : {}),
      ...(ctx.serverCertFile !== undefined ? { serverCertFile: ctx.serverCertFile } : {}),
      ...(ctx.host !== undefined ? { host: ctx.host } : {}),
    });
    // PKCS#12 needs node-forge: load it only when such a file is actually there.
    for (const rf of [a.root, a.cert, a.key?.file, a.crl, a.server?.file]) {
      const der = rf?.decoded?.der;
      if (rf && der?.kind === "pkcs12") {
        const { inspectPkcs12 } = await import("./pkcs12.js");
        const p12 = await inspectPkcs12(der.body);
        if (p12) {
          rf.pkcs12 = p12;
          rf.facts.pkcs12 = p12;
        }
      }
    }
    return { result: { status: "completed", value: factsFromAnalysis(a) }, analysis: a };
  } catch (err) {
    return { result: { status: "error", reason: err instanceof Error ? err.message : String(err) } };
  }
}
