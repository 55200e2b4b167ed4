import rule from "../../../../src/rules/modes/credentials-withheld.js";
import { describeRule } from "../../../helpers/rules.js";
import { matrix, mode } from "./fixtures.js";

const modes = [
  mode("disable", true, { credentialsSent: false, stage: "auth" }),
  // Failed at auth without sending anything because there was no password at all: not "withheld".
  mode("allow", false, { credentialsSent: false, stage: "auth", code: "no-password" }),
  mode("verify-full", true),
];

describeRule(rule, [
  {
    name: "lists exactly the modes whose password was held back",
    facts: matrix(modes, "verify-full", ["disable"]),
    expect: [{ code: "session.credentials-withheld", subject: "disable", message: "--auth-probe safe" }],
  },
  { name: "silent when every password was sent", facts: matrix(modes, "verify-full", []), expect: [] },
]);
