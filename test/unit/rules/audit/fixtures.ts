// Shared facts for the audit family's rule tests.
import type { AppInstance, FileProblem, StoredSecret, StoredSetting, TreeServer } from "../../../../src/audit/types.js";
import type { EffectiveParam } from "../../../../src/conninfo/types.js";

export const param = (value: string, source: EffectiveParam["source"] = "connstring"): EffectiveParam => ({
  value,
  source,
});

/** A .env setting to a remote host with verify-full and a CA that exists: nothing to say unless changed. */
export const setting = (extra: Partial<StoredSetting> = {}): StoredSetting => ({
  id: 0,
  file: "deploy/.env",
  line: 3,
  column: 14,
  variable: "DATABASE_URL",
  source: "dotenv",
  base64: false,
  form: "string",
  client: "libpq",
  hosts: [{ host: "db.internal", reach: "remote" }],
  reach: "remote",
  example: false,
  ci: false,
  placeholders: {},
  notes: {},
  secrets: [],
  files: [{ param: "sslrootcert", path: "/etc/ssl/ca.crt", exists: true }],
  parts: {},
  effective: { host: param("db.internal"), sslmode: param("verify-full"), sslrootcert: param("/etc/ssl/ca.crt") },
  ...extra,
});

export const stored = (extra: Partial<StoredSetting> = {}): { audit: { setting: StoredSetting } } => ({
  audit: { setting: setting(extra) },
});

export const secret = (extra: Partial<StoredSecret> = {}): StoredSecret => ({
  field: "password",
  location: { file: "deploy/.env", line: 3, column: 14 },
  dummy: null,
  ...extra,
});

export const problems = (...list: FileProblem[]): { audit: { problems: FileProblem[] } } => ({
  audit: { problems: list },
});

export const instance = (extra: Partial<AppInstance> = {}): AppInstance => ({
  label: "deploy/a.env",
  file: "deploy/a.env",
  line: 1,
  column: 1,
  setting: 0,
  prefix: "SKILLFLAW_",
  host: "dir:deploy",
  database: "db.internal:5432/skillflaw",
  sslmode: "verify-full",
  sslrootcert: "/etc/skillflaw/ca.pem",
  ports: [{ value: "7860", explicit: false, line: 1, column: 24 }],
  configDir: { value: "~/.cache/skillflaw", explicit: false, line: 1, column: 24 },
  ...extra,
});

export const tree = (
  instances: AppInstance[],
  servers: TreeServer[] = [],
): { audit: { tree: { instances: AppInstance[]; servers: TreeServer[] } } } => ({
  audit: { tree: { instances, servers } },
});
