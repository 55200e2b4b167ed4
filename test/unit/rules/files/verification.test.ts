import { join } from "node:path";
import rule from "../../../../src/rules/files/verification.js";
import { filesFacts, P, server, W } from "../../../helpers/pki-facts.js";
import { describeRule } from "../../../helpers/rules.js";

describeRule(rule, [
  {
    name: "verify-ca without the root file: libpq fails before the handshake, in its own words",
    facts: filesFacts({ params: { sslmode: "verify-ca", sslrootcert: W("no-such-root.crt") } }),
    expect: [
      {
        code: "tls.root-missing",
        message: ["does not exist", "Either provide the file or change sslmode"],
      },
    ],
  },
  {
    name: "the same under verify-full with --server-cert (the chain verdict stays silent)",
    facts: filesFacts(server("server-good.crt", {}, { sslrootcert: W("none.crt") })),
    expect: [{ code: "tls.root-missing", message: "does not exist\nEither provide the file or change sslmode" }],
  },
  {
    name: "libpq 16 names sslrootcert=system in its hint",
    facts: filesFacts({ params: { sslmode: "verify-full", sslrootcert: W("no-such-root.crt") }, libpq: 16 }),
    expect: [{ code: "tls.root-missing", message: "sslrootcert=system" }],
  },
  {
    name: "require with no default root file: any certificate is accepted",
    facts: filesFacts({ params: { sslmode: "require" } }),
    expect: [{ code: "tls.not-verified", subject: "sslmode", message: "any server certificate is accepted" }],
  },
  {
    name: "require, an explicit root file missing, and --server-cert: accepted without any check",
    facts: filesFacts(server("server-good.crt", {}, { sslmode: "require", sslrootcert: W("none.crt") })),
    expect: [{ code: "tls.not-verified", message: "without any check" }],
  },
  {
    name: "require with a root file verifies the chain, as verify-ca does",
    facts: filesFacts(server("server-good.crt", {}, { sslmode: "require" })),
    expect: ["tls.require-verifies"],
  },
  {
    name: "verify-full with a root file that verifies: nothing to say here",
    facts: filesFacts(server("server-good.crt")),
    expect: [],
  },
  {
    name: "a root file that cannot be read is the chain verdict's (certs/chain), not a missing file",
    facts: filesFacts(server("server-good.crt", {}, { sslrootcert: join("fixtures/pki", "csr.pem") })),
    expect: [],
  },
  {
    name: "disable: no verification is expected",
    facts: filesFacts({ params: { sslmode: "disable", sslrootcert: P("root-ca.crt") } }),
    expect: [],
  },
]);
