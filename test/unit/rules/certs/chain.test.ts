// libpq's chain verdict for a chain read from --server-cert and for the same chain received from a server.
import rule from "../../../../src/rules/certs/chain.js";
import { FIX, filesFacts, P, server, W, wireFacts } from "../../../helpers/pki-facts.js";
import { describeRule } from "../../../helpers/rules.js";

const WIRE = "localhost:5432 (127.0.0.1)";
const root = { sslrootcert: P("root-ca.crt") };
const missingIssuer = [
  'issued by "O=dbdoctor lab, CN=dbdoctor lab intermediate CA"',
  'holds "O=dbdoctor lab, CN=dbdoctor lab root CA"',
  "unable to get local issuer certificate",
];

describeRule(rule, [
  {
    name: "a chain that verifies, from --server-cert",
    facts: filesFacts(server("server-intermediate-chain.crt")),
    expect: [{ code: "tls.chain-ok", message: "CN=localhost <- O=dbdoctor lab, CN=dbdoctor lab intermediate CA" }],
  },
  {
    name: "the same chain from a server: its endpoint facts say so, no finding",
    facts: wireFacts([P("server-intermediate-chain.crt")], root),
    expect: [],
  },
  {
    name: "a leaf without its intermediate, from --server-cert: the missing issuer and what the root file holds",
    facts: filesFacts(server("server-intermediate.crt")),
    expect: [
      {
        code: "tls.chain-unknown-ca",
        subject: "server-cert",
        message: [...missingIssuer, "an intermediate CA the server does not send", "the server's side"],
        hint: ["Append the intermediate", "ssl_cert_file"],
      },
    ],
  },
  {
    name: "the server sends its intermediate but the root file holds another CA: the client's side, the root named",
    facts: filesFacts(server("server-intermediate-chain.crt", {}, { sslrootcert: P("other-ca.crt") })),
    expect: [
      {
        code: "tls.chain-unknown-ca",
        message: ['issued by "O=dbdoctor lab, CN=dbdoctor lab root CA"', "a root the client lacks", "sslrootcert"],
        hint: 'Add the CA certificate "O=dbdoctor lab, CN=dbdoctor lab root CA" to sslrootcert',
      },
    ],
  },
  {
    name: "... and from a server",
    facts: wireFacts([P("server-intermediate.crt")], root),
    expect: [{ code: "tls.chain-unknown-ca", subject: WIRE, message: missingIssuer }],
  },
  {
    name: "another CA's leaf",
    facts: wireFacts([P("server-untrusted.crt")], root),
    expect: [
      {
        code: "tls.chain-unknown-ca",
        message: 'issued by "O=dbdoctor lab, CN=dbdoctor unrelated CA"',
        hint: "otherwise set sslrootcert to the CA",
      },
    ],
  },
  {
    name: "another CA's full chain up to its root: plainly untrusted",
    facts: wireFacts([P("server-untrusted.crt"), P("other-ca.crt")], root),
    expect: [{ code: "tls.chain-unknown-ca", message: "self-signed certificate in certificate chain" }],
  },
  {
    name: "a self-signed server certificate, from --server-cert",
    facts: filesFacts(server("server-self-signed.crt")),
    expect: [{ code: "tls.chain-self-signed", message: "self-signed certificate" }],
  },
  {
    name: "... and from a server",
    facts: wireFacts([P("server-self-signed.crt")], root),
    expect: [{ code: "tls.chain-self-signed", subject: WIRE }],
  },
  {
    name: "a revoked server certificate with the root's CRL",
    facts: filesFacts(server("server-revoked.crt", {}, { sslcrl: P("root.crl") })),
    expect: [{ code: "tls.chain-revoked", message: "certificate revoked" }],
  },
  {
    name: "... and from a server",
    facts: wireFacts([P("server-revoked.crt")], { ...root, sslcrl: P("root.crl") }),
    expect: [{ code: "tls.chain-revoked", subject: WIRE }],
  },
  {
    name: "CRL checking on and no CRL for the intermediate",
    facts: filesFacts(server("server-intermediate-chain.crt", {}, { sslcrl: P("root.crl") })),
    expect: [{ code: "tls.chain-crl", message: "unable to get certificate CRL" }],
  },
  {
    name: "SHA-1 below the client's security level",
    facts: wireFacts([P("server-sha1.crt")], root),
    expect: [{ code: "tls.chain-weak", message: "CA signature digest algorithm too weak" }],
  },
  {
    name: "a client certificate served as the server's",
    facts: filesFacts(server("client-good.crt")),
    expect: [{ code: "tls.chain-invalid", message: "unsupported certificate purpose" }],
  },
  {
    name: "a root file libpq cannot read, from --server-cert",
    facts: filesFacts(server("server-good.crt", {}, { sslrootcert: `${FIX}/csr.pem` })),
    expect: [{ code: "tls.chain-root-unreadable", message: "could not read root certificate file" }],
  },
  {
    name: "... and for a probed server",
    facts: wireFacts([P("server-good.crt")], { sslrootcert: `${FIX}/csr.pem` }),
    expect: [{ code: "tls.chain-root-unreadable", message: "could not read root certificate file" }],
  },
  {
    name: "an expired certificate is the validity rule's",
    facts: wireFacts([P("server-expired.crt")], root),
    expect: [],
  },
  {
    name: "a missing root file under verify-full is files/verification's",
    facts: filesFacts(server("server-good.crt", {}, { sslrootcert: W("none.crt") })),
    expect: [],
  },
  {
    name: "require without a root file: libpq does not verify, nothing to judge",
    facts: filesFacts(server("server-good.crt", {}, { sslmode: "require", sslrootcert: W("none.crt") })),
    expect: [],
  },
  {
    name: "no root for a probed server: server/no-root says it",
    facts: wireFacts([P("server-self-signed.crt")]),
    expect: [],
  },
]);
