import { describe, expect, it } from "vitest";
import { withHostAndAddress } from "../../../src/conninfo/rewrite.js";

describe("withHostAndAddress", () => {
  it("rewrites a keyword/value string in place", () => {
    expect(
      withHostAndAddress("host=localhost port=5432 password=******** sslmode=verify-full", "db.internal", "127.0.0.1"),
    ).toBe("host=db.internal hostaddr=127.0.0.1 port=5432 password=******** sslmode=verify-full");
    expect(withHostAndAddress("port=5 hostaddr=10.0.0.1", "db", "127.0.0.1")).toBe("port=5 host=db hostaddr=127.0.0.1");
  });
  it("rewrites a URL's host and adds hostaddr to its query", () => {
    expect(
      withHostAndAddress(
        "postgresql+psycopg://app:********@localhost:6432/app?sslmode=verify-full",
        "db.internal",
        "127.0.0.1",
      ),
    ).toBe("postgresql+psycopg://app:********@db.internal:6432/app?sslmode=verify-full&hostaddr=127.0.0.1");
    expect(withHostAndAddress("postgresql://127.0.0.1", "db.internal", "127.0.0.1")).toBe(
      "postgresql://db.internal/?hostaddr=127.0.0.1",
    );
    expect(withHostAndAddress("postgresql://h/d?hostaddr=1.2.3.4&sslmode=require", "db", "127.0.0.1")).toBe(
      "postgresql://db/d?sslmode=require&hostaddr=127.0.0.1",
    );
  });
});
