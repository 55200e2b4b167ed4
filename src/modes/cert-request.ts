// Does the server send a TLS CertificateRequest? libpq's sslcertmode=require (16+) fails at AuthenticationOk with
// "server did not request an SSL certificate" when it did not (fe-auth.c check_expected_areq, ssl_cert_requested
// set by the client-certificate callback). Node does not say whether a CertificateRequest came, so this looks at
// the handshake itself: a TLS 1.2 handshake, whose CertificateRequest travels in the clear (under TLS 1.3 it is
// encrypted). PostgreSQL asks for a certificate exactly when ssl_ca_file is set (be-secure-openssl.c
// SSL_CTX_set_verify), whatever the protocol version, so the 1.2 answer is the answer for 1.3 too. The handshake
// stops at ServerHelloDone: no certificate, no key, no password ever leaves.
import { Socket } from "node:net";
import { Duplex } from "node:stream";
import { connect as tlsConnect } from "node:tls";

const SSL_REQUEST = Buffer.from([0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f]);
const HANDSHAKE = 22;
const CERTIFICATE_REQUEST = 13;
const SERVER_HELLO_DONE = 14;

/** Reads TLS 1.2 handshake messages from the server's records; says as soon as it knows. */
export class CertificateRequestSniffer {
  private records = Buffer.alloc(0);
  private handshake = Buffer.alloc(0);
  verdict: boolean | undefined;

  push(chunk: Buffer): boolean | undefined {
    if (this.verdict !== undefined) return this.verdict;
    this.records = Buffer.concat([this.records, chunk]);
    while (this.records.length >= 5) {
      const type = this.records[0];
      const len = this.records.readUInt16BE(3);
      if (this.records.length < 5 + len) break;
      const body = this.records.subarray(5, 5 + len);
      this.records = this.records.subarray(5 + len);
      if (type !== HANDSHAKE) continue;
      this.handshake = Buffer.concat([this.handshake, body]);
      while (this.handshake.length >= 4) {
        const msg = this.handshake[0];
        const mlen = this.handshake.readUIntBE(1, 3);
        if (this.handshake.length < 4 + mlen) break;
        this.handshake = this.handshake.subarray(4 + mlen);
        if (msg === CERTIFICATE_REQUEST) this.verdict = true;
        else if (msg === SERVER_HELLO_DONE) this.verdict ??= false;
        if (this.verdict !== undefined) return this.verdict;
      }
    }
    return undefined;
  }
}

export interface CertRequestProbe {
  host: string;
  port: number;
  /** SNI as libpq sends it (undefined for an IP literal). */
  servername?: string;
  timeoutMs: number;
  /** Hands each socket to the run's scope (destroyed at the deadline), when there is one. */
  adopt?: <T extends Socket>(s: T) => T;
}

/** true/false when the TLS 1.2 handshake showed it; undefined when it could not (no 'S', no TLS 1.2, no answer). */
export function serverRequestsCertificate(p: CertRequestProbe): Promise<boolean | undefined> {
  return new Promise((resolve) => {
    const raw = p.adopt ? p.adopt(new Socket()) : new Socket();
    const sniffer = new CertificateRequestSniffer();
    let settled = false;
    const done = (v: boolean | undefined) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      raw.destroy();
      resolve(v);
    };
    const timer = setTimeout(() => done(undefined), p.timeoutMs);
    timer.unref();
    raw.once("error", () => done(undefined));
    raw.once("close", () => done(sniffer.verdict));
    raw.connect(p.port, p.host, () => raw.write(SSL_REQUEST));
    // The TLS session reads the server through this pipe, so every record passes the sniffer first.
    const pipe = new Duplex({
      read() {},
      write(chunk: Buffer, _enc, cb) {
        raw.write(chunk, () => cb());
      },
    });
    let answered = false;
    raw.on("data", (chunk: Buffer) => {
      let data = chunk;
      if (!answered) {
        answered = true;
        if (data[0] !== 0x53) return done(undefined); // 'N', 'E' or garbage: no TLS here
        data = data.subarray(1);
        const tls = tlsConnect({
          socket: pipe,
          minVersion: "TLSv1.2",
          maxVersion: "TLSv1.2",
          rejectUnauthorized: false,
          ...(p.servername ? { servername: p.servername } : {}),
        });
        tls.on("error", () => done(sniffer.verdict));
      }
      if (data.length === 0) return;
      const v = sniffer.push(data);
      if (v !== undefined) return done(v);
      pipe.push(data);
    });
  });
}
