// The certificates each probed endpoint sent, as DER, leaf first, kept beside its facts (which stay plain JSON) for
// --save-chain: what `openssl s_client -showcerts` is used for today.
import type { EndpointFacts } from "./types.js";

const SENT = new WeakMap<EndpointFacts, Buffer[]>();

export function rememberSentChain(ep: EndpointFacts, chainDer: Buffer[]): void {
  SENT.set(ep, chainDer);
}

/** The same endpoints after a copy of the facts (the run's scrub of outside texts builds new objects). */
export function carrySentChains(from: readonly EndpointFacts[], to: readonly EndpointFacts[]): void {
  from.forEach((ep, i) => {
    const der = SENT.get(ep);
    const copy = to[i];
    if (der && copy) SENT.set(copy, der);
  });
}

export function sentChain(ep: EndpointFacts): Buffer[] | undefined {
  return SENT.get(ep);
}

/** PEM, 64 characters a line, as OpenSSL writes it (PEM_write_bio). */
export function chainPem(chainDer: readonly Buffer[]): string {
  return chainDer
    .map((der) => {
      const b64 = der.toString("base64").replace(/.{64}/g, "$&\n");
      return `-----BEGIN CERTIFICATE-----\n${b64}${b64.endsWith("\n") ? "" : "\n"}-----END CERTIFICATE-----\n`;
    })
    .join("");
}
