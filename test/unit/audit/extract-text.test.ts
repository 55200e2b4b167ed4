import { describe, expect, it } from "vitest";
import { findUrlsInLine, isConnectionSetting, isKeywordValue } from "../../../src/audit/detect.js";
import { extractTextUrls } from "../../../src/audit/extract/text.js";

describe("plain-text extractor", () => {
  it("finds postgres://, postgresql:// and postgresql+driver:// URLs with their line and column", () => {
    const text = [
      "INFO start",
      "ERROR could not connect to postgresql://u:pw@10.0.0.5:5432/app: timeout",
      'dsn = "postgres://v@db/x?sslmode=require", other=postgresql+psycopg://w@db/y.',
    ].join("\n");
    const r = extractTextUrls(text, "app.log");
    expect(r.settings.map((s) => [s.line, s.column, s.value])).toEqual([
      [2, 28, "postgresql://u:pw@10.0.0.5:5432/app"],
      [3, 8, "postgres://v@db/x?sslmode=require"],
      [3, 50, "postgresql+psycopg://w@db/y"],
    ]);
    for (const s of r.settings) {
      const line = text.split("\n")[s.line - 1] ?? "";
      expect(line.slice(s.column - 1).startsWith(s.value)).toBe(true);
    }
  });

  it("does not take a word that only ends in postgres:// for a URL", () => {
    expect(findUrlsInLine("mypostgres://x@y/z")).toEqual([]);
    expect(findUrlsInLine("see postgresql:// for the scheme")).toEqual([]);
  });

  it("recognises connection settings: named variables, PostgreSQL URLs, keyword/value strings", () => {
    expect(isConnectionSetting("DATABASE_URL", "mysql://x@y/z")).toBe(false);
    expect(isConnectionSetting("DATABASE_URL", "postgresq://typo@y/z")).toBe(true);
    expect(isConnectionSetting("database_url", "postgresq://typo@y/z")).toBe(true);
    expect(isConnectionSetting("SKILLFLAW_DATABASE_URL", "${DB_URL}")).toBe(false);
    expect(isConnectionSetting("X", "POSTGRESQL://a@b/c")).toBe(true);
    expect(isConnectionSetting("X", "host=db dbname=app")).toBe(true);
    expect(isKeywordValue("sslmode=require")).toBe(true);
    expect(isKeywordValue("a=b c=d")).toBe(false);
    expect(isKeywordValue("https://x/?host=y")).toBe(false);
  });
});
