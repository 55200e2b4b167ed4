// SkillFlaw's pools against the server's free connection slots (the arithmetic is the stage's computeCapacity).
import { computeCapacity } from "../../../../src/ops/capacity.js";
import rule from "../../../../src/rules/ops/capacity.js";
import { describeRule } from "../../../helpers/rules.js";
import { bouncerSession, pooler } from "../pooler/fixtures.js";
import { defaultPool, live, opsFacts, slots } from "./fixtures.js";

/** max_connections 100 - 3 reserved - 6 sessions of other users = 91 available. */
const run = (instances: number, workers: number, perProcess: number | null) =>
  live({ capacity: { status: "completed", value: computeCapacity(slots, instances, workers, perProcess) } });

describeRule(rule, [
  { name: "1 × 1 × 50 fits 91 free slots: silent", facts: run(1, 1, 50), expect: [] },
  { name: "exactly full is still fine (91 of 91)", facts: run(1, 1, 91), expect: [] },
  {
    name: "one more than the free slots, in one instance: a warning while the server accepts connections",
    facts: run(1, 1, 92),
    expect: [{ code: "ops.capacity-exceeded", subject: "db.internal:5432", severity: "warning" }],
  },
  {
    name: "an error when an attempt of this run was refused for too many connections",
    facts: {
      ...run(1, 1, 92),
      modes: {
        results: [{ sslmode: "prefer", ok: false, stage: "auth", code: "too-many-connections", credentialsSent: true }],
        withheld: [],
        configuredMode: "prefer",
        authProbe: "safe",
        target: { host: "db.internal", user: "app", database: "app", certNames: [], chainIncomplete: false },
      },
    },
    expect: [{ code: "ops.capacity-exceeded", severity: "error" }],
  },
  {
    name: "silent for a generic libpq target (SkillFlaw's pools do not apply)",
    facts: { ...run(1, 1, 92), app: "libpq" },
    expect: [],
  },
  {
    name: "2 instances × 1 worker × 50 = 100 > 91: a warning, not an error",
    facts: run(2, 1, 50),
    expect: [
      {
        code: "ops.capacity-warning",
        subject: "db.internal:5432",
        message: [
          "2 instances × 1 worker × 50 (pool_size + max_overflow) = 100",
          "max_connections 100 - superuser_reserved_connections 3 - 6 sessions of other users = 91 available",
          "sorry, too many clients already",
        ],
        hint: ["at or below 45 per process", "at least 109"],
      },
    ],
  },
  {
    name: "one instance with 2 workers × 50 = 100 > 91: exceeded",
    facts: run(1, 2, 50),
    expect: [
      {
        code: "ops.capacity-exceeded",
        message: ["2 × 50 = 100", "= 91 available", "sorry, too many clients already"],
        hint: "at or below 45 per process (91 slots / (1 × 2))",
      },
    ],
  },
  {
    name: "the exceeded severity is an option (a review policy may make the risk an error)",
    facts: run(1, 2, 50),
    options: { capacityExceededSeverity: "error" },
    expect: [{ code: "ops.capacity-exceeded", severity: "error" }],
  },
  {
    name: "reserved_connections (16+) is named when set",
    facts: live({
      capacity: { status: "completed", value: computeCapacity({ ...slots, reserved: 5 }, 1, 1, 90) },
    }),
    expect: [{ code: "ops.capacity-exceeded", message: "- reserved_connections 5 -" }],
  },
  {
    name: "an unbounded pool cannot be compared: info, with the pool's own reason",
    facts: live(
      { capacity: { status: "completed", value: computeCapacity(slots, 3, 2, null) } },
      {
        pool: {
          ...defaultPool,
          perProcess: null,
          perProcessNote: "poolclass NullPool opens one connection per session",
        },
      },
    ),
    expect: [{ code: "ops.capacity-unknown", message: ["91 available slots", "NullPool"] }],
  },
  {
    name: "silent when the sessions could not be counted",
    facts: live({ capacity: { status: "error", reason: "could not count sessions: permission denied" } }),
    expect: [],
  },
  { name: "silent without a session (offline)", facts: { ops: opsFacts() }, expect: [] },
  {
    name: "behind PgBouncer the server's slots bound the pooler's pools, not SkillFlaw's (pooler/capacity judges): silent",
    facts: live(
      { capacity: { status: "completed", value: computeCapacity(slots, 1, 1, 92) } },
      { pooler: pooler({ session: bouncerSession() }) },
    ),
    expect: [],
  },
]);
