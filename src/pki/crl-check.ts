// What each CRL libpq would load says about the files next to it: whether its issuer is a CA of sslrootcert, whether
// its signature verifies with that CA's key (X509_CRL_verify), and which certificates in the client and server
// files it revokes.
import type { LoadedTrust } from "./chain.js";
import { type CrlInfo, crlIssuedBy, crlRevokes } from "./crl.js";
import type { FileRole } from "./types.js";
import type { CertInfo } from "./x509.js";

export interface CrlCheck {
  crl: CrlInfo;
  /** Where libpq finds it. */
  source: "sslcrl" | "sslcrldir";
  /** Whether sslrootcert holds any CA to look the issuer up in. */
  anchorsKnown: boolean;
  /** The CA of sslrootcert whose subject is the CRL's issuer, if any. */
  issuer: CertInfo | null;
  /** Does the signature verify with that CA's key? null without the CA. */
  signatureOk: boolean | null;
  /** Certificates of the client and server files whose serial the CRL lists. */
  revokes: { role: FileRole; path: string; cert: CertInfo }[];
}

export interface CrlCheckInput {
  /** The CRLs of the sslcrl file, as read from it. */
  fileCrls: CrlInfo[];
  /** The CRLs of the trust store (root file and sslcrl), counted when a CRL directory is in use. */
  trust?: LoadedTrust;
  crlDirInUse: boolean;
  /** The certificates a CRL could revoke: the client's and the --server-cert chain. */
  revocable: { role: FileRole; path: string; certs: CertInfo[] }[];
}

export function checkCrls(i: CrlCheckInput): CrlCheck[] {
  const crls = [...i.fileCrls];
  if (i.trust?.crlCheck && i.crlDirInUse) crls.push(...i.trust.crls.filter((c) => !crls.includes(c)));
  const anchors = i.trust?.anchors ?? [];
  return crls.map((crl) => {
    const issuer = anchors.find((c) => c.subjectDer.equals(crl.issuerDer)) ?? null;
    const revokes = i.revocable.flatMap((f) =>
      f.certs.filter((c) => crlRevokes(crl, c)).map((cert) => ({ role: f.role, path: f.path, cert })),
    );
    return {
      crl,
      source: i.fileCrls.includes(crl) ? "sslcrl" : "sslcrldir",
      anchorsKnown: anchors.length > 0,
      issuer,
      signatureOk: issuer ? crlIssuedBy(crl, issuer) : null,
      revokes,
    };
  });
}
