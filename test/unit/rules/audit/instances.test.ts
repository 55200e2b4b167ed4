import { describe, expect, it } from "vitest";
import rule from "../../../../src/rules/audit/instances.js";
import { describeRule, runRule } from "../../../helpers/rules.js";
import { instance, tree } from "./fixtures.js";

const a = instance();
const b = instance({ label: "deploy/b.env", file: "deploy/b.env", setting: 1 });

describeRule(rule, [
  {
    name: "two instances on one machine on the default port and config dir: each is told",
    facts: tree([a, b]),
    expect: [
      {
        code: "audit.instance-port-clash",
        message: [
          "deploy/a.env (deploy/a.env:1) listens on port 7860 (the default, SKILLFLAW_PORT is not set)",
          "like deploy/b.env",
        ],
      },
      { code: "audit.instance-port-clash", message: "deploy/b.env (deploy/b.env:1) listens on port 7860" },
      { code: "audit.instance-config-dir-clash", message: ["~/.cache/skillflaw", "SKILLFLAW_CONFIG_DIR is not set"] },
      { code: "audit.instance-config-dir-clash" },
    ],
  },
  {
    name: "their own port and config dir: nothing to say",
    facts: tree([
      a,
      instance({
        label: "deploy/b.env",
        setting: 1,
        ports: [{ value: "7861", explicit: true, line: 2, column: 15 }],
        configDir: { value: "/var/lib/skillflaw-b", explicit: true, line: 3, column: 21 },
      }),
    ]),
    expect: [],
  },
  {
    name: "on different machines (or unknown, like pods) nothing clashes",
    facts: tree([
      a,
      instance({ host: null, setting: 1 }),
      instance({ host: "compose:x.yml", setting: 2, ports: [], configDir: null }),
    ]),
    expect: [],
  },
  {
    name: "the same database reached with a weaker sslmode: the weaker one is told",
    facts: tree([
      a,
      instance({
        label: "deploy/c.env",
        file: "deploy/c.env",
        host: "dir:other",
        setting: 2,
        sslmode: "require",
        sslrootcert: null,
      }),
    ]),
    expect: [
      {
        code: "audit.instance-tls-mismatch",
        message:
          "deploy/c.env (deploy/c.env:1) reaches db.internal:5432/skillflaw with sslmode=require while deploy/a.env (deploy/a.env:1) uses sslmode=verify-full",
      },
    ],
  },
  {
    name: "the same sslmode with another CA file",
    facts: tree([a, instance({ host: "dir:other", setting: 1, sslrootcert: "/etc/other/ca.pem" })]),
    expect: [
      { code: "audit.instance-tls-mismatch", message: "sslrootcert=/etc/skillflaw/ca.pem while" },
      { code: "audit.instance-tls-mismatch", message: "sslrootcert=/etc/other/ca.pem while" },
    ],
  },
  {
    name: "different databases are not compared; an unknown sslmode (a placeholder) neither",
    facts: tree([
      a,
      instance({ host: "dir:other", setting: 1, database: "db.internal:5432/other", sslmode: "disable" }),
      instance({ host: "dir:third", setting: 2, sslmode: null }),
    ]),
    expect: [],
  },
  { name: "silent with one instance", facts: tree([a]), expect: [] },
  { name: "silent outside an audit", facts: {}, expect: [] },
]);

describe("audit/instances findings go with the instance's setting", () => {
  it("points at the port variable when set, carries the setting id", () => {
    const c = instance({ setting: 5, ports: [{ value: "7860", explicit: true, line: 4, column: 15 }] });
    const [f] = runRule(rule, tree([c, b]));
    expect(f?.location).toEqual({ file: "deploy/a.env", line: 4, column: 15 });
    expect(f?.evidence?.setting).toBe(5);
  });
});
