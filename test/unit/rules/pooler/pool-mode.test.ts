import rule from "../../../../src/rules/pooler/pool-mode.js";
import { describeRule } from "../../../helpers/rules.js";
import { bouncerSession, CONFIG, pooler, withPooler } from "./fixtures.js";

const withMode = (poolMode: string) =>
  withPooler(
    pooler({ session: bouncerSession({ adminConsole: { state: "readable", config: { ...CONFIG, poolMode } } }) }),
  );

describeRule(rule, [
  {
    name: "pool_mode=transaction read from SHOW CONFIG: an error for SkillFlaw's session state",
    facts: withMode("transaction"),
    expect: [
      {
        code: "pooler.transaction-pooling",
        message: ["pool_mode = transaction", "migration lock", "prepared statements"],
        hint: "pool_mode = session",
      },
    ],
  },
  { name: "statement pooling too", facts: withMode("statement"), expect: ["pooler.transaction-pooling"] },
  { name: "session pooling: silent", facts: withMode("session"), expect: [] },
  {
    name: "pool_mode unknown (no SHOW CONFIG): silent",
    facts: withPooler(pooler({ session: bouncerSession() })),
    expect: [],
  },
]);
