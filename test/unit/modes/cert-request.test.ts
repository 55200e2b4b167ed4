import { describe, expect, it } from "vitest";
import { CertificateRequestSniffer } from "../../../src/modes/cert-request.js";

/** A TLS record of handshake messages, each [type, body length]. */
function record(type: number, messages: Array<[number, number]>): Buffer {
  const body = Buffer.concat(
    messages.map(([t, n]) =>
      Buffer.concat([Buffer.from([t, (n >> 16) & 255, (n >> 8) & 255, n & 255]), Buffer.alloc(n, 7)]),
    ),
  );
  const head = Buffer.from([type, 3, 3, (body.length >> 8) & 255, body.length & 255]);
  return Buffer.concat([head, body]);
}

describe("the TLS 1.2 CertificateRequest sniffer", () => {
  it("sees a CertificateRequest before ServerHelloDone", () => {
    const s = new CertificateRequestSniffer();
    expect(
      s.push(
        record(22, [
          [2, 70],
          [11, 900],
          [12, 300],
        ]),
      ),
    ).toBeUndefined();
    expect(
      s.push(
        record(22, [
          [13, 40],
          [14, 0],
        ]),
      ),
    ).toBe(true);
  });
  it("says no at ServerHelloDone without one", () => {
    const s = new CertificateRequestSniffer();
    expect(
      s.push(
        record(22, [
          [2, 70],
          [11, 900],
          [12, 300],
          [14, 0],
        ]),
      ),
    ).toBe(false);
  });
  it("reads records and messages split across chunks", () => {
    const all = Buffer.concat([
      record(22, [
        [2, 70],
        [11, 2000],
      ]),
      record(22, [
        [13, 5],
        [14, 0],
      ]),
    ]);
    const s = new CertificateRequestSniffer();
    let v: boolean | undefined;
    for (let i = 0; i < all.length; i += 7) v = s.push(all.subarray(i, i + 7)) ?? v;
    expect(v).toBe(true);
  });
  it("ignores records that are not handshake records", () => {
    const s = new CertificateRequestSniffer();
    expect(s.push(Buffer.concat([record(21, [[13, 1]]), record(22, [[14, 0]])]))).toBe(false);
  });
});
