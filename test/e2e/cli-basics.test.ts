import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";

const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };

describe("the built CLI", () => {
  it("prints the package version", () => {
    const r = runCli(["--version"]);
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe(pkg.version);
  });
  it("documents the exit codes in --help", () => {
    const r = runCli(["--help"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/Exit codes:/);
    expect(r.stdout).toMatch(/2 +dbdoctor could not do its job/);
  });
  it("rejects an unknown command with exit 2 and no stack trace", () => {
    const r = runCli(["frobnicate"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('unknown command "frobnicate"');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
  it("rejects a libpq major it does not model", () => {
    const r = runCli(["parse", "host=x", "--libpq", "11"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("--libpq 11 is not a modelled libpq major");
  });
});
