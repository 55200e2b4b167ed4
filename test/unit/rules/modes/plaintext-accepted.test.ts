import rule from "../../../../src/rules/modes/plaintext-accepted.js";
import { describeRule } from "../../../helpers/rules.js";
import { allWork, matrix, mode } from "./fixtures.js";

describeRule(rule, [
  {
    name: "a working disable session says the server accepts plaintext for this user and database",
    facts: matrix(allWork, "verify-full"),
    expect: [{ code: "session.plaintext-accepted", subject: "localhost", message: 'user "app" and database "app"' }],
  },
  {
    name: "silent when plaintext is refused",
    facts: matrix([mode("disable", false, { code: "hba-reject" })], "verify-full"),
    expect: [],
  },
]);
