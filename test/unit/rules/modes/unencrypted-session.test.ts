import rule from "../../../../src/rules/modes/unencrypted-session.js";
import { describeRule } from "../../../helpers/rules.js";
import { allWork, matrix, mode } from "./fixtures.js";

const sslOff = mode("require", false, {
  code: "server-ssl-off",
  message: "server does not support SSL, but SSL was required",
});

describeRule(rule, [
  {
    name: "prefer that ended unencrypted is a warning that names why SSL failed and how to fix it",
    facts: matrix(
      [mode("disable", true, { encrypted: false }), mode("prefer", true, { encrypted: false }), sslOff],
      "prefer",
    ),
    expect: [
      {
        code: "session.unencrypted",
        message: "SSL fails (server does not support SSL",
        hint: ["set ssl = on", "Then set sslmode=verify-full"],
      },
    ],
  },
  {
    name: "disable is unencrypted by choice, not a surprise",
    facts: matrix([mode("disable", true, { encrypted: false })], "disable"),
    expect: [],
  },
  { name: "an encrypted prefer session is fine", facts: matrix(allWork, "prefer"), expect: [] },
  { name: "a failing mode is not an unencrypted session", facts: matrix([sslOff], "require"), expect: [] },
]);
