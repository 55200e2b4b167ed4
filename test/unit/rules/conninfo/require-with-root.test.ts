import rule from "../../../../src/rules/conninfo/require-with-root.js";
import { libpqFacts } from "../../../helpers/conninfo.js";
import { describeRule } from "../../../helpers/rules.js";

describeRule(rule, [
  {
    name: "require with the default root file present verifies the chain",
    facts: libpqFacts("host=db.example.com sslmode=require", { files: ["/home/app/.postgresql/root.crt"] }),
    expect: [{ code: "sslmode.require-with-root", message: ["/home/app/.postgresql/root.crt", "verify-ca"] }],
  },
  {
    name: "an explicit sslrootcert that exists, relative paths as given",
    facts: libpqFacts("host=db sslmode=require sslrootcert=ca.pem", { files: ["ca.pem"] }),
    expect: [{ code: "sslmode.require-with-root", message: "(ca.pem)" }],
  },
  { name: "silent when no root file exists", facts: libpqFacts("host=db.example.com sslmode=require"), expect: [] },
  {
    name: "silent under verify-ca (it verifies anyway)",
    facts: libpqFacts("host=db sslmode=verify-ca", { files: ["/home/app/.postgresql/root.crt"] }),
    expect: [],
  },
]);
