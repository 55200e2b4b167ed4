// A session was tried and the live checks could not run: not a pass.
import rule from "../../../../src/rules/ops/live-unavailable.js";
import { describeRule } from "../../../helpers/rules.js";
import { live, opsFacts } from "./fixtures.js";

describeRule(rule, [
  {
    name: "no session under the configured sslmode: an error with libpq's reason, on the first host",
    facts: {
      ops: opsFacts({
        liveTried: true,
        live: { status: "skipped", reason: "no session under sslmode=verify-full: sorry, too many clients already" },
      }),
    },
    expect: [
      {
        code: "ops.live-unavailable",
        subject: "db.internal:5432",
        message: "were not checked: no session under sslmode=verify-full: sorry, too many clients already.",
      },
    ],
  },
  {
    name: "queries that failed on an open session count too",
    facts: { ops: opsFacts({ liveTried: true, firstHost: null, live: { status: "error", reason: "boom" } }) },
    expect: [{ code: "ops.live-unavailable", subject: "server", message: "boom" }],
  },
  { name: "silent under --offline (nothing was tried)", facts: { ops: opsFacts() }, expect: [] },
  {
    name: "silent when libpq would refuse the parameters (nothing was tried)",
    facts: { ops: opsFacts({ live: { status: "skipped", reason: "libpq would refuse these parameters: x" } }) },
    expect: [],
  },
  { name: "silent when the session ran", facts: live(), expect: [] },
]);
