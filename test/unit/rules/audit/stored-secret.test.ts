import { describe, expect, it } from "vitest";
import rule from "../../../../src/rules/audit/stored-secret.js";
import { describeRule, runRule } from "../../../helpers/rules.js";
import { secret, stored } from "./fixtures.js";

describeRule(rule, [
  {
    name: "a real password in a .env file to a remote host: an error, named by variable, file and line",
    facts: stored({ secrets: [secret()] }),
    expect: [
      {
        code: "audit.secret-in-plain-config",
        subject: "DATABASE_URL",
        message: "DATABASE_URL in deploy/.env:3 holds a literal password, stored in a .env file",
        hint: "Move the password out of the file",
      },
    ],
  },
  {
    name: "a password key of a values file and an admin password of the same object, each named",
    facts: stored({
      source: "helm-values",
      variable: "externalDatabase",
      form: "parts",
      secrets: [secret({ via: "password" }), secret({ field: "postgresPassword", via: "postgresPassword" })],
    }),
    expect: [
      {
        code: "audit.secret-in-plain-config",
        message: ["literal password and postgresPassword (password, postgresPassword)", "Helm values"],
      },
    ],
  },
  {
    name: "a stand-in (changeme) is info, whatever the host",
    facts: stored({ secrets: [secret({ dummy: "a placeholder or default word" })] }),
    expect: [
      {
        code: "audit.secret-in-plain-config",
        severity: "info",
        message: "Reported as info: it looks like a placeholder (a placeholder or default word)",
      },
    ],
  },
  {
    name: "an example file, a CI pipeline, a loopback host: info",
    facts: stored({ example: true, secrets: [secret()] }),
    expect: [{ code: "audit.secret-in-plain-config", severity: "info", message: "the file is an example" }],
  },
  {
    name: "a database on the client's own machine: info",
    facts: stored({ reach: "loopback", hosts: [{ host: "127.0.0.1", reach: "loopback" }], secrets: [secret()] }),
    expect: [{ code: "audit.secret-in-plain-config", severity: "info", message: "on the client's own machine" }],
  },
  {
    name: "a password with no host (a chart's auth block) is judged by itself, not by a socket's locality",
    facts: stored({ form: "parts", reach: "socket", hosts: [], parts: {}, secrets: [secret()] }),
    expect: [{ code: "audit.secret-in-plain-config", severity: "error" }],
  },
  {
    name: "a Secret's base64 data is no better: base64 is an encoding",
    facts: stored({ source: "kubernetes-secret", base64: true, secrets: [secret()] }),
    expect: [
      {
        code: "audit.base64-secret",
        message: "is a Secret's base64 data holding a connection string with its password",
      },
    ],
  },
  {
    name: "silent when the setting writes no secret (a placeholder, a Secret reference, the environment)",
    facts: stored({ secrets: [] }),
    expect: [],
  },
  { name: "silent outside an audit", facts: {}, expect: [] },
]);

describe("audit/stored-secret evidence and location", () => {
  it("names the file, where it is stored and which fields, never the value; points at the secret", () => {
    const [plain] = runRule(
      rule,
      stored({ secrets: [secret({ location: { file: "deploy/.env", line: 7, column: 3 } })] }),
    );
    expect(plain?.evidence).toEqual({ file: "deploy/.env", source: "dotenv", fields: ["password"] });
    expect(plain?.location).toEqual({ file: "deploy/.env", line: 7, column: 3 });
    const [b64] = runRule(
      rule,
      stored({ source: "kubernetes-secret", base64: true, secrets: [secret({ field: "sslpassword" })] }),
    );
    expect(b64?.evidence).toEqual({ file: "deploy/.env", key: "DATABASE_URL", fields: ["sslpassword"] });
  });
});
