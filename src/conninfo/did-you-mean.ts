// "Did you mean" for unknown keywords and invalid enum values. libpq matches both exactly (strcmp), so sslMode,
// ssl_mode and verify_full are typos it rejects; the suggestion is the exact spelling it accepts.

import type { LibpqMajor } from "../model/options.js";
import { levenshtein } from "../text/distance.js";
import { keywordsFor } from "./keywords.js";

const normalize = (s: string): string => s.toLowerCase().replace(/[-_\s]/g, "");

/** Spellings from other drivers and tools (JDBC, node-postgres, psycopg kwargs, DSN habits). */
const ALIASES: Record<string, string> = {
  ssl: "sslmode",
  usessl: "sslmode",
  sslenabled: "sslmode",
  database: "dbname",
  db: "dbname",
  databasename: "dbname",
  username: "user",
  usr: "user",
  login: "user",
  pass: "password",
  passwd: "password",
  pwd: "password",
  server: "host",
  hostname: "host",
  address: "hostaddr",
  sslca: "sslrootcert",
  ca: "sslrootcert",
  cafile: "sslrootcert",
  sslrootca: "sslrootcert",
  rootcert: "sslrootcert",
  sslcafile: "sslrootcert",
  sslcertfile: "sslcert",
  sslkeyfile: "sslkey",
  timeout: "connect_timeout",
  connectiontimeout: "connect_timeout",
  connecttimeoutseconds: "connect_timeout",
  appname: "application_name",
  application: "application_name",
  encoding: "client_encoding",
  clientencoding: "client_encoding",
  sslpass: "sslpassword",
  sslkeypassword: "sslpassword",
  minprotocolversion: "ssl_min_protocol_version",
  sslminversion: "ssl_min_protocol_version",
  sslmaxversion: "ssl_max_protocol_version",
};

/** The keyword the user most likely meant, among those this libpq major accepts; undefined when nothing is close. */
export function suggestKeyword(unknown: string, major: LibpqMajor): string | undefined {
  const keywords = keywordsFor(major);
  const norm = normalize(unknown);
  if (norm === "") return undefined;
  for (const k of keywords) if (normalize(k) === norm && k !== unknown) return k;
  const alias = ALIASES[norm];
  if (alias && keywords.has(alias)) return alias;
  let best: string | undefined;
  let bestDist = Number.POSITIVE_INFINITY;
  for (const k of keywords) {
    const d = levenshtein(norm, normalize(k));
    if (d < bestDist) {
      bestDist = d;
      best = k;
    }
  }
  // Two edits is a typo in a long keyword; in a short one it is a different word.
  const limit = norm.length <= 4 ? 1 : 2;
  return bestDist <= limit ? best : undefined;
}

/** Accepted values of libpq's enum options (as pqConnectOptions2 of that major checks them). */
export function enumValues(keyword: string, major: LibpqMajor): readonly string[] | undefined {
  switch (keyword) {
    case "sslmode":
      return ["disable", "allow", "prefer", "require", "verify-ca", "verify-full"];
    case "sslnegotiation":
      return ["postgres", "direct"];
    case "gssencmode":
    case "channel_binding":
      return ["disable", "prefer", "require"];
    case "sslcertmode":
      return ["disable", "allow", "require"];
    case "target_session_attrs":
      return major >= 14
        ? ["any", "read-write", "read-only", "primary", "standby", "prefer-standby"]
        : ["any", "read-write"];
    case "load_balance_hosts":
      return ["disable", "random"];
    case "ssl_min_protocol_version":
    case "ssl_max_protocol_version":
      return ["TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"];
    default:
      return undefined;
  }
}

/** What the user meant by an invalid enum value: `verify_full`, `VERIFY-FULL` -> `verify-full`; `true` -> `require`. */
export function suggestValue(keyword: string, value: string, major: LibpqMajor): string | undefined {
  const values = enumValues(keyword, major);
  if (!values) return undefined;
  const norm = normalize(value);
  for (const v of values) if (normalize(v) === norm) return v;
  if (keyword === "sslmode") {
    if (["true", "1", "on", "yes", "required"].includes(norm)) return "require";
    if (["false", "0", "off", "no", "disabled"].includes(norm)) return "disable";
    // node-postgres' non-standard sslmode=no-verify means "encrypt, do not verify".
    if (norm === "noverify") return "require";
    if (["verify", "full", "verifyfull", "strict"].includes(norm)) return "verify-full";
  }
  let best: string | undefined;
  let bestDist = Number.POSITIVE_INFINITY;
  for (const v of values) {
    const d = levenshtein(norm, normalize(v));
    if (d < bestDist) {
      bestDist = d;
      best = v;
    }
  }
  return bestDist <= 2 ? best : undefined;
}
