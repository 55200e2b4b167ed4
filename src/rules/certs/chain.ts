// libpq's verdict on a server's chain (src/pki/server-chain.ts), for a chain read from --server-cert and for one a
// server sent: one code per kind of failure, with OpenSSL's reason and the depth it names. A failure on a
// certificate's dates is the validity rule's (certs/validity), which names the certificate itself.
import type { ChainFailure } from "../../pki/chain.js";
import type { ChainVerification } from "../../pki/types.js";
import { shortList } from "../files/list.js";
import { defineRule } from "../rule.js";
import { againstText, libpqVerifyText, type ServerChain, serverChains } from "./sets.js";

type FailureCode =
  | "tls.chain-unknown-ca"
  | "tls.chain-self-signed"
  | "tls.chain-revoked"
  | "tls.chain-crl"
  | "tls.chain-weak"
  | "tls.chain-invalid"
  | "tls.chain-root-unreadable";

/** The code of each failure; null: a date, which certs/validity reports. */
const FAILURE_CODE: Record<ChainFailure, FailureCode | null> = {
  "unknown-ca": "tls.chain-unknown-ca",
  "missing-intermediate": "tls.chain-unknown-ca",
  "self-signed": "tls.chain-self-signed",
  expired: null,
  "not-yet-valid": null,
  "ca-expired": null,
  revoked: "tls.chain-revoked",
  "weak-signature": "tls.chain-weak",
  "weak-key": "tls.chain-weak",
  "bad-signature": "tls.chain-invalid",
  "not-a-ca": "tls.chain-invalid",
  "wrong-purpose": "tls.chain-invalid",
  "crl-unavailable": "tls.chain-crl",
  "crl-expired": "tls.chain-crl",
  "unreadable-root": "tls.chain-root-unreadable",
};

function failureCode(v: ChainVerification): FailureCode | null {
  const code = FAILURE_CODE[v.reason as ChainFailure];
  return code === undefined ? "tls.chain-invalid" : code;
}

/**
 * Which side lacks the issuer the chain stops at. The server sends intermediates (the chain ends at a CA) or the
 * issuer calls itself a root: the client's root file lacks it. The server sends its certificate alone and the issuer
 * calls itself an intermediate/subordinate/issuing CA: the server does not send it. Otherwise the names cannot tell.
 */
function missingSide(chain: ServerChain, issuer: string): "client" | "server" | null {
  const top = chain.certs[chain.certs.length - 1];
  const cn = /(?:^|, )CN=([^,]+)/.exec(issuer)?.[1] ?? issuer;
  if ((chain.certs.length > 1 && top?.ca === true) || /\broot\b/i.test(cn)) return "client";
  if (chain.certs.length === 1 && /intermediate|subordinate|issuing|\bsub\b/i.test(cn)) return "server";
  return null;
}

/** The CA bundle a recognised managed service publishes, from the missing issuer's name. */
function providerBundle(issuer: string): string | undefined {
  if (/Amazon RDS/i.test(issuer))
    return "for Amazon RDS/Aurora, AWS's global-bundle.pem (every region's RDS roots), as the AWS page \"Using SSL/TLS to encrypt a connection to a DB instance or cluster\" says";
  if (/DigiCert|Microsoft RSA Root|Microsoft Azure/i.test(issuer))
    return "for Azure Database for PostgreSQL, DigiCert Global Root G2 and Microsoft RSA Root Certificate Authority 2017 in one file";
  if (/Google Cloud SQL/i.test(issuer)) return "for Cloud SQL, the instance's server-ca.pem";
  if (/Supabase/i.test(issuer)) return "for Supabase, the project's prod-ca-2021.crt";
  return undefined;
}

/** What the failure message says for one chain, and a fix naming its values where there is one. */
function failureText(chain: ServerChain, v: ChainVerification): { message: string; hint?: string } {
  const against = againstText(v.trust);
  const libpq = libpqVerifyText(v.message);
  const at = `depth ${v.depth ?? 0}, ${v.subject ?? chain.certs[0]?.subject ?? "?"}`;
  if (v.reason === "unreadable-root") return { message: v.message ?? "could not read the root certificate file" };
  if (v.missingIssuer !== undefined) {
    const top = chain.certs[chain.certs.length - 1];
    const roots = v.rootSubjects ?? [];
    const holds = roots.length ? shortList(roots.map((x) => `"${x}"`)) : "no certificate";
    const provider = providerBundle(v.missingIssuer);
    const side = missingSide(chain, v.missingIssuer);
    const ending = `${chain.label} holds ${chain.certs.length} certificate${chain.certs.length === 1 ? "" : "s"}, ending at "${top?.subject ?? "?"}" issued by "${v.missingIssuer}"; that issuer is neither in the chain nor in ${against}, which holds ${holds}.`;
    if (side === "client")
      return {
        message: `${ending} The missing certificate is a root the client lacks: the fix is on the client's side (sslrootcert). ${libpq}.`,
        hint: `Add the CA certificate "${v.missingIssuer}" to sslrootcert${provider ? `: ${provider}` : ""}.`,
      };
    if (side === "server")
      return {
        message: `${ending} "${v.missingIssuer}" is an intermediate CA the server does not send: the fix is on the server's side. ${libpq}.`,
        hint: `Append the intermediate "${v.missingIssuer}" to the server's ssl_cert_file after the server certificate and reload PostgreSQL (or, on the client, add it to sslrootcert).`,
      };
    return {
      message: `${ending} ${libpq}.`,
      hint: `If "${v.missingIssuer}" is an intermediate under ${holds}, append it to the server's ssl_cert_file after the server certificate (or add it to sslrootcert); otherwise set sslrootcert to the CA that issued "${v.missingIssuer}"${provider ? ` (${provider})` : ""}.`,
    };
  }
  if (v.reason === "self-signed")
    return {
      message: `${chain.label} is the self-signed "${chain.certs[0]?.subject ?? "?"}", which ${against} does not hold. ${libpq}.`,
    };
  return { message: `${chain.label} does not verify against ${against} (${at}). ${libpq}.` };
}

export default defineRule({
  id: "certs/chain",
  family: "certs",
  codes: {
    "tls.chain-ok": {
      severity: "info",
      title: "The server's chain verifies against sslrootcert",
      description:
        "The chain as the server sends it (--server-cert) builds to a root in sslrootcert and passes OpenSSL's checks. A probed server's chain shows the same in its endpoint facts.",
    },
    "tls.chain-unknown-ca": {
      severity: "error",
      title: "The server's chain does not lead to a root in sslrootcert",
      description:
        "OpenSSL cannot build a chain from the server's certificate to a root in sslrootcert: the CA is not there, or the server does not send its intermediate. When the issuer of the last certificate is neither sent nor in the root file, the finding names it and what the root file holds, so you can tell which.",
      hint: "Put the issuing root CA in sslrootcert; if the server's certificate comes from an intermediate, the server must send it (ssl_cert_file = leaf + intermediate).",
    },
    "tls.chain-self-signed": {
      severity: "error",
      title: "The server's certificate is self-signed and not trusted",
      description: "A self-signed certificate verifies only if that very certificate is in sslrootcert.",
      hint: "Put the server's certificate itself in sslrootcert, or better, issue it from a CA you trust.",
    },
    "tls.chain-revoked": {
      severity: "error",
      title: "A certificate in the server's chain is revoked",
      description: "A CRL libpq loads (sslcrl / sslcrldir) lists the certificate's serial.",
      hint: "The server needs a newly issued certificate (or fix the CRL if the revocation is a mistake).",
    },
    "tls.chain-crl": {
      severity: "error",
      title: "CRL checking fails for the server's chain",
      description:
        "With sslcrl/sslcrldir loaded libpq checks every certificate of the chain: each issuer needs a current CRL (unable to get certificate CRL, CRL has expired).",
      hint: "Provide current CRLs for every CA in the chain (root and intermediates), or drop sslcrl/sslcrldir.",
    },
    "tls.chain-weak": {
      severity: "error",
      title: "The server's chain uses crypto OpenSSL refuses",
      description: "At the client's security level a key is too small or a signature uses SHA-1/MD5.",
      hint: "Re-issue the certificate with RSA 2048+/ECDSA and SHA-256.",
    },
    "tls.chain-invalid": {
      severity: "error",
      title: "The server's chain is invalid",
      description:
        "An issuer is not a CA, the certificate's purpose excludes serverAuth, or a signature does not verify.",
      hint: "Re-issue the certificate from a proper CA with extendedKeyUsage serverAuth.",
    },
    "tls.chain-root-unreadable": {
      severity: "error",
      title: "libpq cannot read the root certificate file",
      description: "libpq fails with 'could not read root certificate file'.",
      hint: "sslrootcert must be a PEM file with one or more CA certificates.",
    },
  },
  check(facts, { report }) {
    for (const chain of serverChains(facts)) {
      const v = chain.verification;
      if (!v) continue;
      if (v.ok === true) {
        // A probed server's endpoint facts already say so; the question of `certs --server-cert` is answered here.
        if (chain.from === "file")
          report("tls.chain-ok", chain.subject, `The chain verifies: ${(v.path ?? []).join(" <- ")}.`, {
            evidence: { path: v.path ?? [] },
          });
        continue;
      }
      if (v.ok !== false) continue;
      // A missing root file under verify-ca/verify-full: files/verification says it in libpq's words.
      if (v.reason === "unreadable-root" && chain.rootMissing) continue;
      const code = failureCode(v);
      if (code === null) continue;
      const { message, hint } = failureText(chain, v);
      report(code, chain.subject, message, {
        ...(hint ? { hint } : {}),
        evidence: {
          reason: v.reason ?? null,
          depth: v.depth ?? null,
          against: againstText(v.trust),
          ...(v.missingIssuer !== undefined
            ? { missingIssuer: v.missingIssuer, rootSubjects: v.rootSubjects ?? [] }
            : {}),
        },
      });
    }
  },
});
