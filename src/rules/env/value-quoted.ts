// Quotes that became part of the value (docker-compose list syntax, quoting twice in a .env file). A keyword/value
// string may legitimately end with a quoted value; a URL never starts or ends with a quote.
import { defineRule } from "../rule.js";
import { describeInput, inputLocation } from "../where.js";

export default defineRule({
  id: "env/value-quoted",
  family: "env",
  codes: {
    "env.value-quoted": {
      severity: "error",
      title: "Quote characters inside the value",
      description:
        "The value itself starts or ends with a quote character, typically from docker-compose list syntax (- \"VAR='...'\") or from quoting twice in a .env file. The quotes become part of the URL and SQLAlchemy cannot parse it.",
      hint: "Remove the inner quotes: VAR=postgresql://... in .env, or - VAR=postgresql://... in docker-compose.",
    },
  },
  check({ env, url, input }, { report }) {
    if (!env) return;
    const s = env.shape;
    const trailing = s.url || s.leadingQuote !== null ? s.trailingQuote : null;
    const quotes = [s.leadingQuote, trailing].filter((q): q is string => q !== null);
    if (quotes.length === 0) return;
    const at = s.leadingQuote === quotes[0] ? (quotes.length === 2 ? "starts and ends" : "starts") : "ends";
    report(
      "env.value-quoted",
      "value",
      `The value of ${describeInput(input?.source)} ${at} with a literal ${quotes[0]} character, so the quotes are part of the connection string${url?.style === "sqlalchemy" ? " and SQLAlchemy cannot parse it" : ""}.`,
      {
        hint: "Remove the inner quotes: write VAR=postgresql://... (a .env file may quote the whole value once; docker-compose list syntax must not add a second pair).",
        ...inputLocation(input?.source),
      },
    );
  },
});
