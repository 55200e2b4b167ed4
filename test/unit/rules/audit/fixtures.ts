// Shared facts for the audit family's rule tests.
import type { FileProblem, StoredSetting } from "../../../../src/audit/types.js";
import type { EffectiveParam } from "../../../../src/conninfo/types.js";

export const param = (value: string, source: EffectiveParam["source"] = "connstring"): EffectiveParam => ({
  value,
  source,
});

export const stored = (extra: Partial<StoredSetting> = {}): { audit: { setting: StoredSetting } } => ({
  audit: {
    setting: {
      file: "deploy/.env",
      line: 3,
      variable: "DATABASE_URL",
      source: "dotenv",
      base64: false,
      literalSecrets: [],
      effective: { host: param("db.internal"), sslmode: param("verify-full"), sslrootcert: param("/etc/ssl/ca.crt") },
      ...extra,
    },
  },
});

export const problems = (...list: FileProblem[]): { audit: { problems: FileProblem[] } } => ({
  audit: { problems: list },
});
