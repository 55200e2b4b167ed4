// Rules about the .env files and environment variables around the connection string.
import type { PassfileFacts } from "../conninfo/effective.js";
import type { EffectiveParam } from "../conninfo/types.js";
import type { SourceLocation } from "../model/finding.js";
import type { ResolvedInput } from "../resolve/index.js";
import type { Finding } from "./registry.js";
import { finding } from "./registry.js";

export interface EnvRuleInput {
  resolved: ResolvedInput;
  /** The process environment. */
  env: NodeJS.ProcessEnv;
  /** The environment libpq sees: the process environment with the env files loaded over it. */
  libpqEnv: Record<string, string | undefined>;
  /** The raw connection string (never copied into a message). */
  value: string;
  style: "sqlalchemy" | "libpq";
  /** Masked effective parameters. */
  effective: Record<string, EffectiveParam>;
  passfile?: PassfileFacts;
  driverSettings?: { ok: boolean };
}

const SSL_SERVER_VARS = ["SKILLFLAW_SSL_CERT_FILE", "SKILLFLAW_SSL_KEY_FILE"] as const;
const DB_TLS_NAME = /(^|\/)(root|ca|client|postgresql|server|pg|postgres|db|database)[-_.\w]*\.(crt|key|pem|cer)$/i;

function sourceOf(input: EnvRuleInput, variable: string): { where: string; location?: SourceLocation } {
  const e = input.resolved.fileVars[variable];
  if (e) return { where: `${e.file}:${e.line}`, location: { file: e.file, line: e.line } };
  return { where: "the environment" };
}

function inputLocation(r: ResolvedInput): { location?: SourceLocation } {
  return r.source.kind === "env-file" ? { location: { file: r.source.file, line: r.source.line } } : {};
}

function describeInput(r: ResolvedInput): string {
  const s = r.source;
  if (s.kind === "env-file") return `${s.variable} (${s.file}:${s.line})`;
  if (s.kind === "env") return `${s.variable} in the environment`;
  return "the connection string";
}

function valueShape(input: EnvRuleInput, out: Finding[]): void {
  const v = input.value;
  const loc = inputLocation(input.resolved);
  const what = describeInput(input.resolved);
  const first = v.trimStart()[0];
  const last = v.trimEnd().at(-1);
  const isQuote = (c: string | undefined): c is string => c === '"' || c === "'" || c === "`";
  // A keyword/value string may legitimately end with a quoted value; a URL never starts or ends with a quote.
  const quotes = [first, /:\/\//.test(v) || isQuote(first) ? last : undefined].filter(isQuote);
  if (quotes.length > 0) {
    const at = first === quotes[0] ? (quotes.length === 2 ? "starts and ends" : "starts") : "ends";
    out.push(
      finding(
        "env.value-quoted",
        "value",
        `The value of ${what} ${at} with a literal ${quotes[0]} character, so the quotes are part of the connection string${input.style === "sqlalchemy" ? " and SQLAlchemy cannot parse it" : ""}.`,
        {
          hint: "Remove the inner quotes: write VAR=postgresql://... (a .env file may quote the whole value once; docker-compose list syntax must not add a second pair).",
          ...loc,
        },
      ),
    );
  }
  if (/:\/\//.test(v) && /\s/.test(v)) {
    const kinds: string[] = [];
    if (/^\s/.test(v)) kinds.push("leading whitespace");
    if (/\s$/.test(v)) kinds.push("trailing whitespace");
    if (/[\r\n]/.test(v)) kinds.push("a line break");
    if (/\S\s+\S/.test(v.trim())) kinds.push("whitespace in the middle");
    out.push(
      finding("env.value-whitespace", "value", `The URL in ${what} contains ${kinds.join(" and ")}.`, {
        hint: "Remove the whitespace (check for a trailing space or a Windows line ending), or percent-encode a space that belongs in a value as %20.",
        ...loc,
      }),
    );
  }
}

function emptyVariables(input: EnvRuleInput, out: Finding[]): void {
  for (const [k, v] of Object.entries(input.libpqEnv)) {
    if (v !== "" || !/^PG[A-Z_]+$/.test(k)) continue;
    const { where, location } = sourceOf(input, k);
    out.push(
      finding(
        "env.empty-value",
        k,
        `${k} is set to an empty string (${where}); libpq uses "" as the value instead of its default.`,
        { hint: `Remove ${k} or give it a value.`, ...(location ? { location } : {}) },
      ),
    );
  }
}

function sslServerVars(input: EnvRuleInput, out: Finding[]): void {
  const dbFiles = ["sslrootcert", "sslcert", "sslkey"]
    .map((k) => input.effective[k])
    .filter((p): p is EffectiveParam => p !== undefined && p.source !== "default")
    .map((p) => p.value);
  const urlHasSsl = Object.entries(input.effective).some(
    ([k, p]) => k.startsWith("ssl") && (p.source === "connstring" || p.source === "application"),
  );
  for (const name of SSL_SERVER_VARS) {
    const v = input.libpqEnv[name];
    if (v === undefined || v === "") continue;
    const { where, location } = sourceOf(input, name);
    const sameFile = dbFiles.includes(v);
    if (!sameFile && urlHasSsl && !DB_TLS_NAME.test(v)) continue;
    const why = sameFile
      ? `it names the same file as the database connection's TLS settings (${v})`
      : DB_TLS_NAME.test(v)
        ? `it names ${v}, which looks like a database client certificate, key or CA`
        : "the URL itself sets no TLS parameters, as if this variable were meant to configure them";
    out.push(
      finding(
        "env.ssl-cert-file-confusion",
        name,
        `${name} is set (${where}) and ${why}; it only enables HTTPS on SkillFlaw's own web server and never reaches the database driver.`,
        {
          hint: "Configure TLS to PostgreSQL in the URL: ?sslmode=verify-full&sslrootcert=/path/ca.crt (plus &sslcert=...&sslkey=... for a client certificate); keep SKILLFLAW_SSL_* for the web server's own certificate.",
          ...(location ? { location } : {}),
        },
      ),
    );
  }
}

function resolveRules(input: EnvRuleInput, out: Finding[]): void {
  const r = input.resolved;
  const wanted = r.variable;
  if (wanted !== undefined && (r.source.kind === "env" || r.source.kind === "env-file")) {
    const got = r.source.variable;
    if (got !== wanted && got.replace(/^\ufeff/, "") !== wanted) {
      out.push(
        finding(
          "env.lowercase-variable",
          got,
          `The connection string is in ${got}, not ${wanted}: SkillFlaw's validator reads ${wanted} with exact case, so on Linux it ignores this value and silently uses its SQLite database.`,
          { hint: `Rename ${got} to ${wanted}.`, ...inputLocation(r) },
        ),
      );
    }
  }
  for (const p of r.problems ?? []) {
    out.push(finding("env.dotenv-problem", p.file, p.message, { location: { file: p.file, line: p.line } }));
  }
  for (const b of r.bareKeys ?? []) {
    if (b.key !== wanted) continue;
    out.push(
      finding(
        "env.dotenv-problem",
        b.file,
        `${b.key} on line ${b.line} has no '=': python-dotenv reads it as unset and load_dotenv() does not set it.`,
        { hint: `Write ${b.key}=VALUE.`, location: { file: b.file, line: b.line } },
      ),
    );
  }
  const inputVariable = r.source.kind === "env-file" || r.source.kind === "env" ? r.source.variable : wanted;
  const cut = Object.entries(r.fileVars).filter(
    ([k, e]) => e.commentCut && (k === inputVariable || /^PG[A-Z_]+$/.test(k)),
  );
  for (const [k, e] of cut) {
    out.push(
      finding(
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
      ),
    );
  }
  if (r.dotenvDisabled !== undefined) {
    out.push(
      finding(
        "env.dotenv-disabled",
        "PYTHON_DOTENV_DISABLED",
        `PYTHON_DOTENV_DISABLED=${r.dotenvDisabled} makes load_dotenv() skip the env files, so SkillFlaw would not see their values; dbdoctor ignored them too.`,
      ),
    );
  }
}

function passfileRules(input: EnvRuleInput, out: Finding[]): void {
  const pf = input.passfile;
  if (!pf) return;
  const bad = pf.perHost.find((h) => h.result.status === "insecure" || h.result.status === "not-regular");
  if (!bad) return;
  const msg =
    bad.result.status === "insecure"
      ? `libpq ignores the password file ${pf.path}: its mode 0${bad.result.mode.toString(8).padStart(3, "0")} gives group or world access ("WARNING: password file \\"${pf.path}\\" has group or world access; permissions should be u=rw (0600) or less").`
      : `libpq ignores the password file ${pf.path}: it is not a plain file.`;
  out.push(finding("env.passfile-ignored", pf.path, msg, { hint: `chmod 0600 ${pf.path}` }));
}

function driverSettings(input: EnvRuleInput, out: Finding[]): void {
  const ds = input.driverSettings;
  if (!ds) return;
  const name = "SKILLFLAW_DB_DRIVER_CONNECTION_SETTINGS";
  const { where, location } = sourceOf(input, name);
  const loc = location ? { location } : {};
  if (!ds.ok) {
    out.push(
      finding(
        "env.driver-settings-invalid",
        name,
        `${name} (${where}) is not a JSON object; pydantic stops SkillFlaw at start-up with "Input should be a valid dictionary".`,
        loc,
      ),
    );
  } else if (input.effective.options?.source !== "application" || !/timezone=utc/.test(input.effective.options.value)) {
    out.push(
      finding(
        "env.driver-settings-replace",
        name,
        `${name} (${where}) replaces SkillFlaw's connect_args, so its default options "-c timezone=utc" is not sent.`,
        loc,
      ),
    );
  }
}

export function envRules(input: EnvRuleInput): Finding[] {
  const out: Finding[] = [];
  resolveRules(input, out);
  valueShape(input, out);
  emptyVariables(input, out);
  sslServerVars(input, out);
  passfileRules(input, out);
  driverSettings(input, out);
  return out;
}
