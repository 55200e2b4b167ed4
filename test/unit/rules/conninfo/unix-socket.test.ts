import rule from "../../../../src/rules/conninfo/unix-socket.js";
import { libpqFacts } from "../../../helpers/conninfo.js";
import { describeRule } from "../../../helpers/rules.js";

const CA = { files: ["/etc/app/ca.pem"] };

describeRule(rule, [
  {
    name: "sslmode over a Unix socket has no effect",
    facts: libpqFacts("host=/var/run/postgresql sslmode=require"),
    expect: [{ code: "sslmode.unix-socket", message: ["/var/run/postgresql", "sslmode=require has no effect"] }],
  },
  {
    name: "SSL files over a socket, no sslmode",
    facts: libpqFacts("host=/tmp sslrootcert=/etc/app/ca.pem"),
    expect: [{ code: "sslmode.unix-socket", message: "/tmp is a Unix-domain socket", subject: "host" }],
  },
  {
    name: "an empty entry in a host list under verify-full",
    facts: libpqFacts("host=db.example.com, sslmode=verify-full sslrootcert=/etc/app/ca.pem", CA),
    expect: [{ code: "sslmode.empty-host-verify", message: ["an empty entry", "without SSL"] }],
  },
  { name: "the default socket with no sslmode: nothing to say", facts: libpqFacts("dbname=app"), expect: [] },
  { name: "silent for sslmode=disable over a socket", facts: libpqFacts("host=/tmp sslmode=disable"), expect: [] },
  {
    name: "silent for a socket in a list under require",
    facts: libpqFacts("host=db.example.com, sslmode=require"),
    expect: [],
  },
]);
