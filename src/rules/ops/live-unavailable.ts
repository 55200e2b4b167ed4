// A session was tried and none could be opened (or its queries failed): the live checks did not run, and a check
// that could not run is not a pass. Under --offline, or when libpq would refuse the parameters, nothing was tried.
import { defineRule } from "../rule.js";
import { skillflawOps } from "./target.js";

export default defineRule({
  id: "ops/live-unavailable",
  family: "ops",
  codes: {
    "ops.live-unavailable": {
      severity: "error",
      title: "The live operations checks could not run",
      description:
        "No session could be opened under the configured sslmode, so the server version, connection slots, schema and clients were not checked. A check that could not run is not a pass.",
      hint: "Fix the connection first (dbdoctor check shows why it fails), then run again.",
      // In check, the sslmode matrix already reports why the configured mode cannot connect.
      supersededBy: "session.configured-mode-fails",
    },
  },
  check(facts, { report }) {
    const ops = skillflawOps(facts);
    if (!ops?.liveTried || ops.live.status === "completed") return;
    report(
      "ops.live-unavailable",
      ops.firstHost ?? "server",
      `The server version, connection slots and schema were not checked: ${ops.live.reason}.`,
    );
  },
});
