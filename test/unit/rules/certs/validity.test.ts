// The same certificate judged from a file (--server-cert, sslrootcert, sslcert) and as a server sends it: the same
// codes. Wire facts come from the probe's own pure steps over the same files (test/helpers/pki-facts.ts).
import rule from "../../../../src/rules/certs/validity.js";
import { client, filesFacts, P, server, wireFacts } from "../../../helpers/pki-facts.js";
import { describeRule } from "../../../helpers/rules.js";

const WIRE = "localhost:5432 (127.0.0.1)";
const root = { sslrootcert: P("root-ca.crt") };

describeRule(rule, [
  {
    name: "an expired server certificate from --server-cert (the chain check's own expiry is not repeated)",
    facts: filesFacts(server("server-expired.crt")),
    expect: [
      {
        code: "cert.expired",
        subject: "server-cert",
        message: ["days ago", 'server-cert "'],
        hint: "reload PostgreSQL",
      },
    ],
  },
  {
    name: "the same certificate as a server sends it",
    facts: wireFacts([P("server-expired.crt")], root),
    expect: [{ code: "cert.expired", subject: WIRE, message: "the chain localhost:5432 (127.0.0.1) sent" }],
  },
  {
    name: "... and with no root to judge the chain against: libpq does not verify it and connects, so a warning",
    facts: wireFacts([P("server-expired.crt")]),
    expect: [{ code: "cert.expired", subject: WIRE, severity: "warning", message: "connects anyway" }],
  },
  {
    name: "a server certificate not valid yet, from the file",
    facts: filesFacts(server("server-not-yet-valid.crt", {}, { sslmode: "require", sslrootcert: "/nonexistent.crt" })),
    expect: [{ code: "cert.not-yet-valid", severity: "warning", message: ["valid only from", "connects anyway"] }],
  },
  {
    name: "... and from the wire",
    facts: wireFacts([P("server-not-yet-valid.crt")], root),
    expect: ["cert.not-yet-valid"],
  },
  {
    name: "a server certificate that expires within --warn-days, from the file, although its chain verifies",
    facts: filesFacts(server("server-expiring.crt")),
    expect: [{ code: "cert.expiring", subject: "server-cert", message: "(--warn-days 30)", hint: "before" }],
  },
  {
    name: "... and from the wire",
    facts: wireFacts([P("server-expiring.crt")], root),
    expect: [{ code: "cert.expiring", subject: WIRE, message: "(--warn-days 30)" }],
  },
  {
    name: "--warn-days 5 leaves it alone (it has at least 7 days left)",
    facts: wireFacts([P("server-expiring.crt")], root),
    options: { warnDays: 5 },
    expect: [],
  },
  {
    name: "a client certificate within --warn-days 400",
    facts: filesFacts({ params: client(P("client-good.crt"), P("client-good.key")) }),
    options: { warnDays: 400 },
    expect: [{ code: "cert.expiring", subject: "sslcert", message: "--warn-days 400", hint: "Renew CN=dbdoctor" }],
  },
  {
    name: "an expired client certificate",
    facts: filesFacts({ params: client(P("client-expired.crt"), P("client-expired.key")) }),
    expect: [{ code: "cert.expired", subject: "sslcert", message: "days ago", hint: "and replace" }],
  },
  {
    name: "an expired root CA in the root file: said once, where it is (the chain fails on it too)",
    facts: filesFacts(server("server-expired-ca.crt", {}, { sslrootcert: P("expired-root-ca.crt") })),
    expect: [{ code: "cert.expired", subject: "sslrootcert", message: "dbdoctor expired root CA expired on" }],
  },
  {
    name: "... and for a probed server, where the root file is only the trust",
    facts: wireFacts([P("server-expired-ca.crt")], { sslrootcert: P("expired-root-ca.crt") }),
    expect: [{ code: "cert.expired", subject: WIRE, message: "(depth 1) has expired" }],
  },
  {
    name: "under sslmode=disable libpq never sees the server's certificate",
    facts: wireFacts([P("server-expired.crt")], { ...root, sslmode: "disable", command: "check" }),
    expect: [],
  },
  { name: "a good chain", facts: wireFacts([P("server-good.crt")], root), expect: [] },
]);
