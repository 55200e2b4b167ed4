import rule from "../../../../src/rules/audit/server-ssl-off.js";
import { describeRule } from "../../../helpers/rules.js";
import { tree } from "./fixtures.js";

const server = {
  file: "docker-compose.yml",
  line: 4,
  column: 30,
  name: "db",
  ssl: "off" as const,
  option: "-c ssl=off",
};
const client = (sslmode: string, setting = 0) => ({
  setting,
  file: "docker-compose.yml",
  line: 10,
  column: 9,
  sslmode,
});

describeRule(rule, [
  {
    name: "a server without TLS whose clients prefer: a warning on the server",
    facts: tree([], [{ server, clients: [client("prefer")] }]),
    expect: [
      { code: "audit.server-ssl-off", subject: "db", message: "runs PostgreSQL with `-c ssl=off`: it offers no TLS" },
    ],
  },
  {
    name: "a client requiring TLS cannot connect: an error on that client",
    facts: tree([], [{ server, clients: [client("require", 3)] }]),
    expect: [
      { code: "audit.server-ssl-off", message: "1 setting(s) that require TLS cannot connect" },
      {
        code: "audit.server-ssl-off",
        severity: "error",
        message: 'libpq fails with "server does not support SSL, but SSL was required"',
      },
    ],
  },
  {
    name: "silent for ssl=on",
    facts: tree([], [{ server: { ...server, ssl: "on" }, clients: [client("require")] }]),
    expect: [],
  },
  { name: "silent outside an audit", facts: {}, expect: [] },
]);
