import rule from "../../../../src/rules/modes/configured-mode.js";
import { describeRule } from "../../../helpers/rules.js";
import { allWork, matrix, mode } from "./fixtures.js";

describeRule(rule, [
  {
    name: "a failing configured mode is an error whose hint is the concrete fix, naming the mode that works",
    facts: matrix(
      [
        mode("verify-ca", true, { encrypted: true }),
        mode("verify-full", false, { code: "hostname-mismatch", message: "m" }),
      ],
      "verify-full",
    ),
    expect: [
      {
        code: "session.configured-mode-fails",
        subject: "sslmode=verify-full",
        message: "sslmode=verify-ca would work",
        hint: "host=db.internal hostaddr=127.0.0.1",
      },
    ],
  },
  {
    name: "says no sslmode works when none does",
    facts: matrix([mode("require", false, { code: "server-ssl-off", message: "no SSL" })], "require"),
    expect: [{ code: "session.configured-mode-fails", message: ["no sslmode works", "no SSL"] }],
  },
  {
    name: "an undecided configured mode is a warning, never a pass",
    facts: matrix([mode("verify-full", null, { message: "withheld" })], "verify-full"),
    expect: [{ code: "session.configured-mode-undecided", message: "withheld" }],
  },
  { name: "silent when the configured mode works", facts: matrix(allWork, "verify-full"), expect: [] },
  { name: "silent without a configured mode (invalid sslmode)", facts: matrix(allWork, null), expect: [] },
  { name: "silent without a matrix (offline)", facts: {}, expect: [] },
]);
