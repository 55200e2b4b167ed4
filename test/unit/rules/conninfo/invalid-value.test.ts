import rule from "../../../../src/rules/conninfo/invalid-value.js";
import { libpqFacts } from "../../../helpers/conninfo.js";
import { describeRule } from "../../../helpers/rules.js";

describeRule(rule, [
  {
    name: "an underscore in sslmode",
    facts: libpqFacts("host=db sslmode=verify_full"),
    expect: [
      {
        code: "conninfo.invalid-value",
        subject: "sslmode",
        message: 'invalid sslmode value: "verify_full"',
        hint: "sslmode=verify-full",
      },
    ],
  },
  {
    name: "an upper-case sslmode",
    facts: libpqFacts("postgresql://host/db?sslmode=VERIFY-FULL"),
    expect: [{ code: "conninfo.invalid-value", message: '"VERIFY-FULL"', hint: "sslmode=verify-full" }],
  },
  {
    name: "a value nothing is close to lists what libpq accepts",
    facts: libpqFacts("host=db gssencmode=sometimes"),
    expect: [{ code: "conninfo.invalid-value", hint: "libpq accepts exactly: disable, prefer, require" }],
  },
  { name: "silent on other option errors", facts: libpqFacts("host=a,b port=1,2,3"), expect: [] },
  { name: "silent on valid values", facts: libpqFacts("host=db sslmode=verify-full"), expect: [] },
]);
