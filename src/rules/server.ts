// Rules for the wire-level probe: facts from src/probe in, findings out. Pure.
import { weakKeyReason, weakSignatureReason } from "../probe/cert-info.js";
import type { CertFacts, ChainJudgment, EndpointFacts, ServerFacts } from "../probe/types.js";
import type { Finding } from "./registry.js";
import { type FindingCode, finding } from "./registry.js";

export interface ServerRuleContext {
  now: Date;
  /**
   * Whether a server without TLS is a problem here. `dbdoctor server` asks about TLS, so yes; `check` under
   * sslmode=disable/allow/prefer leaves that verdict to the sslmode matrix.
   */
  sslRequired: boolean;
  /**
   * The configured sslmode, when a connection string gives one (`check`). Under disable libpq never speaks TLS,
   * so nothing past the SSLRequest is a finding; the host-name rule only bites under verify-full. Absent
   * (`dbdoctor server`): everything is judged, as for verify-full.
   */
  sslmode?: string;
}

function subjectOf(ep: EndpointFacts): string {
  const host = ep.host.includes(":") ? `[${ep.host}]` : ep.host;
  const addr = ep.address && ep.address !== ep.host ? ` (${ep.address})` : "";
  return `${host}:${ep.port}${addr}`;
}

function libpqSays(msg: string | undefined): string {
  return msg ? ` libpq: "${msg.split("\n")[0]}"` : "";
}

function certLabel(c: CertFacts, index: number): string {
  return `${index === 0 ? "leaf" : `certificate #${index + 1}`} "${c.subject}"`;
}

function connectionFindings(ep: EndpointFacts, s: string): Finding[] {
  const out: Finding[] = [];
  const dns = ep.dns;
  if (dns && dns.addresses.length === 0) {
    out.push(
      finding(
        "server.dns-failed",
        s,
        `Host name "${ep.hostaddr ?? ep.host}" does not resolve (${dns.outcome}).${libpqSays(dns.libpqMessage)}`,
        {
          evidence: { code: dns.code ?? null, durationMs: dns.durationMs },
        },
      ),
    );
    return out;
  }
  const attempts = ep.tcp ?? [];
  const ok = attempts.some((a) => a.outcome === "ok");
  for (const a of attempts) {
    if (a.outcome === "ok") continue;
    const where = `${a.family === 6 ? `[${a.address}]` : a.address}:${ep.port}`;
    const evidence = { address: a.address, code: a.code ?? null, durationMs: a.durationMs };
    if (ok) {
      out.push(
        finding(
          "server.address-failed",
          s,
          `Address ${where} of ${ep.host} failed (${a.outcome}); another address worked.`,
          { evidence },
        ),
      );
      continue;
    }
    const code: FindingCode =
      a.outcome === "refused"
        ? "server.connection-refused"
        : a.outcome === "timeout"
          ? "server.connect-timeout"
          : "server.unreachable";
    const what =
      a.outcome === "refused"
        ? "refused the connection"
        : a.outcome === "timeout"
          ? `did not complete the TCP connection within ${a.durationMs} ms`
          : `could not be reached (${a.code ?? "error"})`;
    out.push(finding(code, s, `${where} ${what}.${libpqSays(a.libpqMessage)}`, { evidence }));
  }
  return out;
}

function sslRequestFindings(ep: EndpointFacts, s: string, ctx: ServerRuleContext): Finding[] {
  const r = ep.sslRequest;
  if (!r) return [];
  const evidence = { reply: r.reply, byte: r.byte ?? null, durationMs: r.durationMs };
  switch (r.reply) {
    case "timeout":
      return [
        finding(
          "server.no-reply",
          s,
          `${s} accepted the TCP connection but sent nothing within ${r.durationMs} ms after the SSLRequest.`,
          { evidence },
        ),
      ];
    case "closed":
    case "socket-error":
      return [
        finding(
          "server.closed-during-ssl-request",
          s,
          `${s} closed the connection instead of answering the SSLRequest.${libpqSays(r.libpqMessage)}`,
          { evidence },
        ),
      ];
    case "N":
      return ctx.sslRequired
        ? [
            finding(
              "server.ssl-not-supported",
              s,
              `${s} answered 'N' to the SSLRequest: it does not offer TLS.${libpqSays(r.libpqMessage)}`,
              {
                evidence,
              },
            ),
          ]
        : [];
    case "E": {
      const text = r.errorResponse?.message;
      return [
        finding(
          "server.ssl-error-response",
          s,
          `${s} answered the SSLRequest with an ErrorResponse${text ? ` ("${text}")` : ""}.${libpqSays(r.libpqMessage)}`,
          { evidence: { ...evidence, serverCode: r.errorResponse?.code ?? null } },
        ),
      ];
    }
    case "other":
      return [
        finding(
          "server.ssl-invalid-response",
          s,
          `${s} answered the SSLRequest with byte 0x${r.byte} (bytes ${r.sampleHex ?? ""}), not 'S', 'N' or 'E'.${libpqSays(r.libpqMessage)}`,
          {
            evidence,
          },
        ),
      ];
    case "S":
      return r.unencryptedBytesAfterS > 0
        ? [
            finding(
              "server.unencrypted-data-after-ssl-response",
              s,
              `${s} sent ${r.unencryptedBytesAfterS} unencrypted byte(s) right after 'S' (${r.sampleHex ?? ""}), before any TLS.${libpqSays(r.libpqMessage)}`,
              { evidence: { ...evidence, extraBytes: r.unencryptedBytesAfterS } },
            ),
          ]
        : [];
  }
}

function validityFindings(chain: CertFacts[], s: string, now: Date): Finding[] {
  const out: Finding[] = [];
  chain.forEach((c, i) => {
    const label = certLabel(c, i);
    if (Date.parse(c.notAfter) < now.getTime())
      out.push(
        finding("server.cert-expired", s, `The server's ${label} expired on ${c.notAfter}.`, {
          evidence: { subject: c.subject, notAfter: c.notAfter, fingerprint256: c.fingerprint256 },
        }),
      );
    else if (Date.parse(c.notBefore) > now.getTime())
      out.push(
        finding("server.cert-not-yet-valid", s, `The server's ${label} is not valid before ${c.notBefore}.`, {
          evidence: { subject: c.subject, notBefore: c.notBefore, fingerprint256: c.fingerprint256 },
        }),
      );
  });
  return out;
}

function strengthFindings(chain: CertFacts[], s: string): Finding[] {
  const out: Finding[] = [];
  chain.forEach((c, i) => {
    const key = weakKeyReason(c);
    if (key)
      out.push(
        finding("tls.weak-key", s, `The server's ${certLabel(c, i)} has a ${key}.`, {
          evidence: { subject: c.subject },
        }),
      );
    // A self-signed certificate's own signature is never relied on.
    const sig = c.selfIssued ? null : weakSignatureReason(c);
    if (sig)
      out.push(
        finding("tls.weak-signature", s, `The server's ${certLabel(c, i)} is ${sig}.`, {
          evidence: { subject: c.subject },
        }),
      );
  });
  return out;
}

/**
 * Which code a failed chain verification is (reasons from src/pki/chain.ts). "sent-validity": a certificate the
 * server sent is outside its dates, already reported from the dates themselves.
 */
export function chainFailureCode(j: ChainJudgment, sentCount: number): FindingCode | "sent-validity" {
  switch (j.reason) {
    case "expired":
    case "ca-expired":
    case "not-yet-valid":
      if (j.depth !== undefined && j.depth < sentCount) return "sent-validity";
      return j.reason === "not-yet-valid" ? "server.cert-not-yet-valid" : "server.cert-expired";
    case "revoked":
      return "server.cert-revoked";
    case "missing-intermediate":
      return "server.cert-chain-incomplete";
    case "unknown-ca":
      return j.missingIssuer ? "server.cert-chain-incomplete" : "server.cert-untrusted";
    case "self-signed":
      return "server.cert-self-signed";
    case "weak-key":
    case "weak-signature":
      return "server.cert-too-weak";
    default:
      return "server.cert-untrusted";
  }
}

/**
 * libpq prints only OpenSSL's "certificate verify failed" (SSL_ERROR_SSL); the X509 reason is what the pure
 * check adds, so it is shown apart.
 */
export function chainLibpqText(message: string | undefined): string {
  if (!message) return "";
  const prefix = "certificate verify failed: ";
  if (message.startsWith(prefix))
    return ` libpq: "SSL error: certificate verify failed" (OpenSSL: ${message.slice(prefix.length)}).`;
  return ` libpq: "${message}".`;
}

function chainFindings(ep: EndpointFacts, s: string): Finding[] {
  const j = ep.chain;
  if (!j) return [];
  if (j.trust.kind === "none")
    return [finding("server.cert-no-root", s, `The chain ${s} sent was not judged: ${j.trust.reason}.`)];
  if (j.ok !== false) return [];
  const sent = ep.tls?.chain ?? [];
  const code = chainFailureCode(j, sent.length);
  if (code === "sent-validity") return [];
  const against = j.trust.kind === "file" ? `root file ${j.trust.path}` : "the system's trusted roots";
  const evidence = { reason: j.reason ?? null, depth: j.depth ?? null, against };
  const libpq = chainLibpqText(j.message);
  const top = sent[sent.length - 1];
  if (code === "server.cert-chain-incomplete") {
    const issuer = j.missingIssuer ?? top?.issuer ?? "its issuer";
    const holds = j.rootSubjects?.length ? j.rootSubjects.map((x) => `"${x}"`).join(", ") : "no certificate";
    return [
      finding(
        code,
        s,
        `${s} sent ${sent.length} certificate(s), ending at "${top?.subject ?? "?"}" issued by "${issuer}"; that issuer is neither sent by the server nor in ${against}, which holds ${holds}.${libpq}`,
        {
          hint: `If "${issuer}" is an intermediate under ${holds}, append it to the server's ssl_cert_file after the server certificate (or add it to sslrootcert); otherwise set sslrootcert to the CA that issued "${issuer}".`,
          evidence: { ...evidence, missingIssuer: issuer, rootSubjects: j.rootSubjects ?? [] },
        },
      ),
    ];
  }
  if (code === "server.cert-self-signed")
    return [
      finding(
        code,
        s,
        `${s} presents the self-signed "${sent[0]?.subject ?? "?"}", which ${against} does not hold.${libpq}`,
        {
          evidence,
        },
      ),
    ];
  const leaf = sent[0];
  const issuer = leaf ? ` (leaf issued by "${leaf.issuer}")` : "";
  return [finding(code, s, `The chain ${s} sent does not verify against ${against}${issuer}.${libpq}`, { evidence })];
}

function hostnameFindings(ep: EndpointFacts, s: string): Finding[] {
  const h = ep.hostname;
  if (!h || h.ok) return [];
  const leaf = ep.tls?.chain?.[0];
  const names = leaf?.subjectAltName ?? (leaf ? `subject ${leaf.subject}` : "");
  return [
    finding(
      "server.cert-hostname-mismatch",
      s,
      `Under verify-full libpq would refuse host "${h.host}": ${h.message ?? "no name matches"}.`,
      {
        hint: names
          ? `Connect with a name the certificate carries (${names}), or reissue it with "${h.host}" in its SAN.`
          : undefined,
        evidence: { host: h.host, names: names || null },
      },
    ),
  ];
}

function versionFindings(ep: EndpointFacts, s: string): Finding[] {
  const v = ep.versions;
  if (!v || ep.sslRequest?.reply !== "S") return [];
  const out: Finding[] = [];
  const old = (["TLSv1", "TLSv1.1"] as const).filter((x) => v.results[x].status === "accepted");
  if (old.length)
    out.push(
      finding("tls.old-protocol-accepted", s, `${s} accepts ${old.join(" and ")}.`, {
        evidence: { versions: [...old] },
      }),
    );
  const accepted = (Object.keys(v.results) as (keyof typeof v.results)[]).filter(
    (x) => v.results[x].status === "accepted",
  );
  if (v.common !== null && v.common.length === 0 && accepted.length > 0)
    out.push(
      finding(
        "tls.version-range-unmet",
        s,
        `${s} accepts ${accepted.join(", ")}, but the client allows only ${v.client.min} to ${v.client.max ?? "TLSv1.3"} (${v.client.source}).`,
        { evidence: { accepted, clientMin: v.client.min, clientMax: v.client.max } },
      ),
    );
  const untestable = (Object.keys(v.results) as (keyof typeof v.results)[]).filter(
    (x) => v.results[x].status === "untestable",
  );
  if (untestable.length)
    out.push(
      finding(
        "tls.version-untestable",
        s,
        `Could not test ${untestable.join(", ")} against ${s}: ${v.results[untestable[0] as "TLSv1"].detail ?? "client library refuses"}.`,
      ),
    );
  return out;
}

function directFindings(ep: EndpointFacts, s: string): Finding[] {
  const d = ep.direct;
  if (d?.supported !== false) return [];
  const why = d.libpqMessage ?? d.detail ?? "handshake failed";
  return d.configured
    ? [
        finding(
          "server.direct-ssl-unsupported",
          s,
          `sslnegotiation=direct is set but ${s} does not accept direct SSL: ${why}.`,
        ),
      ]
    : [finding("server.direct-ssl-unavailable", s, `${s} does not accept PG17 direct SSL (${why}).`)];
}

export function endpointFindings(ep: EndpointFacts, ctx: ServerRuleContext): Finding[] {
  if (ep.skipped) return [];
  const s = subjectOf(ep);
  const out = [...connectionFindings(ep, s), ...sslRequestFindings(ep, s, ctx)];
  if (ctx.sslmode === "disable") return out;
  const tls = ep.tls;
  if (tls && !tls.ok && tls.failure) {
    const f = tls.failure;
    const what = f.kind === "timeout" ? `stalled: no handshake within ${tls.durationMs} ms` : f.reason;
    out.push(
      finding("tls.handshake-failed", s, `The TLS handshake with ${s} failed: ${what}.${libpqSays(f.libpqMessage)}`, {
        evidence: { kind: f.kind, code: f.code ?? null, sni: tls.sni },
      }),
    );
  }
  const chain = tls?.chain ?? [];
  const nameMatters = ctx.sslmode === undefined || ctx.sslmode === "verify-full";
  out.push(
    ...validityFindings(chain, s, ctx.now),
    ...chainFindings(ep, s),
    ...(nameMatters ? hostnameFindings(ep, s) : []),
    ...strengthFindings(chain, s),
  );
  out.push(...versionFindings(ep, s), ...directFindings(ep, s));
  return out;
}

export function serverFindings(facts: ServerFacts, ctx: ServerRuleContext): Finding[] {
  return facts.endpoints.flatMap((ep) => endpointFindings(ep, ctx));
}
