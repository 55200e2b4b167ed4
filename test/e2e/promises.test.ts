// Issue 18, promises kept at the edges of the CLI: usage errors never echo a password (every stderr line passes the
// same redaction as the reports) nor raw terminal escapes, and a reader that goes away (`| head`) ends the run
// quietly with exit 2.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CLI, runCli } from "../helpers/cli.js";

const PW = "Usage-s3cret-PW";
const URL = `postgresql://u:${PW}@db.example.com/app`;

describe.runIf(existsSync(CLI))("usage errors are redacted", () => {
  it.each([
    ["server URL", ["server", URL]],
    ["audit URL", ["audit", URL]],
    ["--env-file URL", ["parse", "--env-file", URL]],
    // check has --timeout and --deadline: the value reaches the duration parser, whose error quotes it.
    ["--timeout URL", ["check", "host=db", "--timeout", URL]],
    ["--deadline URL", ["check", "host=db", "--deadline", URL]],
    ["a stray positional", ["parse", "host=db", URL]],
    ["an unencoded password with @ and /", ["server", `postgresql://u:${PW}@x/y@db.example.com/app`]],
  ])("%s: exit 2, the error names the problem, never the password", (_name, args) => {
    const r = runCli(args);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^dbdoctor: error: /);
    expect(r.stderr).not.toContain(PW);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it("a terminal escape sequence in an argument is shown escaped, not executed", () => {
    const r = runCli(["check", "host=db", "--timeout", "\u001b]0;pwned\u0007\nforged line"]);
    expect(r.status).toBe(2);
    expect(r.stderr).not.toContain("\u001b");
    expect(r.stderr).not.toContain("\u0007");
    expect(r.stderr).toContain("\\e]0;pwned\\x07\\nforged line");
  });
});

describe.runIf(existsSync(CLI))("a closed standard output", () => {
  it("ends quietly with exit 2 (EPIPE), no stack trace", async () => {
    const child = spawn(process.execPath, ["--", CLI, "parse", "host=db user=app dbname=app", "--format", "json"], {
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, NO_COLOR: "1" },
    });
    // The reader goes away before the report is written, as `| head -c0` or a pager quit early would.
    child.stdout.destroy();
    let stderr = "";
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
      child.on("close", (c, s) => resolve([c, s])),
    );
    expect(signal).toBeNull();
    expect(code).toBe(2);
    expect(stderr).toBe("");
  });
});
