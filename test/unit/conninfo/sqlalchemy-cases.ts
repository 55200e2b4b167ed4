// The SQLAlchemy fixture cases and a helper that analyses a URL the way SkillFlaw receives it.
import { readFileSync } from "node:fs";
import { analyzeConninfo } from "../../../src/conninfo/analyze.js";
import type { ResolvedInput } from "../../../src/resolve/index.js";

export interface SqlaCase {
  name: string;
  url: string;
  expect: {
    host?: string;
    port?: number;
    username?: string;
    database?: string;
    passwordRead?: string;
    sqlalchemyError?: "port" | "unparseable";
    dialectError?: string;
    argsError?: string;
    conninfo?: string;
    libpq?: string;
    codes?: string[];
  };
}

export const CASES = JSON.parse(
  readFileSync(new URL("../../../fixtures/sqlalchemy/urls.json", import.meta.url), "utf8"),
) as SqlaCase[];

export function analyzeAsSkillflaw(url: string) {
  const input: ResolvedInput = {
    value: url,
    source: { kind: "env", variable: "SKILLFLAW_DATABASE_URL" },
    lookedAt: [],
    fileVars: {},
    variable: "SKILLFLAW_DATABASE_URL",
  };
  return analyzeConninfo(input, {
    urlStyle: "auto",
    libpq: 17,
    env: { SKILLFLAW_DATABASE_URL: url },
    home: "/nonexistent-home",
    cwd: "/",
    osUser: "tester",
    fileExists: () => false,
    readFile: () => null,
  });
}
