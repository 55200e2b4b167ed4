import rule from "../../../../src/rules/certs/hostname.js";
import { filesFacts, P, server, wireFacts } from "../../../helpers/pki-facts.js";
import { describeRule } from "../../../helpers/rules.js";

const root = { sslrootcert: P("root-ca.crt") };
const libpq = 'server certificate for "db.wrong.example" does not match host name "localhost"';

describeRule(rule, [
  {
    name: "a certificate for another name, from --server-cert: libpq's own text",
    facts: filesFacts(server("server-wrong-host.crt")),
    expect: [{ code: "tls.hostname-mismatch", subject: "host", message: libpq, hint: "DNS:db.wrong.example" }],
  },
  {
    name: "... and from a server (dbdoctor server judges as verify-full)",
    facts: wireFacts([P("server-wrong-host.crt")], root),
    expect: [{ code: "tls.hostname-mismatch", subject: "localhost:5432 (127.0.0.1)", message: libpq }],
  },
  {
    name: "... and under sslmode=verify-full",
    facts: wireFacts([P("server-wrong-host.crt")], { ...root, sslmode: "verify-full", command: "check" }),
    expect: ["tls.hostname-mismatch"],
  },
  {
    name: "verify-ca does not check the name",
    facts: wireFacts([P("server-wrong-host.crt")], { ...root, sslmode: "verify-ca", command: "check" }),
    expect: [],
  },
  {
    name: "the name matches, from --server-cert",
    facts: filesFacts(server("server-good.crt")),
    expect: [{ code: "tls.hostname-ok", message: 'names "localhost"' }],
  },
  {
    name: "... and from a server: the endpoint facts say so",
    facts: wireFacts([P("server-good.crt")], root),
    expect: [],
  },
  {
    name: "the name is not checked below verify-full",
    facts: filesFacts(server("server-wrong-host.crt", {}, { sslmode: "verify-ca" })),
    expect: [],
  },
]);
