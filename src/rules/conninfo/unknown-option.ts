// A parameter name the modelled libpq does not know: a typo or another driver's spelling (with the closest
// keyword), a keyword removed long ago, `ssl` (only a URI's exact ?ssl=true is rewritten), or one that only a newer
// libpq knows. sslnegotiation before 17 is negotiation-too-old's.
import { defineRule } from "../rule.js";

function sslSuggestion(value: string | undefined): string {
  const v = (value ?? "").toLowerCase();
  if (["false", "0", "off", "no", "disable"].includes(v))
    return "sslmode=disable (or, better, sslmode=verify-full to use SSL properly)";
  return "sslmode=require, or better sslmode=verify-full";
}

export default defineRule({
  id: "conninfo/unknown-option",
  family: "conninfo",
  codes: {
    "conninfo.unknown-option": {
      severity: "error",
      title: "Unknown connection parameter",
      description:
        "libpq matches parameter names exactly and refuses any it does not know (`invalid connection option`, `invalid URI query parameter`). Spellings from other drivers (sslMode, ssl_mode, ssl=1, uselibpqcompat) fail here.",
      hint: "Use libpq's exact keyword; the message suggests the closest one.",
    },
    "conninfo.option-too-new": {
      severity: "error",
      title: "Parameter unknown to this libpq version",
      description:
        "The parameter exists, but only in a newer libpq than the one modelled (--libpq). The client's libpq, not the server's version, decides: an older libpq rejects the whole string.",
      hint: "Upgrade the client's libpq (psql --version, psycopg.pq.version()) or drop the parameter.",
    },
  },
  check({ conninfo }, { report }) {
    if (!conninfo) return;
    const major = conninfo.major;
    for (const e of conninfo.errors) {
      const kw = e.keyword;
      if (e.stage !== "parse" || kw === undefined) continue;
      if (kw === "sslnegotiation" && major < 17) continue;
      const k = e.unknownKeyword ?? { introducedIn: null, removedIn: null, closest: null };
      if (k.introducedIn !== null && k.introducedIn > major) {
        report(
          "conninfo.option-too-new",
          kw,
          `libpq ${major} does not know the parameter ${kw}, which was introduced in libpq ${k.introducedIn}: ${e.message}.`,
          {
            hint: `Upgrade the client's libpq to ${k.introducedIn} or later, or remove ${kw}.`,
            evidence: { keyword: kw, introducedIn: k.introducedIn, libpq: major },
          },
        );
      } else if (k.removedIn !== null && major >= k.removedIn) {
        report("conninfo.unknown-option", kw, `${e.message}: ${kw} was removed in libpq ${k.removedIn}.`, {
          hint: `Remove ${kw}; it has had no effect for many releases.`,
        });
      } else if (kw === "ssl") {
        const shown = k.given !== undefined ? `ssl=${k.given}` : "ssl";
        report(
          "conninfo.unknown-option",
          kw,
          `${e.message}: libpq has no parameter ssl (only a URI's exact ?ssl=true is rewritten to sslmode=require), so ${shown} fails.`,
          { hint: `Did you mean ${sslSuggestion(k.given)}?`, evidence: { keyword: kw } },
        );
      } else {
        report("conninfo.unknown-option", kw, `${e.message}.`, {
          hint: k.closest
            ? `Did you mean ${k.closest}? libpq matches parameter names exactly.`
            : "Remove the parameter or use one of libpq's keywords (libpq-connect.html, Parameter Key Words).",
          evidence: k.closest ? { keyword: kw, suggestion: k.closest } : { keyword: kw },
        });
      }
    }
  },
});
