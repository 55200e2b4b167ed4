// Whitespace in a URL ends up in the host, the database name or a parameter value (a trailing space, a Windows
// line ending, a line continuation).
import { defineRule } from "../rule.js";
import { describeInput, inputLocation } from "../where.js";

export default defineRule({
  id: "env/value-whitespace",
  family: "env",
  codes: {
    "env.value-whitespace": {
      severity: "warning",
      title: "Whitespace inside the URL",
      description:
        "The URL contains spaces, tabs or line breaks (a trailing space, a line continuation, a copy-paste). They end up in the host, database name or a parameter value.",
      hint: "Remove the whitespace, or percent-encode a space that belongs in a value as %20.",
    },
  },
  check({ env, input }, { report }) {
    const s = env?.shape;
    if (!s?.url) return;
    const kinds: string[] = [];
    if (s.whitespace.leading) kinds.push("leading whitespace");
    if (s.whitespace.trailing) kinds.push("trailing whitespace");
    if (s.whitespace.lineBreak) kinds.push("a line break");
    if (s.whitespace.inner) kinds.push("whitespace in the middle");
    if (kinds.length === 0) return;
    report(
      "env.value-whitespace",
      "value",
      `The URL in ${describeInput(input?.source)} contains ${kinds.join(" and ")}.`,
      {
        hint: "Remove the whitespace (check for a trailing space or a Windows line ending), or percent-encode a space that belongs in a value as %20.",
        ...inputLocation(input?.source),
      },
    );
  },
});
