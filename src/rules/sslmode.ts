// Rules for the conninfo stage: libpq's parse and option errors, and what the effective sslmode does and does not
// protect. Facts in (the parse result, effective parameters, libpq's errors), findings out. Pure: file existence
// comes in as a function.

import { enumValues, suggestKeyword, suggestValue } from "../conninfo/did-you-mean.js";
import { keywordIntroducedIn, keywordRemovedIn } from "../conninfo/keywords.js";
import { redactQuotedValues, reportableMessage } from "../conninfo/libpq.js";
import {
  type ConninfoError,
  type ConninfoFormat,
  type EffectiveParam,
  MASK,
  SECRET_KEYWORDS,
} from "../conninfo/types.js";
import type { LibpqMajor } from "../model/options.js";
import { rootMissingMessage } from "../pki/libpq-messages.js";
import type { Finding } from "./registry.js";
import { finding } from "./registry.js";

export interface ConninfoRulesInput {
  /** What the string sets (libpq keywords, decoded). */
  params: Record<string, string>;
  /** params plus service file, environment and defaults, each with its source. */
  effective: Record<string, EffectiveParam>;
  /** libpq's parse error and option errors, in libpq's order. */
  errors: ConninfoError[];
  major: LibpqMajor;
  format: ConninfoFormat;
  /** Whether a file exists (for "a root CA file is present"); without it, the default-file detail is used. */
  fileExists?: (path: string) => boolean;
  /** The connection string as given; lets messages quoting a piece of it be redacted, and ssl=<value> be read. */
  raw?: string;
}

const MODE_RANK: Record<string, number> = {
  disable: 0,
  allow: 1,
  prefer: 2,
  require: 3,
  "verify-ca": 4,
  "verify-full": 5,
};

/** What each mode protects, after libpq's table (libpq-ssl.html, "Protection Provided in Different Modes"). */
const WEAK_MODE_TEXT: Record<string, string> = {
  disable:
    "sslmode=disable never uses SSL: the password exchange and every query cross the network unencrypted, with no protection against eavesdropping or a man in the middle",
  allow:
    "sslmode=allow tries an unencrypted connection first and uses SSL only if the server insists; the server is never authenticated, so there is no protection against a man in the middle and eavesdropping protection only by chance",
  prefer:
    "sslmode=prefer tries SSL but silently falls back to an unencrypted connection, and never checks who the server is: anyone in the middle can strip SSL or impersonate the server",
  require:
    "sslmode=require encrypts but does not check the server's certificate: it stops passive eavesdropping, not a man in the middle who presents his own certificate",
  "verify-ca":
    "sslmode=verify-ca checks that the server certificate comes from a trusted CA but not that it was issued for this host: any server holding a certificate from that CA can impersonate it",
};

function isSocketPath(host: string, major: LibpqMajor): boolean {
  return host.startsWith("/") || (major >= 14 && host.startsWith("@"));
}

interface Slot {
  host: string;
  hostaddr: string;
  socket: boolean;
}

function slots(values: Record<string, string | undefined>, major: LibpqMajor): Slot[] {
  const split = (v: string | undefined) => (v === undefined || v === "" ? [] : v.split(","));
  const hosts = split(values.host);
  const addrs = split(values.hostaddr);
  const n = addrs.length > 0 ? addrs.length : Math.max(hosts.length, 1);
  const out: Slot[] = [];
  for (let i = 0; i < n; i++) {
    const host = hosts[i] ?? "";
    const hostaddr = addrs[i] ?? "";
    out.push({ host, hostaddr, socket: hostaddr === "" && (host === "" || isSocketPath(host, major)) });
  }
  return out;
}

const explicit = (p: EffectiveParam | undefined): p is EffectiveParam => p !== undefined && p.source !== "default";

function describeSource(p: EffectiveParam): string {
  switch (p.source) {
    case "connstring":
      return "set in the connection string";
    case "service":
      return `from the service file${p.detail ? ` (${p.detail})` : ""}`;
    case "env":
      return `from the environment${p.detail ? ` (${p.detail})` : ""}`;
    case "application":
      return `added by the application${p.detail ? ` (${p.detail})` : ""}`;
    default:
      return "libpq's default";
  }
}

/** The value the user gave for `ssl` (URI ?ssl=1, keyword/value ssl=1), to turn it into an sslmode suggestion. */
function rawSslValue(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  const m = /(?:[?&]|^|\s)ssl\s*=\s*'?([^&\s']*)/.exec(raw);
  return m?.[1];
}

function sslSuggestion(value: string | undefined): string {
  const v = (value ?? "").toLowerCase();
  if (["false", "0", "off", "no", "disable"].includes(v))
    return "sslmode=disable (or, better, sslmode=verify-full to use SSL properly)";
  return "sslmode=require, or better sslmode=verify-full";
}

function parseHint(message: string, raw: string | undefined): string {
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
    if (raw !== undefined && /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(raw.trim()))
      return "libpq accepts only URIs starting with postgresql:// or postgres:// (lower case, nothing before them). A SQLAlchemy or JDBC URL must be converted: drop the +driver or the jdbc: prefix.";
    return "A keyword/value string is key=value pairs separated by spaces: quote a value holding spaces as key='a b'.";
  }
  return "Fix the syntax named in libpq's message.";
}

function errorFindings(input: ConninfoRulesInput): Finding[] {
  const out: Finding[] = [];
  const { major, raw } = input;
  const secrets = Object.entries(input.effective)
    .filter(([k]) => SECRET_KEYWORDS.has(k))
    .map(([, p]) => p.value)
    .filter((v) => v !== MASK);
  for (const e of input.errors) {
    const message = e.stage === "parse" ? reportableMessage(e) : redactQuotedValues(reportableMessage(e), raw, secrets);
    if (e.stage === "parse" && e.keyword !== undefined) {
      const kw = e.keyword;
      const since = keywordIntroducedIn(kw);
      const removed = keywordRemovedIn(kw);
      if (kw === "sslnegotiation" && major < 17) {
        out.push(
          finding(
            "sslmode.negotiation-too-old",
            kw,
            `libpq ${major} rejects sslnegotiation (${message}): direct TLS negotiation arrived in libpq 17.`,
          ),
        );
      } else if (since !== null && since > major) {
        out.push(
          finding(
            "conninfo.option-too-new",
            kw,
            `libpq ${major} does not know the parameter ${kw}, which was introduced in libpq ${since}: ${message}.`,
            {
              hint: `Upgrade the client's libpq to ${since} or later, or remove ${kw}.`,
              evidence: { keyword: kw, introducedIn: since, libpq: major },
            },
          ),
        );
      } else if (removed !== null && major >= removed) {
        out.push(
          finding("conninfo.unknown-option", kw, `${message}: ${kw} was removed in libpq ${removed}.`, {
            hint: `Remove ${kw}; it has had no effect for many releases.`,
          }),
        );
      } else if (kw === "ssl") {
        const value = rawSslValue(raw);
        const shown = value !== undefined ? `ssl=${value}` : "ssl";
        out.push(
          finding(
            "conninfo.unknown-option",
            kw,
            `${message}: libpq has no parameter ssl (only a URI's exact ?ssl=true is rewritten to sslmode=require), so ${shown} fails.`,
            { hint: `Did you mean ${sslSuggestion(value)}?`, evidence: { keyword: kw } },
          ),
        );
      } else {
        const suggestion = suggestKeyword(kw, major);
        out.push(
          finding("conninfo.unknown-option", kw, `${message}.`, {
            hint: suggestion
              ? `Did you mean ${suggestion}? libpq matches parameter names exactly.`
              : "Remove the parameter or use one of libpq's keywords (libpq-connect.html, Parameter Key Words).",
            evidence: suggestion ? { keyword: kw, suggestion } : { keyword: kw },
          }),
        );
      }
      continue;
    }
    if (e.stage === "parse") {
      out.push(finding("conninfo.parse-error", "connection string", `${message}.`, { hint: parseHint(message, raw) }));
      continue;
    }
    const kw = e.keyword;
    const isEnumError =
      kw !== undefined && enumValues(kw, major) !== undefined && /^invalid "?[a-z_]+"? value: /.test(e.message);
    if (isEnumError && kw !== undefined) {
      const value = input.effective[kw]?.value ?? "";
      const suggestion = suggestValue(kw, value, major);
      const allowed = (enumValues(kw, major) ?? []).join(", ");
      out.push(
        finding("conninfo.invalid-value", kw, `${message}.`, {
          hint: suggestion
            ? `Did you mean ${kw}=${suggestion}? libpq accepts exactly: ${allowed}.`
            : `libpq accepts exactly: ${allowed}.`,
          evidence: suggestion ? { keyword: kw, suggestion } : { keyword: kw },
        }),
      );
      continue;
    }
    out.push(
      finding("conninfo.option-error", kw ?? "connection string", `${message}.`, {
        hint: optionHint(e.message),
      }),
    );
  }
  return out;
}

function optionHint(message: string): string {
  if (message.startsWith("weak sslmode") && message.includes("sslrootcert=system"))
    return "With sslrootcert=system libpq insists on sslmode=verify-full (a public CA makes anything weaker meaningless); remove sslmode or set it to verify-full.";
  if (message.startsWith("weak sslmode") && message.includes("sslnegotiation=direct"))
    return "sslnegotiation=direct cannot fall back to plaintext: use sslmode=require, verify-ca or verify-full.";
  if (message.startsWith("could not match") && message.includes("port numbers"))
    return "Give one port for all hosts, or exactly one per host (host=a,b port=5432,5433).";
  if (message.startsWith("could not match"))
    return "Give exactly one host name per hostaddr (host=a,b hostaddr=10.0.0.1,10.0.0.2).";
  if (message.startsWith("invalid port number") || message.includes('"port"'))
    return "A port is a number from 1 to 65535.";
  if (message.includes("connect_timeout")) return "connect_timeout is a whole number of seconds, without a unit.";
  if (message.startsWith("invalid SSL protocol version range"))
    return "ssl_min_protocol_version must not be above ssl_max_protocol_version (the minimum defaults to TLSv1.2).";
  if (message.includes("require_auth"))
    return "require_auth is a comma list of password, md5, gss, sspi, scram-sha-256, none, either all plain or all negated with !.";
  return "Change the parameters named in the message.";
}

/** The sslmode libpq will use, or null when it is invalid (an option error already says so). */
function effectiveMode(input: ConninfoRulesInput): { mode: string; param: EffectiveParam | undefined } | null {
  const p = input.effective.sslmode;
  if (p !== undefined) return MODE_RANK[p.value] !== undefined ? { mode: p.value, param: p } : null;
  const system = input.effective.sslrootcert?.value === "system" && input.major >= 16;
  return { mode: system ? "verify-full" : "prefer", param: undefined };
}

function rootPresent(input: ConninfoRulesInput): { path: string; present: boolean | null } | null {
  const p = input.effective.sslrootcert;
  if (p === undefined || p.value === "" || p.value === "system") return null;
  if (input.fileExists) return { path: p.value, present: input.fileExists(p.value) };
  if (p.detail?.includes("it exists")) return { path: p.value, present: true };
  if (p.detail?.includes("does not exist")) return { path: p.value, present: false };
  return { path: p.value, present: null };
}

function sslmodeFindings(input: ConninfoRulesInput): Finding[] {
  const out: Finding[] = [];
  const { major, effective } = input;
  const m = effectiveMode(input);
  if (m === null) return out;
  const { mode, param } = m;
  const modeExplicit = explicit(param);
  const values: Record<string, string | undefined> = {};
  for (const [k, p] of Object.entries(effective)) values[k] = p.value;
  const all = slots(values, major);
  const tcp = all.filter((s) => !s.socket);
  const sockets = all.filter((s) => s.socket);
  const hostLabel = (s: Slot) => s.host || s.hostaddr || "(default socket)";

  // SSL over Unix sockets: libpq forces plaintext there (init_allowed_encryption_methods).
  if (sockets.length > 0 && tcp.length === 0) {
    const sslFiles = ["sslrootcert", "sslcert", "sslkey"].filter((k) => explicit(effective[k]));
    if ((modeExplicit && mode !== "disable") || sslFiles.length > 0) {
      const what = modeExplicit ? `sslmode=${mode}` : sslFiles.join(", ");
      out.push(
        finding(
          "sslmode.unix-socket",
          "host",
          `${sockets.map(hostLabel).join(", ")} is a Unix-domain socket: libpq never uses SSL there, so ${what} has no effect.`,
        ),
      );
    }
    return out;
  }

  if (!modeExplicit && mode === "prefer") {
    out.push(
      finding(
        "sslmode.default-prefer",
        "sslmode",
        "No sslmode is set, so libpq uses prefer: it tries SSL without checking the server's certificate and silently falls back to an unencrypted connection when SSL fails.",
        {
          hint:
            major >= 16
              ? "Set sslmode=verify-full and sslrootcert=<your CA file> (or sslrootcert=system for a server with a publicly trusted certificate)."
              : "Set sslmode=verify-full and sslrootcert=<your CA file>.",
        },
      ),
    );
  } else if (modeExplicit && param !== undefined && (MODE_RANK[mode] ?? 5) < 5) {
    const root = rootPresent(input);
    const chainNote =
      (mode === "prefer" || mode === "allow") && root?.present
        ? ` A root CA file is present (${root.path}), so the chain is checked when SSL is used, but a failed check silently falls back to plaintext.`
        : "";
    out.push(
      finding(
        "sslmode.weak",
        "sslmode",
        `${WEAK_MODE_TEXT[mode]} (sslmode=${mode}, ${describeSource(param)}).${chainNote}`,
        {
          hint:
            mode === "verify-ca"
              ? "Use sslmode=verify-full so that the host name is checked against the certificate too."
              : "Use sslmode=verify-full with sslrootcert=<the CA that signed the server certificate>.",
          evidence: { sslmode: mode, source: param.source },
        },
      ),
    );
  }

  if (mode === "require") {
    const root = rootPresent(input);
    if (root?.present)
      out.push(
        finding(
          "sslmode.require-with-root",
          "sslmode",
          `A root CA file is present (${root.path}), so under sslmode=require libpq verifies the server's certificate chain exactly as under verify-ca (but not the host name); without that file the same setting verifies nothing.`,
        ),
      );
  }

  if (mode === "disable") {
    const ignored = ["sslrootcert", "sslcert", "sslkey", "sslcrl", "sslcrldir", "sslpassword"].filter((k) =>
      explicit(effective[k]),
    );
    if (ignored.length > 0)
      out.push(
        finding(
          "sslmode.files-ignored",
          ignored.join(", "),
          `sslmode=disable never starts SSL, so ${ignored.join(", ")} ${ignored.length === 1 ? "is" : "are"} ignored.`,
          {
            hint: "Set sslmode=verify-full if these files are meant to be used (a client certificate needs SSL too), or remove them.",
          },
        ),
      );
  }

  if (effective.sslrootcert?.value === "system" && major < 16) {
    const consequence =
      MODE_RANK[mode] !== undefined && (MODE_RANK[mode] as number) >= 4
        ? `the connection fails: ${rootMissingMessage("system", major).split("\n")[0]}`
        : `nothing is verified under sslmode=${mode}`;
    out.push(
      finding(
        "sslmode.system-root-too-old",
        "sslrootcert",
        `libpq ${major} has no sslrootcert=system (added in libpq 16): it looks for a file named "system", so ${consequence}.`,
      ),
    );
  }

  const negotiation = effective.sslnegotiation;
  if (negotiation !== undefined && negotiation.source !== "default" && major < 17)
    out.push(
      finding(
        "sslmode.negotiation-too-old",
        "sslnegotiation",
        `sslnegotiation=${negotiation.value} (${describeSource(negotiation)}) needs libpq 17; libpq ${major} ${negotiation.source === "env" ? "ignores PGSSLNEGOTIATION" : "rejects it"}.`,
      ),
    );

  if (mode === "verify-full") {
    const bare = tcp.filter((s) => s.hostaddr !== "" && s.host === "");
    if (bare.length > 0)
      out.push(
        finding(
          "sslmode.hostaddr-without-host",
          "hostaddr",
          `hostaddr=${bare.map((s) => s.hostaddr).join(",")} has no host name next to it; libpq checks the certificate against host, so verify-full fails with "host name must be specified for a verified SSL connection".`,
          {
            hint: `Add host=<the name in the server certificate>, e.g. host=db.example.com hostaddr=${bare[0]?.hostaddr}.`,
          },
        ),
      );
  }

  if (mode === "verify-ca" || mode === "verify-full") {
    if (sockets.length > 0) {
      out.push(
        finding(
          "sslmode.empty-host-verify",
          "host",
          `The host list has ${sockets.length === 1 ? "an empty entry" : `${sockets.length} empty entries`} (or a socket path) next to TCP hosts: libpq uses the Unix-domain socket there, without SSL or any certificate check, despite sslmode=${mode}.`,
        ),
      );
    }
    const root = rootPresent(input);
    if (root && root.present === false)
      out.push(
        finding(
          "sslmode.root-missing",
          "sslrootcert",
          `libpq fails before the handshake: ${rootMissingMessage(root.path, major).replace("\n", ". ")}`,
          {
            evidence: { path: root.path, source: effective.sslrootcert?.source ?? "default" },
          },
        ),
      );
  }
  return out;
}

/** Findings of the conninfo stage: libpq's errors first, then (when the string parsed) the sslmode judgment. */
export function conninfoRules(input: ConninfoRulesInput): Finding[] {
  const out = errorFindings(input);
  if (!input.errors.some((e) => e.stage === "parse")) out.push(...sslmodeFindings(input));
  return out;
}
