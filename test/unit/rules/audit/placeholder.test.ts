// biome-ignore-all lint/suspicious/noTemplateCurlyInString: placeholders such as ${VAR} are what these cases are about
import rule from "../../../../src/rules/audit/placeholder.js";
import { describeRule } from "../../../helpers/rules.js";
import { stored } from "./fixtures.js";

describeRule(rule, [
  {
    name: "the host and the sslmode are placeholders: named, unknown",
    facts: stored({ placeholders: { host: "${DB_HOST}", sslmode: "{{ .Values.db.sslmode }}" } }),
    expect: [
      {
        code: "audit.placeholder",
        subject: "host, sslmode",
        message: "host is ${DB_HOST}, sslmode is {{ .Values.db.sslmode }}; the audit cannot judge them",
      },
    ],
  },
  {
    name: "a host from a Secret reference",
    facts: stored({ placeholders: { host: "(from Secret db, key host)" } }),
    expect: [{ code: "audit.placeholder", message: "host is (from Secret db, key host); the audit cannot judge it" }],
  },
  {
    name: "silent for a password or user placeholder: that is how it should be",
    facts: stored({ placeholders: { password: "${DB_PASSWORD}", user: "${DB_USER}" } }),
    expect: [],
  },
  { name: "silent without placeholders", facts: stored(), expect: [] },
  { name: "silent outside an audit", facts: {}, expect: [] },
]);
