import rule from "../../../../src/rules/files/client-cert.js";
import { client, filesFacts, P, W } from "../../../helpers/pki-facts.js";
import { describeRule } from "../../../helpers/rules.js";

describeRule(rule, [
  {
    name: "a good client certificate for its user",
    facts: filesFacts({ params: client(P("client-good.crt"), P("client-good.key")), user: "dbdoctor" }),
    expect: [],
  },
  {
    name: "an extended key usage without clientAuth",
    facts: filesFacts({ params: client(P("client-server-eku.crt"), P("client-server-eku.key")) }),
    expect: [{ code: "cert.client-no-clientauth", message: "unsupported certificate purpose" }],
  },
  {
    name: "a CN that is not the database user (pg_hba cert)",
    facts: filesFacts({ params: client(P("client-good.crt"), P("client-good.key")), user: "app" }),
    expect: [{ code: "cert.client-cn-user", message: ['CN is "dbdoctor"', "map="], hint: "certmap dbdoctor app" }],
  },
  {
    name: "issued by an intermediate that sslrootcert holds but sslcert does not: libpq sends only sslcert",
    facts: filesFacts({
      params: client(P("client-intermediate.crt"), P("client-intermediate.key"), { sslrootcert: W("bundle.crt") }),
    }),
    expect: [{ code: "cert.client-chain-incomplete", message: "dbdoctor lab intermediate CA" }],
  },
  {
    name: "the same certificate with its intermediate in sslcert",
    facts: filesFacts({
      params: client(P("client-intermediate-chain.crt"), P("client-intermediate.key"), {
        sslrootcert: W("bundle.crt"),
      }),
    }),
    expect: [],
  },
  {
    name: "a client certificate from a CA sslrootcert does not hold",
    facts: filesFacts({ params: client(P("client-untrusted.crt"), P("client-untrusted.key")) }),
    expect: [{ code: "ca.client-not-anchored", message: "unable to get local issuer certificate" }],
  },
]);
