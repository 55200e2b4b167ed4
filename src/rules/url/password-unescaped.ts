// An '@', ':', '/', '?' or '#' left unescaped in the user-info makes SQLAlchemy and libpq split the URL elsewhere
// than the writer meant; the stage measured what each parser read instead.
import { MASK, type UserinfoMisreading } from "../../conninfo/types.js";
import type { SettingFix } from "../../model/finding.js";
import type { InputSource } from "../../model/input.js";
import { defineRule } from "../rule.js";
import { inputLocation } from "../where.js";

const ENCODED: Readonly<Record<string, string>> = { "@": "%40", ":": "%3A", "/": "%2F", "?": "%3F", "#": "%23" };
const PARSER_NAME = { sqlalchemy: "SQLAlchemy", libpq: "libpq" } as const;

/** "host "********@db" instead of "db"" for each field a parser got wrong. */
function differences(m: UserinfoMisreading): string {
  if (!m.parsed) return "a string it cannot parse at all";
  const show = (v: string | null) => (v === null ? "nothing" : `"${v}"`);
  const parts = m.fields.map((f) => `${f.field} ${show(f.read)} instead of ${show(f.meant)}`);
  if (m.passwordDiffers) parts.push("a different (truncated) password");
  return parts.join(", ");
}

/** The corrected value as the user writes it: the whole .env line, or the string itself (password still masked). */
function settingFix(source: InputSource | undefined, value: string): SettingFix {
  if (source?.kind === "env-file" || source?.kind === "env")
    return { setting: source.variable, value: `${source.variable}=${value}`, verified: false };
  return { setting: "connection string", value, verified: false };
}

export default defineRule({
  id: "url/password-unescaped",
  family: "url",
  codes: {
    "url.password-unescaped": {
      severity: "error",
      title: "Unescaped reserved character in the user or password",
      description:
        "An '@', ':', '/', '?' or '#' left unescaped in the user name or password makes libpq and SQLAlchemy split the URL somewhere else: SQLAlchemy's password ends at the first '@', so the rest becomes part of the host; libpq's user-info ends at the first '@' or '/'.",
      hint: "Percent-encode the user name and password (Python: urllib.parse.quote(password, safe='')).",
    },
  },
  check({ url, input }, { report }) {
    const u = url?.userinfo;
    if (!u || u.misreadings.length === 0) return;
    const chars = [...new Set([...u.passwordChars, ...u.userChars])];
    const where =
      u.userChars.length && u.passwordChars.length
        ? "user name and password contain"
        : u.userChars.length
          ? "user name contains"
          : "password contains";
    const readings = u.misreadings.map((m) => `${PARSER_NAME[m.parser]} reads ${differences(m)}`);
    const encodings = chars.map((c) => `'${c}' as ${ENCODED[c]}`).join(", ");
    report(
      "url.password-unescaped",
      "password",
      `The ${where} unescaped ${chars.map((c) => `'${c}'`).join(", ")}: ${readings.join("; ")}.`,
      {
        hint: `Percent-encode ${encodings} (Python: urllib.parse.quote(password, safe='')) and write the URL as ${u.template} with the encoded password in place of ${MASK}.`,
        evidence: { characters: chars },
        fix: settingFix(input?.source, u.template),
        ...inputLocation(input?.source),
      },
    );
  },
});
