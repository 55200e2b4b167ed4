// OpenSSL's PEM reader as libpq meets it (src/pki/pem-read.ts), on root files shaped from the lab root. Each expected
// outcome is what psql 15 (OpenSSL 3.0.19) and psycopg 3.3.6 (OpenSSL 3.5.8) printed for that shape as sslrootcert,
// measured against a lab server (both agreed on every shape); test/integration/certs-vs-libpq.test.ts re-measures them.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { certPath } from "../../../scripts/lab/paths.js";
import { pemObjects } from "../../../src/pki/chain.js";
import { decodeContent } from "../../../src/pki/content.js";
import { evpDecode, PemReader } from "../../../src/pki/pem-read.js";

const root = readFileSync(certPath("root-ca.crt"), "utf8");
const other = readFileSync(certPath("other-ca.crt"), "utf8");
const lines = root.trimEnd().split("\n");
const body = lines.slice(1, -1);
const begin = lines[0] as string;
const end = lines[lines.length - 1] as string;
const b64 = body.join("");
const ROOT = "O=dbdoctor lab, CN=dbdoctor lab root CA";
const OTHER = "O=dbdoctor lab, CN=dbdoctor unrelated CA";

/** [shape, file, libpq's reason after `could not read root certificate file "...": `, or the subjects loaded]. */
const SHAPES: [string, string | Buffer, { error: string } | { loads: string[] }][] = [
  ["indented block", root.replace(/^/gm, "    "), { error: "no certificate or crl found" }],
  ["indented body only", [begin, ...body.map((l) => `  ${l}`), end, ""].join("\n"), { loads: [ROOT] }],
  ["indented END line", [begin, ...body, `  ${end}`, ""].join("\n"), { error: "bad end line" }],
  ["certifi-style comments", `# Issuer: x\n${other}\n# Label: "y"\ntext\n${root}`, { loads: [OTHER, ROOT] }],
  [
    "a character outside base64",
    [begin, `#${(body[0] as string).slice(1)}`, ...body.slice(1), end, ""].join("\n"),
    { error: "bad base64 decode" },
  ],
  ["no END line", [begin, ...body, ""].join("\n"), { error: "bad end line" }],
  ["one line, no breaks", `${begin}${b64}${end}\n`, { error: "no certificate or crl found" }],
  ["CRLF line ends", root.replace(/\n/g, "\r\n"), { loads: [ROOT] }],
  ["good, then an indented one", root + other.replace(/^(?=.)/gm, "  "), { loads: [ROOT] }],
  ["an indented one, then good", other.replace(/^(?=.)/gm, "  ") + root, { loads: [ROOT] }],
  ["a header line without blank line", [begin, "Foo: bar", ...body, end, ""].join("\n"), { error: "PEM lib" }],
  [
    "a blank line inside",
    [begin, ...body.slice(0, 2), "", ...body.slice(2), end, ""].join("\n"),
    { error: "not proc type" },
  ],
  ["tab-indented body", [begin, ...body.map((l) => `\t${l}`), end, ""].join("\n"), { loads: [ROOT] }],
  ["END of another label", [begin, ...body, "-----END X509 CRL-----", ""].join("\n"), { error: "bad end line" }],
  [
    "a block without END before a good one",
    `${other.trimEnd().split("\n").slice(0, -1).join("\n")}\n${root}`,
    { loads: [OTHER] },
  ],
  ["a UTF-8 byte-order mark", Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(root)]), { loads: [ROOT] }],
  ["the body on one long line", `${begin}\n${b64}\n${end}\n`, { loads: [ROOT] }],
  [
    "a 254-character line, then a blank one",
    `${begin}\n${b64.slice(0, 254)}\n\n${b64.slice(254)}\n${end}\n`,
    { error: "PEM lib" },
  ],
  [
    "an empty block after a good one",
    `${root}-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n`,
    { error: "PEM lib" },
  ],
  ["a key, then the certificate", readFileSync(certPath("client-good.key"), "utf8") + root, { loads: [ROOT] }],
  [
    "an unknown label after the certificate",
    `${root}-----BEGIN FOO-----\nAAAA\n-----END FOO-----\n`,
    { loads: [ROOT] },
  ],
];

describe("a root file as X509_load_cert_crl_file reads it", () => {
  for (const [name, file, want] of SHAPES)
    it(name, () => {
      const got = pemObjects(decodeContent(Buffer.from(file)));
      if ("error" in want) expect(got).toEqual({ error: want.error });
      else {
        expect("certs" in got ? got.certs.map((c) => c.subject) : got).toEqual(want.loads);
      }
    });

  it("a DER file is not PEM: no certificate or crl found", () => {
    const der = decodeContent(Buffer.from(root)).blocks[0]?.der as Buffer;
    expect(pemObjects(decodeContent(der))).toEqual({ error: "no certificate or crl found" });
  });
});

describe("the pieces", () => {
  it("EVP_DecodeUpdate skips blanks, stops at '-', refuses data after padding and stray characters", () => {
    expect(evpDecode("QUJD\n  REVG\n")?.toString()).toBe("ABCDEF");
    expect(evpDecode("QUJD-garbage")?.toString()).toBe("ABC");
    expect(evpDecode("QQ==QUJD")).toBeNull();
    expect(evpDecode("QU.D")).toBeNull();
    expect(evpDecode("QUJ")).toBeNull();
  });

  it("each object is read with its lines, and the end of input is 'no start line'", () => {
    const r = new PemReader(Buffer.from(`junk\n${root}\n${other}`));
    const a = r.next();
    const b = r.next();
    expect(a.ok && a.object.line).toBe(2);
    expect(b.ok && b.object.name).toBe("CERTIFICATE");
    expect(r.next()).toMatchObject({ ok: false, reason: "no start line" });
  });

  it("decodeContent names the indented block OpenSSL passes over", () => {
    const d = decodeContent(Buffer.from(root + other.replace(/^(?=.)/gm, "  ")));
    expect(d.blocks).toHaveLength(1);
    expect(d.skippedBlocks).toEqual([{ label: "CERTIFICATE", line: body.length + 3, indented: true }]);
  });
});
