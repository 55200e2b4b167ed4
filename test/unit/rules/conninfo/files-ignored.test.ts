import rule from "../../../../src/rules/conninfo/files-ignored.js";
import { libpqFacts } from "../../../helpers/conninfo.js";
import { describeRule } from "../../../helpers/rules.js";

describeRule(rule, [
  {
    name: "files under disable are ignored",
    facts: libpqFacts("host=db sslmode=disable sslrootcert=/etc/app/ca.pem sslcert=/etc/app/client.crt"),
    expect: [{ code: "sslmode.files-ignored", subject: "sslrootcert, sslcert", message: "are ignored" }],
  },
  {
    name: "one file from the environment",
    facts: libpqFacts("host=db sslmode=disable", { env: { PGSSLKEY: "/etc/app/client.key" } }),
    expect: [{ code: "sslmode.files-ignored", message: "sslkey is ignored" }],
  },
  { name: "silent for libpq's default files", facts: libpqFacts("host=db sslmode=disable"), expect: [] },
  { name: "silent when SSL is used", facts: libpqFacts("host=db sslmode=require sslcert=/c.crt"), expect: [] },
]);
