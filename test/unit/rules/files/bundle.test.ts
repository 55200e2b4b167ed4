import rule from "../../../../src/rules/files/bundle.js";
import { client, filesFacts, P, server } from "../../../helpers/pki-facts.js";
import { describeRule } from "../../../helpers/rules.js";

describeRule(rule, [
  {
    name: "a client chain file, certificate by certificate",
    facts: filesFacts({ params: client(P("client-intermediate-chain.crt"), P("client-intermediate.key")) }),
    expect: [{ code: "cert.bundle", subject: "sslcert", message: ["holds 2 certificates", "1. O=dbdoctor lab"] }],
  },
  {
    name: "the client file and the --server-cert file",
    facts: filesFacts({
      ...server("server-intermediate-chain.crt"),
      params: client(P("client-good.crt"), P("client-good.key")),
    }),
    expect: [
      { code: "cert.bundle", subject: "sslcert", message: "holds 1 certificate:" },
      { code: "cert.bundle", subject: "server-cert", message: "holds 2 certificates" },
    ],
  },
  {
    name: "the root file has its own summary",
    facts: filesFacts({ params: { sslrootcert: P("root-ca.crt") } }),
    expect: [],
  },
]);
