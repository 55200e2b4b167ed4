import { describe, expect, it } from "vitest";
import { dotenvValueColumn, extractDotenvText } from "../../../src/audit/extract/dotenv.js";
import { posOf } from "./helpers.js";

describe(".env extractor", () => {
  const text = [
    "# comment with postgresql://not:asetting@x/y",
    "SKILLFLAW_DATABASE_URL=postgresql://a:pw1234@db/app",
    'export DATABASE_URL="postgres://b@db2/app?sslmode=require"',
    "  REPORTS = 'host=r.internal dbname=rep sslmode=verify-full'",
    "PGSSLMODE=verify-ca",
    "OTHER=https://example.com",
    "REDIS_URL=redis://cache:6379",
    "PG_URL=postgresql+psycopg://c@db3/app",
  ].join("\n");
  const r = extractDotenvText(text, "app/.env");

  it("finds the named variables and every PostgreSQL URL or keyword/value value, not comments or other URLs", () => {
    expect(r.settings.map((s) => s.variable)).toEqual(["SKILLFLAW_DATABASE_URL", "DATABASE_URL", "REPORTS", "PG_URL"]);
  });

  it("points at the first character of each value (inside quotes)", () => {
    const at = (v: string) => r.settings.find((s) => s.variable === v);
    expect(at("SKILLFLAW_DATABASE_URL")).toMatchObject(posOf(text, "postgresql://a:"));
    expect(at("DATABASE_URL")).toMatchObject(posOf(text, "postgres://b@"));
    expect(at("REPORTS")).toMatchObject(posOf(text, "host=r.internal"));
    expect(at("PG_URL")).toMatchObject(posOf(text, "postgresql+psycopg"));
  });

  it("reads values as python-dotenv does and keeps the file's PG* variables as siblings", () => {
    const s = r.settings.find((x) => x.variable === "DATABASE_URL");
    expect(s?.value).toBe("postgres://b@db2/app?sslmode=require");
    expect(s?.siblings?.PGSSLMODE).toEqual({ value: "verify-ca", line: 5 });
  });

  it("keeps a reference to an undefined variable as written instead of inventing an empty password", () => {
    const e = extractDotenvText("DATABASE_URL=postgresql://u:${DB_PASSWORD}@db/app\n", ".env");
    expect(e.settings[0]?.value).toBe("postgresql://u:${DB_PASSWORD}@db/app");
    const defined = extractDotenvText("PW=s3cr3t\nDATABASE_URL=postgresql://u:${PW}@db/app\n", ".env");
    expect(defined.settings[0]?.value).toBe("postgresql://u:s3cr3t@db/app");
  });

  it("places embedded .env text with an offset (a ConfigMap block)", () => {
    const e = extractDotenvText("A=1\nDATABASE_URL=postgresql://x@y/z\n", "cm.yaml", "kubernetes-configmap", {
      line: 10,
      column: 4,
    });
    expect(e.settings[0]).toMatchObject({ line: 11, column: 18, source: "kubernetes-configmap" });
  });

  it("reports the statements python-dotenv skips, with their line", () => {
    const e = extractDotenvText("A=1\nB='unterminated\nDATABASE_URL=postgresql://x@y/z\n", ".env");
    expect(e.problems.length).toBeGreaterThan(0);
    expect(e.problems[0]).toMatchObject({ kind: "dotenv", line: 2 });
  });

  it("computes the value column after export, spaces and an opening quote", () => {
    expect(dotenvValueColumn("KEY=v")).toBe(5);
    expect(dotenvValueColumn('export KEY = "v"')).toBe(15);
    expect(dotenvValueColumn("KEY=")).toBe(5);
  });
});
