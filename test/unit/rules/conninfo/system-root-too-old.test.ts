import rule from "../../../../src/rules/conninfo/system-root-too-old.js";
import { libpqFacts } from "../../../helpers/conninfo.js";
import { describeRule } from "../../../helpers/rules.js";

describeRule(rule, [
  {
    name: "sslrootcert=system on libpq 15 under verify-full fails",
    facts: libpqFacts("host=db.example.com sslmode=verify-full sslrootcert=system", { major: 15 }),
    expect: [
      {
        code: "sslmode.system-root-too-old",
        message: ["libpq 15", 'root certificate file "system" does not exist'],
      },
    ],
  },
  {
    name: "under require nothing is verified",
    facts: libpqFacts("host=db.example.com sslmode=require sslrootcert=system", { major: 15 }),
    expect: [{ code: "sslmode.system-root-too-old", message: "nothing is verified under sslmode=require" }],
  },
  {
    name: "silent on libpq 16",
    facts: libpqFacts("host=db.example.com sslrootcert=system", { major: 16 }),
    expect: [],
  },
  { name: "silent for a real file", facts: libpqFacts("host=db sslrootcert=/ca.pem", { major: 15 }), expect: [] },
]);
