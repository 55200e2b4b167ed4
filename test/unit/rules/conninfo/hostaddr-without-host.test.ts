import rule from "../../../../src/rules/conninfo/hostaddr-without-host.js";
import { libpqFacts } from "../../../helpers/conninfo.js";
import { describeRule } from "../../../helpers/rules.js";

const CA = { files: ["/etc/app/ca.pem"] };

describeRule(rule, [
  {
    name: "verify-full with hostaddr alone cannot check the name",
    facts: libpqFacts("hostaddr=10.0.0.5 sslmode=verify-full sslrootcert=/etc/app/ca.pem", CA),
    expect: [
      {
        code: "sslmode.hostaddr-without-host",
        message: ["hostaddr=10.0.0.5", "host name must be specified"],
        hint: "host=db.example.com hostaddr=10.0.0.5",
      },
    ],
  },
  {
    name: "silent with a host name next to hostaddr",
    facts: libpqFacts("host=db hostaddr=10.0.0.5 sslmode=verify-full sslrootcert=/etc/app/ca.pem", CA),
    expect: [],
  },
  {
    name: "silent under verify-ca (no host name check)",
    facts: libpqFacts("hostaddr=10.0.0.5 sslmode=verify-ca sslrootcert=/etc/app/ca.pem", CA),
    expect: [],
  },
]);
