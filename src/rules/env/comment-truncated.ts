// python-dotenv ends an unquoted value at whitespace followed by '#', and a quote inside a quoted value can close it
// early; either way the rest is dropped as a comment. It matters for the connection string and libpq's PG*.
import { defineRule } from "../rule.js";

export default defineRule({
  id: "env/comment-truncated",
  family: "env",
  codes: {
    "env.comment-truncated": {
      severity: "warning",
      title: "Unquoted value cut at ' #'",
      description:
        "In an unquoted .env value, python-dotenv treats whitespace followed by '#' as the start of a comment and drops the rest of the line.",
      hint: "Quote the value with single quotes, or percent-encode the '#' as %23.",
    },
  },
  check({ input }, { report }) {
    if (!input) return;
    const src = input.source;
    const inputVariable = src.kind === "env-file" || src.kind === "env" ? src.variable : input.variable;
    for (const e of input.commentCut) {
      if (e.variable !== inputVariable && !/^PG[A-Z_]+$/.test(e.variable)) continue;
      const k = e.variable;
      report(
        "env.comment-truncated",
        k,
        e.quote === "none"
          ? `python-dotenv cut the unquoted value of ${k} at a whitespace followed by '#' (${e.file}:${e.line}); everything after it was dropped as a comment, so dbdoctor masks the rest of the value in case it holds part of the password.`
          : `The quoted value of ${k} (${e.file}:${e.line}) is followed directly by '#': a quote inside the value most likely closed it early and python-dotenv dropped the rest as a comment; dbdoctor masks the value in case it holds part of the password.`,
        {
          location: { file: e.file, line: e.line },
          ...(e.quote === "none"
            ? {}
            : {
                hint: "Use the other kind of quotes around the value, or percent-encode the quote inside it (' as %27, \" as %22).",
              }),
        },
      );
    }
  },
});
