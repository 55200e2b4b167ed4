// SkillFlaw's migration advisory lock in pg_locks.
import rule from "../../../../src/rules/ops/migration-lock.js";
import { describeRule } from "../../../helpers/rules.js";
import { clients, live } from "./fixtures.js";

const locks = (migrationLock: ReturnType<typeof clients>["migrationLock"]) =>
  live({ clients: { status: "completed", value: clients({ migrationLock }) } });

describeRule(rule, [
  {
    name: "the holder is named with its pid, address and application",
    facts: locks([{ pid: 4242, granted: true, clientAddr: "10.0.0.7", applicationName: "skillflaw-1" }]),
    expect: [
      {
        code: "ops.migration-lock-held",
        subject: "skillflaw",
        message: "lock is held by pid 4242 from 10.0.0.7 (skillflaw-1)",
      },
    ],
  },
  {
    name: "a waiter is one finding more, saying it waits",
    facts: locks([
      { pid: 4242, granted: true, clientAddr: null, applicationName: "" },
      { pid: 4343, granted: false, clientAddr: "10.0.0.8", applicationName: null },
    ]),
    expect: [
      { code: "ops.migration-lock-held", message: "held by pid 4242: an instance" },
      { code: "ops.migration-lock-held", message: "awaited by pid 4343 from 10.0.0.8:" },
    ],
  },
  { name: "silent when nobody holds it", facts: locks([]), expect: [] },
  { name: "silent when the clients were not read (check)", facts: live(), expect: [] },
]);
