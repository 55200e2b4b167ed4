// The database's other sessions as SkillFlaw's role sees them (dbdoctor instances).
import rule from "../../../../src/rules/ops/clients.js";
import { describeRule } from "../../../helpers/rules.js";
import { bouncerSession, pooler } from "../pooler/fixtures.js";
import { clients, live } from "./fixtures.js";

const read = (c: Parameters<typeof clients>[0]) => live({ clients: { status: "completed", value: clients(c) } });
const g = { usename: "app", applicationName: "", state: "idle", sslVersion: null, count: 2, hidden: false };

describeRule(rule, [
  {
    name: "behind PgBouncer the sessions are its own links to the server: no claim about the clients' encryption",
    facts: live(
      {
        clients: {
          status: "completed",
          value: clients({ groups: [{ ...g, clientAddr: "127.0.0.1", ssl: false, count: 3 }], total: 3 }),
        },
      },
      { pooler: pooler({ session: bouncerSession() }) },
    ),
    expect: [],
  },
  {
    name: "other users' sessions hidden from a role without pg_read_all_stats: info",
    facts: read({ total: 3, hiddenSessions: 2 }),
    expect: [
      {
        code: "ops.clients-hidden",
        subject: "skillflaw",
        message: '2 of 3 other sessions on database "skillflaw" belong to other users',
      },
    ],
  },
  {
    name: "nothing hidden from a role with pg_read_all_stats",
    facts: read({ total: 3, hiddenSessions: 2, canReadAllStats: true }),
    expect: [],
  },
  {
    name: "unencrypted TCP clients are a warning; unix-socket and hidden rows are not judged",
    facts: read({
      groups: [
        { ...g, clientAddr: "10.0.0.5", ssl: false },
        { ...g, clientAddr: null, ssl: false },
        { ...g, clientAddr: null, ssl: null, hidden: true },
        { ...g, clientAddr: "10.0.0.6", ssl: true, sslVersion: "TLSv1.3" },
      ],
    }),
    expect: [{ code: "ops.clients-unencrypted", message: ["2 TCP sessions", "are not encrypted: 10.0.0.5 (app)"] }],
  },
  {
    name: "one plaintext session, named with its application",
    facts: read({ groups: [{ ...g, clientAddr: "10.0.0.5", applicationName: "worker", ssl: false, count: 1 }] }),
    expect: [
      {
        code: "ops.clients-unencrypted",
        message: '1 TCP session on database "skillflaw" is not encrypted: 10.0.0.5 (app, worker)',
      },
    ],
  },
  {
    name: "silent when every client uses SSL",
    facts: read({ groups: [{ ...g, clientAddr: "10.0.0.6", ssl: true }] }),
    expect: [],
  },
  { name: "silent when the clients were not read (check)", facts: live(), expect: [] },
]);
