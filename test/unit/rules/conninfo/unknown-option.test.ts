import rule from "../../../../src/rules/conninfo/unknown-option.js";
import { libpqFacts } from "../../../helpers/conninfo.js";
import { describeRule } from "../../../helpers/rules.js";

describeRule(rule, [
  {
    name: "a camelCase keyword: did you mean sslmode?",
    facts: libpqFacts("postgresql://host/db?sslMode=verify-full"),
    expect: [
      {
        code: "conninfo.unknown-option",
        subject: "sslMode",
        message: 'invalid URI query parameter: "sslMode"',
        hint: "Did you mean sslmode?",
      },
    ],
  },
  {
    name: "a snake_case keyword",
    facts: libpqFacts("host=db ssl_mode=require"),
    expect: [{ code: "conninfo.unknown-option", message: 'invalid connection option "ssl_mode"', hint: "sslmode" }],
  },
  {
    name: "ssl=1 in a URI means sslmode=require",
    facts: libpqFacts("postgresql://host/db?ssl=1"),
    expect: [{ code: "conninfo.unknown-option", message: "ssl=1", hint: "sslmode=require" }],
  },
  {
    name: "ssl=false in keyword/value means sslmode=disable",
    facts: libpqFacts("host=db ssl=false"),
    expect: [{ code: "conninfo.unknown-option", message: "ssl=false", hint: "sslmode=disable" }],
  },
  {
    name: "a keyword removed in libpq 14",
    facts: libpqFacts("host=db tty=/dev/null", { major: 15 }),
    expect: [{ code: "conninfo.unknown-option", message: "removed in libpq 14" }],
  },
  {
    name: "a keyword newer than the modelled libpq",
    facts: libpqFacts("host=db sslcertmode=require", { major: 15 }),
    expect: [
      {
        code: "conninfo.option-too-new",
        message: "introduced in libpq 16",
        hint: "Upgrade the client's libpq to 16",
      },
    ],
  },
  {
    name: "leaves sslnegotiation before libpq 17 to negotiation-too-old",
    facts: libpqFacts("host=db sslmode=require sslnegotiation=direct", { major: 16 }),
    expect: [],
  },
  { name: "silent on a syntax error", facts: libpqFacts("postgresql://host/db?sslmode=%zz"), expect: [] },
  { name: "silent on known keywords", facts: libpqFacts("host=db sslmode=require"), expect: [] },
]);
