// Each file as a file, from real files: the lab PKI, files derived from it, and fixtures/pki/.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import rule from "../../../../src/rules/files/content.js";
import { client, FIX, filesFacts, hasOpenssl, P, server, W } from "../../../helpers/pki-facts.js";
import { describeRule, type RuleCase } from "../../../helpers/rules.js";

const fifo = W("fifo.crt");
const hasFifo = spawnSync("mkfifo", [fifo]).status === 0;
if (!hasFifo) console.warn("skipping the FIFO case of files/content: mkfifo failed");
if (!hasOpenssl) console.warn("skipping the PKCS#12 cases of files/content: no openssl binary to build them");

const p12Cases: RuleCase[] = [
  {
    name: "a password-protected PKCS#12 bundle gets the openssl pkcs12 extraction as its fix",
    facts: filesFacts({ params: client(W("client.p12"), P("client-good.key")) }),
    expect: [
      {
        code: "file.wrong-content",
        message: ["PKCS#12", "(protected by a password)", "which libpq cannot read"],
        hint: "openssl pkcs12",
      },
    ],
  },
  {
    name: "a PKCS#12 bundle without a password is opened (node-forge) and its contents named",
    facts: filesFacts({ params: client(W("open.p12"), P("client-good.key")) }),
    expect: [
      { code: "file.wrong-content", message: "holding certificate O=dbdoctor lab, CN=localhost, 1 private key" },
    ],
  },
];

describeRule(rule, [
  {
    name: "the key is missing once a client certificate is loaded: libpq's own words",
    facts: filesFacts({ params: client(P("client-good.crt"), W("nope.key")) }),
    expect: [{ code: "file.missing", subject: "sslkey", message: "certificate present, but not private key file" }],
  },
  {
    name: "the --server-cert file does not exist",
    facts: filesFacts({ ...server("server-good.crt"), serverCert: W("nope.crt") }),
    expect: [{ code: "file.missing", subject: "server-cert", message: "does not exist" }],
  },
  {
    name: "a missing explicit sslcert is skipped silently by libpq",
    facts: filesFacts({ params: client(W("nope.crt"), P("client-good.key")) }),
    expect: [
      { code: "file.missing-skipped", subject: "sslcert", message: "silently connects without a client certificate" },
    ],
  },
  {
    name: "a missing explicit root file under prefer: no verification at all",
    facts: filesFacts({ params: { sslmode: "prefer", sslrootcert: W("no-such-root.crt") } }),
    expect: [{ code: "file.missing-skipped", subject: "sslrootcert", message: "does not verify" }],
  },
  {
    name: "a missing root file under verify-ca is files/verification's (libpq fails on it)",
    facts: filesFacts({ params: { sslmode: "verify-ca", sslrootcert: W("no-such-root.crt") } }),
    expect: [],
  },
  {
    name: "under disable libpq never reads the root file",
    facts: filesFacts({ params: { sslmode: "disable", sslrootcert: W("no-such-root.crt") } }),
    expect: [],
  },
  {
    name: "libpq's default ~/.postgresql/root.crt is used although nothing names it",
    facts: filesFacts({ params: { sslmode: "verify-ca" }, withHomeRoot: true }),
    expect: [{ code: "file.default-path", message: ".postgresql/root.crt" }],
  },
  {
    name: "a symlink loop cannot be read",
    facts: filesFacts({ params: { sslrootcert: W("loop") } }),
    expect: [{ code: "file.unreadable", message: "Too many levels of symbolic links" }],
  },
  {
    name: "a character device is not a file",
    facts: filesFacts({ params: { sslrootcert: "/dev/zero" } }),
    expect: [{ code: "file.not-regular", message: "character device" }],
  },
  ...(hasFifo
    ? [
        {
          name: "a FIFO is reported without hanging",
          facts: filesFacts({ params: { sslrootcert: fifo } }),
          expect: [{ code: "file.not-regular" as const, message: "FIFO" }],
        },
      ]
    : []),
  {
    name: "a key path that is a device: libpq's text",
    facts: filesFacts({ params: client(P("client-good.crt"), "/dev/null") }),
    expect: [{ code: "file.not-regular", subject: "sslkey", message: "is not a regular file" }],
  },
  { name: "an empty file", facts: filesFacts({ params: { sslrootcert: W("empty.crt") } }), expect: ["file.empty"] },
  {
    name: "a file far too big for a certificate",
    facts: filesFacts({ params: { sslrootcert: W("big.crt") } }),
    expect: ["file.too-big"],
  },
  {
    name: "a DER root file: libpq reads PEM only",
    facts: filesFacts({ params: { sslrootcert: W("root-ca.der") } }),
    expect: [{ code: "file.der-not-supported", message: "could not read root certificate file" }],
  },
  {
    name: "a certificate signing request where the client certificate belongs",
    facts: filesFacts({ params: client(join(FIX, "csr.pem"), P("client-good.key")) }),
    expect: [{ code: "file.wrong-content", message: "certificate signing request", hint: "A CSR is the request" }],
  },
  {
    name: "a key where the certificate is expected",
    facts: filesFacts({ params: client(P("client-good.key"), P("client-good.key")) }),
    expect: [{ code: "file.wrong-content", message: "private key" }],
  },
  {
    name: "a Java keystore",
    facts: filesFacts({ params: client(join(FIX, "keystore.jks"), P("client-good.key")) }),
    expect: [{ code: "file.wrong-content", message: "Java keystore", hint: "keytool -exportcert" }],
  },
  {
    name: "random bytes",
    facts: filesFacts({ params: client(join(FIX, "garbage.bin"), P("client-good.key")) }),
    expect: [{ code: "file.wrong-content", message: "no PEM block and no DER object" }],
  },
  {
    name: "plain text",
    facts: filesFacts({ params: client(join(FIX, "not-a-cert.txt"), P("client-good.key")) }),
    expect: [{ code: "file.wrong-content", message: "no PEM block and no DER object" }],
  },
  {
    name: "--server-cert holding a key and no certificate",
    facts: filesFacts({ ...server("server-good.crt"), serverCert: P("client-good.key") }),
    expect: [{ code: "file.wrong-content", subject: "server-cert", message: "and no certificate" }],
  },
  ...(hasOpenssl ? p12Cases : []),
  {
    name: "a block cut before its END line: OpenSSL fails, and no certificate is left",
    facts: filesFacts({ params: { sslrootcert: join(FIX, "truncated.pem") } }),
    expect: [
      {
        code: "file.truncated-pem",
        message: ["line 1", 'could not read root certificate file "', '": bad end line'],
      },
    ],
  },
  {
    name: "an indented block alone (as pasted from a web page): libpq finds nothing in the file",
    facts: filesFacts({ params: { sslmode: "verify-full", sslrootcert: W("indented-root.crt") } }),
    expect: [
      {
        code: "file.pem-indented",
        severity: "error",
        message: ["line 1 is indented", '": no certificate or crl found'],
        hint: "sed -i",
      },
    ],
  },
  {
    name: "an indented block next to a good one is passed over: a warning",
    facts: filesFacts({ params: { sslmode: "verify-full", sslrootcert: W("root-then-indented.crt") } }),
    expect: [{ code: "file.pem-indented", severity: "warning", message: "whatever it holds is not loaded" }],
  },
  {
    name: "certifi-style comments between blocks are what OpenSSL skips: no finding",
    facts: filesFacts({ params: { sslmode: "verify-full", sslrootcert: W("commented-root.crt") } }),
    expect: [],
  },
  {
    name: "a character outside base64 fails the whole file with OpenSSL's reason",
    facts: filesFacts({ params: { sslmode: "verify-full", sslrootcert: W("bad-base64-root.crt") } }),
    expect: [
      { code: "file.pem-malformed", message: ['could not read root certificate file "', '": bad base64 decode'] },
    ],
  },
  {
    name: "a blank line inside a block makes the lines before it a header: not proc type",
    facts: filesFacts({ params: client(W("blank-inside.crt"), P("client-good.key")) }),
    expect: [{ code: "file.pem-malformed", message: ['could not read certificate file "', '": not proc type'] }],
  },
  {
    name: "text after the PEM blocks is skipped",
    facts: filesFacts({ params: client(W("trailing.crt"), P("client-good.key")) }),
    expect: [{ code: "file.trailing-garbage", message: "this line is not PEM" }],
  },
  {
    name: "sslcert also holding the key",
    facts: filesFacts({ params: client(W("key-and-cert.key"), P("client-good.key")) }),
    expect: [{ code: "file.trailing-garbage", message: "also holds", hint: "the key belongs in sslkey" }],
  },
  {
    name: "a good configuration, files and all",
    facts: filesFacts({
      params: client(P("client-good.crt"), P("client-good.key"), { sslcrl: P("root.crl") }),
      serverCert: P("server-good.crt"),
      host: "127.0.0.1",
    }),
    expect: [],
  },
]);
