import rule from "../../../../src/rules/modes/stronger-mode.js";
import { describeRule } from "../../../helpers/rules.js";
import { allWork, matrix, mode } from "./fixtures.js";

describeRule(rule, [
  {
    name: "suggests verify-full when it also works",
    facts: matrix(allWork, "require"),
    expect: [
      {
        code: "session.stronger-mode-works",
        message: "stronger sslmode=verify-full",
        hint: "Set sslmode=verify-full.",
      },
    ],
  },
  {
    name: "names verify-ca and says verify-full fails when verify-ca is the strongest that works",
    facts: matrix(
      [mode("require", true, { encrypted: true }), mode("verify-ca", true), mode("verify-full", false)],
      "require",
    ),
    expect: [{ code: "session.stronger-mode-works", hint: "verify-full fails" }],
  },
  { name: "nothing stronger than verify-full", facts: matrix(allWork, "verify-full"), expect: [] },
  {
    name: "prefer is never 'stronger' than disable",
    facts: matrix([mode("disable", true), mode("prefer", true)], "disable"),
    expect: [],
  },
]);
