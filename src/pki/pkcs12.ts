// What a PKCS#12 (.p12/.pfx) bundle holds, told with node-forge (node:crypto cannot open PKCS#12). Loaded only
// when a file turns out to be PKCS#12, so forge stays off every start-up path.
import { X509Certificate } from "node:crypto";
import { oneLine } from "./x509.js";

export interface Pkcs12Facts {
  /** The bundle opens without a password (an empty one), so its contents could be listed. */
  passwordProtected: boolean;
  certificates: string[];
  keys: number;
}

export async function inspectPkcs12(der: Buffer): Promise<Pkcs12Facts | null> {
  const { default: forge } = await import("node-forge");
  let asn1: ReturnType<typeof forge.asn1.fromDer>;
  try {
    asn1 = forge.asn1.fromDer(forge.util.createBuffer(der.toString("binary")));
  } catch {
    return null;
  }
  try {
    const p12 = forge.pkcs12.pkcs12FromAsn1(asn1, "");
    const certOid = forge.pki.oids.certBag as string;
    const keyOids = [forge.pki.oids.pkcs8ShroudedKeyBag as string, forge.pki.oids.keyBag as string];
    const certBags = p12.getBags({ bagType: certOid })[certOid] ?? [];
    const certificates = certBags.flatMap((b) => {
      // forge parses RSA certificates only; hand the raw ASN.1 of the others to node:crypto.
      const raw = b.asn1 ? Buffer.from(forge.asn1.toDer(b.asn1).getBytes(), "binary") : null;
      try {
        if (raw) return [oneLine(new X509Certificate(raw).subject)];
        if (b.cert)
          return [b.cert.subject.attributes.map((a) => `${a.shortName ?? a.name}=${String(a.value)}`).join(", ")];
      } catch {
        // an unreadable certificate bag: counted as nothing
      }
      return [];
    });
    const keys = keyOids.reduce((n, oid) => n + (p12.getBags({ bagType: oid })[oid]?.length ?? 0), 0);
    return { passwordProtected: false, certificates, keys };
  } catch (err) {
    if (/MAC could not be verified|Invalid password/i.test(String(err)))
      return { passwordProtected: true, certificates: [], keys: 0 };
    return null;
  }
}
