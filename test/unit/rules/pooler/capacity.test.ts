import { readPoolSettings } from "../../../../src/ops/pool.js";
import rule from "../../../../src/rules/pooler/capacity.js";
import { describeRule } from "../../../helpers/rules.js";
import { file } from "../ops/fixtures.js";
import { bouncerSession, CONFIG, pooler, withPooler } from "./fixtures.js";

const readable = (maxClientConn: number | null) =>
  pooler({ session: bouncerSession({ adminConsole: { state: "readable", config: { ...CONFIG, maxClientConn } } }) });

describeRule(rule, [
  {
    name: "SHOW CONFIG not allowed: the client limit is unknown, and the server's slots are the pooler's",
    facts: withPooler(pooler({ session: bouncerSession() })),
    expect: [
      {
        code: "pooler.capacity-unknown",
        message: ["PgBouncer's client limit", "admin_users or stats_users", "may open up to 50"],
      },
    ],
  },
  {
    name: "50 connections (SkillFlaw's defaults) against max_client_conn 30: an error",
    facts: withPooler(readable(30)),
    expect: [
      {
        code: "pooler.capacity-exceeded",
        message: "1 instance × 1 worker × 50 = 50 connections, but PgBouncer's max_client_conn is 30",
      },
    ],
  },
  {
    name: "3 instances × 2 workers × 10 = 60 of max_client_conn 100: silent",
    facts: withPooler(readable(100), {
      instances: 3,
      workers: 2,
      pool: readPoolSettings(file({ SKILLFLAW_DB_CONNECTION_SETTINGS: '{"pool_size": 5, "max_overflow": 5}' }), {}),
    }),
    expect: [],
  },
  {
    name: "pgpool-II: SHOW pool_status's num_init_children 4 against 50 connections",
    facts: withPooler(
      pooler({
        session: bouncerSession({
          adminConsole: undefined,
          poolVersion: "4.3.5 (tamahomeboshi)",
          poolStatus: { ...CONFIG, maxClientConn: 4, poolMode: null },
        }),
      }),
    ),
    expect: [
      {
        code: "pooler.capacity-exceeded",
        message: "pgpool-II's num_init_children is 4",
        hint: "raise num_init_children in pgpool.conf",
      },
    ],
  },
  { name: "no pooler: silent", facts: withPooler(null), expect: [] },
]);
