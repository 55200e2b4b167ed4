// libpq's parser (PQconninfoParse) rejects the string: its own message, redacted by the stage, with the fix for
// the kind of mistake it names.
import { defineRule } from "../rule.js";

function parseHint(message: string, schemeUrl: boolean): string {
  if (message.startsWith("invalid percent-encoded token") || message.startsWith("forbidden value %00"))
    return "In a URI a '%' must start a two-digit hex escape: write a literal % as %25 and encode reserved characters in the user, password, host and database name (encodeURIComponent in JavaScript, urllib.parse.quote(value, safe='') in Python).";
  if (message.startsWith("unexpected spaces found"))
    return "libpq 18 rejects raw spaces in URI components: encode each space as %20.";
  if (message.startsWith("unterminated quoted string"))
    return "Close the single quote, or write a quote inside a value as \\'.";
  if (message.includes("IPv6 host address") || message.startsWith("unexpected character"))
    return "Write an IPv6 address in brackets, followed only by :port, /, ? or a comma: postgresql://[2001:db8::1]:5432/db.";
  if (message.includes("key/value separator"))
    return "Each query parameter is key=value, separated by &; percent-encode '=' and '&' inside a value as %3D and %26.";
  if (message.startsWith('missing "=" after')) {
    // libpq takes only postgresql:// and postgres:// as URIs; anything else with a scheme is read as key=value.
    if (schemeUrl)
      return "libpq accepts only URIs starting with postgresql:// or postgres:// (lower case, nothing before them). A SQLAlchemy or JDBC URL must be converted: drop the +driver or the jdbc: prefix.";
    return "A keyword/value string is key=value pairs separated by spaces: quote a value holding spaces as key='a b'.";
  }
  return "Fix the syntax named in libpq's message.";
}

export default defineRule({
  id: "conninfo/parse-error",
  family: "conninfo",
  codes: {
    "conninfo.parse-error": {
      severity: "error",
      title: "libpq cannot parse the connection string",
      description:
        "PQconninfoParse (and so psql, psycopg and every libpq client) rejects the string before doing anything else. The message is libpq's own, with any quoted secret masked.",
      hint: "Fix the syntax named in the message; in a URI, percent-encode reserved characters in the user, password, host and database name.",
    },
  },
  check({ conninfo }, { report }) {
    for (const e of conninfo?.errors ?? []) {
      if (e.stage !== "parse" || e.keyword !== undefined) continue;
      report("conninfo.parse-error", "connection string", `${e.message}.`, {
        hint: parseHint(e.message, conninfo?.schemeUrl ?? false),
      });
    }
  },
});
