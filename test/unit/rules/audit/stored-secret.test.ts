import { describe, expect, it } from "vitest";
import rule from "../../../../src/rules/audit/stored-secret.js";
import { describeRule, runRule } from "../../../helpers/rules.js";
import { stored } from "./fixtures.js";

describeRule(rule, [
  {
    name: "a literal password in a .env file, named by variable, file and line",
    facts: stored({ literalSecrets: ["password"] }),
    expect: [
      {
        code: "audit.secret-in-plain-config",
        subject: "DATABASE_URL",
        message:
          "DATABASE_URL in deploy/.env:3 holds a connection string with a literal password, stored in a .env file",
        hint: "Move the password out of the file",
      },
    ],
  },
  {
    name: "both secrets in a URL in plain text, named by file",
    facts: stored({
      variable: undefined,
      source: "text",
      file: "logs/app.log",
      line: 9,
      literalSecrets: ["password", "sslpassword"],
    }),
    expect: [
      {
        code: "audit.secret-in-plain-config",
        subject: "logs/app.log",
        message: ["the URL in logs/app.log:9", "literal password and sslpassword", "a plain-text file"],
      },
    ],
  },
  {
    name: "a Secret's stringData is plain text in the manifest",
    facts: stored({ source: "kubernetes-secret", literalSecrets: ["password"] }),
    expect: [{ code: "audit.secret-in-plain-config", message: "a Secret's stringData (plain text in the manifest)" }],
  },
  {
    name: "a Secret's base64 data is no better: base64 is an encoding",
    facts: stored({ source: "kubernetes-secret", base64: true, literalSecrets: ["password"] }),
    expect: [
      {
        code: "audit.base64-secret",
        message: "is a Secret's base64 data holding a connection string with its password",
      },
    ],
  },
  {
    name: "silent when the value writes no secret (a placeholder, or a password from the environment)",
    facts: stored({ literalSecrets: [] }),
    expect: [],
  },
  { name: "silent outside an audit", facts: {}, expect: [] },
]);

describe("audit/stored-secret evidence", () => {
  it("names the file, where it is stored and which fields, never the value", () => {
    const [plain] = runRule(rule, stored({ literalSecrets: ["password"] }));
    expect(plain?.evidence).toEqual({ file: "deploy/.env", source: "dotenv", fields: ["password"] });
    const [b64] = runRule(rule, stored({ source: "kubernetes-secret", base64: true, literalSecrets: ["sslpassword"] }));
    expect(b64?.evidence).toEqual({ file: "deploy/.env", key: "DATABASE_URL", fields: ["sslpassword"] });
  });
});
