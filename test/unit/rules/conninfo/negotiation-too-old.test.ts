import rule from "../../../../src/rules/conninfo/negotiation-too-old.js";
import { libpqFacts } from "../../../helpers/conninfo.js";
import { describeRule } from "../../../helpers/rules.js";

describeRule(rule, [
  {
    name: "sslnegotiation in the string on libpq 16 is rejected",
    facts: libpqFacts("host=db sslmode=require sslnegotiation=direct", { major: 16 }),
    expect: [{ code: "sslmode.negotiation-too-old", message: ["libpq 16", "libpq 17", "rejects sslnegotiation"] }],
  },
  {
    name: "PGSSLNEGOTIATION on libpq 16 is ignored",
    facts: libpqFacts("host=db sslmode=verify-full sslrootcert=/etc/app/ca.pem", {
      major: 16,
      files: ["/etc/app/ca.pem"],
      env: { PGSSLNEGOTIATION: "direct" },
    }),
    expect: [
      {
        code: "sslmode.negotiation-too-old",
        message: ["sslnegotiation=direct", "libpq 16 ignores PGSSLNEGOTIATION"],
        severity: "warning",
      },
    ],
  },
  {
    name: "silent for PGSSLNEGOTIATION over a Unix socket",
    facts: libpqFacts("host=/tmp", { major: 16, env: { PGSSLNEGOTIATION: "direct" } }),
    expect: [],
  },
  { name: "silent on libpq 17", facts: libpqFacts("host=db sslnegotiation=direct sslmode=require"), expect: [] },
  { name: "silent without sslnegotiation", facts: libpqFacts("host=db", { major: 16 }), expect: [] },
]);
