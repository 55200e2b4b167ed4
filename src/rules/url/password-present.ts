// A password written into the connection string travels wherever the string is logged or copied.
import { defineRule } from "../rule.js";
import { inputLocation } from "../where.js";

export default defineRule({
  id: "url/password-present",
  family: "url",
  codes: {
    "url.password-present": {
      severity: "info",
      title: "Password in the URL",
      description:
        "The connection string carries the password, so it travels wherever the URL is logged, copied or shown in a process list.",
      hint: "Leave the password out of the URL and let libpq read it from a password file (~/.pgpass, mode 0600) or PGPASSWORD from a secret store.",
    },
  },
  check({ url, input }, { report }) {
    if (!url?.passwordInString) return;
    report(
      "url.password-present",
      "password",
      "The connection string contains the password; anyone who can read the URL (logs, process lists, copied .env files) has it.",
      inputLocation(input?.source),
    );
  },
});
