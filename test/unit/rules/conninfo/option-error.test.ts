import rule from "../../../../src/rules/conninfo/option-error.js";
import { libpqFacts } from "../../../helpers/conninfo.js";
import { describeRule } from "../../../helpers/rules.js";

describeRule(rule, [
  {
    name: "a port list longer than the host list",
    facts: libpqFacts("host=a,b port=1,2,3"),
    expect: [
      { code: "conninfo.option-error", message: "could not match 3 port numbers to 2 hosts", hint: "one per host" },
    ],
  },
  {
    name: "a weak sslmode with the system roots",
    facts: libpqFacts("host=db sslmode=require sslrootcert=system"),
    expect: [
      {
        code: "conninfo.option-error",
        message: 'weak sslmode "require" may not be used with sslrootcert=system',
        hint: "verify-full",
      },
    ],
  },
  {
    name: "a connect_timeout with a unit",
    facts: libpqFacts("host=db connect_timeout=10s"),
    expect: [{ code: "conninfo.option-error", subject: "connect_timeout", hint: "whole number of seconds" }],
  },
  {
    name: "silent on an invalid enumerated value (invalid-value's)",
    facts: libpqFacts("host=db sslmode=x"),
    expect: [],
  },
  { name: "silent when libpq accepts the options", facts: libpqFacts("host=db port=5432"), expect: [] },
]);
