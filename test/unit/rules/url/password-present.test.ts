import rule from "../../../../src/rules/url/password-present.js";
import { argument, fromEnvFile, stageFacts } from "../../../helpers/conninfo.js";
import { describeRule } from "../../../helpers/rules.js";

describeRule(rule, [
  {
    name: "a password in the user-info, pointing at the .env line",
    facts: stageFacts(fromEnvFile("postgresql://app:s3cret@db/app")),
    expect: [{ code: "url.password-present", subject: "password" }],
  },
  {
    name: "a password keyword in a libpq string",
    facts: stageFacts(argument("host=db password=s3cret")),
    expect: ["url.password-present"],
  },
  { name: "silent without a password", facts: stageFacts(argument("postgresql://app@db/app")), expect: [] },
]);
