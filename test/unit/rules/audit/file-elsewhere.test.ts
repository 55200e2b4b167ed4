import rule from "../../../../src/rules/audit/file-elsewhere.js";
import { describeRule } from "../../../helpers/rules.js";
import { param, stored } from "./fixtures.js";

describeRule(rule, [
  {
    name: "a CA path that is not on the auditing machine is checked where the setting is deployed",
    facts: stored({ files: [{ param: "sslrootcert", path: "/etc/skillflaw/db-ca.pem", exists: false }] }),
    expect: [
      {
        code: "audit.file-not-here",
        subject: "sslrootcert",
        message: [
          "sslrootcert=/etc/skillflaw/db-ca.pem (under verify-ca/verify-full every connection fails before the handshake if it is missing there)",
          "checked where the setting is deployed",
        ],
      },
    ],
  },
  {
    name: "a client certificate and key: libpq's silent fallback is named",
    facts: stored({
      files: [
        { param: "sslcert", path: "certs/client.crt", exists: false },
        { param: "sslkey", path: "certs/client.key", exists: true },
      ],
    }),
    expect: [{ code: "audit.file-not-here", subject: "sslcert", message: "connects without a client certificate" }],
  },
  {
    name: "silent under sslmode=disable, which never reads the files",
    facts: stored({
      files: [{ param: "sslrootcert", path: "/etc/ssl/ca.crt", exists: false }],
      effective: { host: param("db.internal"), sslmode: param("disable"), sslrootcert: param("/etc/ssl/ca.crt") },
    }),
    expect: [],
  },
  { name: "silent when every file is here (the files family judges them)", facts: stored(), expect: [] },
  { name: "silent outside an audit", facts: {}, expect: [] },
]);
