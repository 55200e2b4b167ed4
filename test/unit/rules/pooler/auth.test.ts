import rule from "../../../../src/rules/pooler/auth.js";
import { describeRule } from "../../../helpers/rules.js";
import { auth, bouncerSession, pooler, withPooler } from "./fixtures.js";

const withAuth = (observed: ReturnType<typeof auth>[]) =>
  withPooler(pooler({ session: bouncerSession(), wire: { errors: [], sslAnswer: "S", auth: observed } }));

describeRule(rule, [
  {
    name: "auth_type=plain asked over a plaintext channel (disable): an error",
    facts: withAuth([auth("disable", "password", false), auth("verify-full", "password", true)]),
    expect: [
      {
        code: "pooler.auth-cleartext",
        severity: "error",
        message: [
          "AuthenticationCleartextPassword",
          "under sslmode disable, verify-full",
          "under disable over a plaintext channel",
        ],
        hint: "auth_type = scram-sha-256",
      },
    ],
  },
  {
    name: "auth_type=plain seen only inside TLS: a warning",
    facts: withAuth([auth("verify-full", "password", true)]),
    expect: [{ code: "pooler.auth-cleartext", severity: "warning", message: "inside TLS" }],
  },
  {
    name: "auth_type=trust: no request at all",
    facts: withAuth([auth("require", "none", true), auth("verify-full", "none", true)]),
    expect: [
      { code: "pooler.auth-none", message: "without asking for any password under sslmode require, verify-full" },
    ],
  },
  {
    name: "no request with a client certificate on the channel may be auth_type=cert: silent",
    facts: withAuth([auth("verify-full", "none", true, true)]),
    expect: [],
  },
  { name: "SCRAM: silent", facts: withAuth([auth("verify-full", "scram-sha-256", true)]), expect: [] },
  { name: "no pooler: silent", facts: withPooler(null), expect: [] },
]);
