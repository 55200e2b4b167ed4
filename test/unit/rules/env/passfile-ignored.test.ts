import rule from "../../../../src/rules/env/passfile-ignored.js";
import { argument, stageFacts } from "../../../helpers/conninfo.js";
import { describeRule } from "../../../helpers/rules.js";

const withPassfile = (stat: { isFile: boolean; mode: number } | null) =>
  stageFacts(argument("host=h user=u dbname=d"), {
    home: "/home/u",
    fileExists: (p) => p === "/home/u/.pgpass" && stat !== null,
    readFile: () => "*:*:*:*:pw\n",
    statFile: (p) => (p === "/home/u/.pgpass" ? stat : null),
  });

describeRule(rule, [
  {
    name: "a group-readable password file",
    facts: withPassfile({ isFile: true, mode: 0o640 }),
    expect: [{ code: "env.passfile-ignored", subject: "/home/u/.pgpass", message: "mode 0640", hint: "chmod 0600" }],
  },
  {
    name: "a password file that is not a plain file",
    facts: withPassfile({ isFile: false, mode: 0o700 }),
    expect: [{ code: "env.passfile-ignored", message: "it is not a plain file" }],
  },
  { name: "silent for mode 0600", facts: withPassfile({ isFile: true, mode: 0o600 }), expect: [] },
  { name: "silent without a password file", facts: withPassfile(null), expect: [] },
]);
