import type { CodeSpec } from "../rule.js";

/** Findings about .env files and environment variables. */
export const ENV_FINDINGS = {
  "env.value-quoted": {
    severity: "error",
    title: "Quote characters inside the value",
    description:
      "The value itself starts or ends with a quote character, typically from docker-compose list syntax (- \"VAR='...'\") or from quoting twice in a .env file. The quotes become part of the URL and SQLAlchemy cannot parse it.",
    hint: "Remove the inner quotes: VAR=postgresql://... in .env, or - VAR=postgresql://... in docker-compose.",
  },
  "env.value-whitespace": {
    severity: "warning",
    title: "Whitespace inside the URL",
    description:
      "The URL contains spaces, tabs or line breaks (a trailing space, a line continuation, a copy-paste). They end up in the host, database name or a parameter value.",
    hint: "Remove the whitespace, or percent-encode a space that belongs in a value as %20.",
  },
  "env.empty-value": {
    severity: "warning",
    title: "Variable set to an empty string",
    description:
      'An empty variable is still set: python-dotenv sets KEY= to "" (overriding the shell), and libpq takes an empty PG* variable as the value "" rather than falling back to its default.',
    hint: "Delete the line, or give the variable a value.",
  },
  "env.ssl-cert-file-confusion": {
    severity: "warning",
    title: "SKILLFLAW_SSL_CERT_FILE / SKILLFLAW_SSL_KEY_FILE used for the database",
    description:
      "SKILLFLAW_SSL_CERT_FILE and SKILLFLAW_SSL_KEY_FILE enable HTTPS on SkillFlaw's own web server; they are never given to the database driver. TLS to PostgreSQL is configured only in the URL's query (sslmode, sslrootcert, sslcert, sslkey).",
    hint: "Put the database's files in the URL: ?sslmode=verify-full&sslrootcert=/path/ca.crt (&sslcert=...&sslkey=... for a client certificate).",
  },
  "env.lowercase-variable": {
    severity: "error",
    title: "Variable name in the wrong case",
    description:
      "pydantic matches SkillFlaw's variables case-insensitively, but the database_url validator reads os.getenv('SKILLFLAW_DATABASE_URL') with exact case, so on Linux a differently-cased name is replaced by the SQLite default.",
    hint: "Rename the variable to exactly SKILLFLAW_DATABASE_URL.",
  },
  "env.dotenv-problem": {
    severity: "warning",
    title: "Line python-dotenv cannot parse",
    description:
      'python-dotenv logs "could not parse statement starting at line N" and skips the statement, so the variable on that line is not set.',
    hint: "Write the line as KEY=value, quoting a value that holds spaces, quotes or ' #'.",
  },
  "env.comment-truncated": {
    severity: "warning",
    title: "Unquoted value cut at ' #'",
    description:
      "In an unquoted .env value, python-dotenv treats whitespace followed by '#' as the start of a comment and drops the rest of the line.",
    hint: "Quote the value with single quotes, or percent-encode the '#' as %23.",
  },
  "env.dotenv-disabled": {
    severity: "warning",
    title: "PYTHON_DOTENV_DISABLED is set",
    description:
      "With PYTHON_DOTENV_DISABLED set to a true value, load_dotenv() returns without reading anything, so SkillFlaw ignores --env-file.",
    hint: "Unset PYTHON_DOTENV_DISABLED in SkillFlaw's environment, or set the variables in the environment itself.",
  },
  "env.passfile-ignored": {
    severity: "warning",
    title: "Password file ignored by libpq",
    description:
      'libpq ignores a password file that is group or world accessible (it prints "WARNING: password file ... has group or world access; permissions should be u=rw (0600) or less") or that is not a plain file.',
    hint: "chmod 0600 the password file.",
  },
  "env.driver-settings-invalid": {
    severity: "error",
    title: "SKILLFLAW_DB_DRIVER_CONNECTION_SETTINGS is not a JSON object",
    description:
      'pydantic reads SKILLFLAW_DB_DRIVER_CONNECTION_SETTINGS as a JSON dictionary; anything else stops start-up with "Input should be a valid dictionary".',
    hint: 'Give it a JSON object, e.g. {"options": "-c timezone=utc"}, or unset it.',
  },
  "env.driver-settings-replace": {
    severity: "info",
    title: "Driver connection settings replace SkillFlaw's defaults",
    description:
      "SKILLFLAW_DB_DRIVER_CONNECTION_SETTINGS replaces connect_args as a whole, so SkillFlaw's default {'options': '-c timezone=utc'} is not sent unless it is repeated there.",
    hint: 'Include "options": "-c timezone=utc" in the JSON object.',
  },
} satisfies Record<string, CodeSpec>;
