// Help and argument handling through the built CLI: help that wraps on spaces at any width, per-command options,
// unknown commands and options, `--`, --output's extension, TERM=dumb in a real terminal, no password in any
// usage error, and the start-up line guarding Node's own --env-file reading.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { CLI, runCli } from "../helpers/cli.js";
import { assertValidReport } from "../helpers/schema.js";

const tmp = mkdtempSync(join(tmpdir(), "dbdoctor-cli-args-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const COMMANDS = ["check", "parse", "instances", "certs", "server", "audit", "exporter"];
const help = (command: string | undefined, columns: number) =>
  runCli([...(command ? [command] : []), "--help"], { env: { COLUMNS: String(columns) } });
const words = (text: string) => text.split(/\s+/).filter(Boolean).sort();

describe("--help", () => {
  it.each([undefined, ...COMMANDS])("%s: wraps on spaces at every width, never inside a word", (command) => {
    const reference = help(command, 120);
    expect(reference.status).toBe(0);
    for (const columns of [50, 60, 80, 100]) {
      const r = help(command, columns);
      expect(r.status).toBe(0);
      // Moving words between lines keeps the multiset of words; cutting one ("dat" + "abase") changes it.
      expect(words(r.stdout), `${command ?? "dbdoctor"} --help at ${columns} columns`).toEqual(words(reference.stdout));
      for (const line of r.stdout.split("\n")) {
        // From 60 columns up everything fits; below, a word longer than its column overflows it (not cut).
        if (columns >= 60) expect(line.length, `"${line}" at ${columns} columns`).toBeLessThanOrEqual(columns);
        // A description exactly as wide as its column once had its hints glued on: "--sslrootcert[string]".
        expect(line).not.toMatch(/\S\[(string|number|boolean|array|required)\]/);
      }
    }
  });

  it("keeps the long words whole that the yargs 17 ESM build cut", () => {
    const r = help("check", 80);
    expect(r.stdout).toContain("SKILLFLAW_DATABASE_URL");
    expect(r.stdout).toMatch(/\bverified channel\b/);
  });

  // Which options each command takes, stated here rather than read from src/cli/spec.ts.
  const OUTPUT = ["format", "output", "fail-on", "color", "verbose"];
  const EXPECTED: Record<string, string[]> = {
    check: [
      ...OUTPUT,
      "env-file",
      "var",
      "timeout",
      "deadline",
      "offline",
      "url-style",
      "libpq",
      "auth-probe",
      "instances",
      "workers",
      "warn-days",
      "save-chain",
      "client",
      "app",
    ],
    parse: [...OUTPUT, "env-file", "var", "url-style", "libpq", "client"],
    instances: [
      ...OUTPUT,
      "env-file",
      "var",
      "timeout",
      "deadline",
      "offline",
      "url-style",
      "libpq",
      "instances",
      "workers",
      "client",
    ],
    certs: [
      ...OUTPUT,
      "libpq",
      "sslrootcert",
      "sslcert",
      "sslkey",
      "sslcrl",
      "sslcrldir",
      "server-cert",
      "host",
      "sslmode",
      "warn-days",
      "user",
    ],
    server: [
      ...OUTPUT,
      "timeout",
      "deadline",
      "libpq",
      "sslrootcert",
      "sslcrl",
      "sslcrldir",
      "servername",
      "sslsni",
      "sslnegotiation",
      "ssl-min-protocol-version",
      "ssl-max-protocol-version",
      "scan-versions",
      "warn-days",
      "save-chain",
    ],
    audit: [
      ...OUTPUT,
      "timeout",
      "deadline",
      "offline",
      "url-style",
      "libpq",
      "include",
      "exclude",
      "ignore",
      "live",
      "concurrency",
    ],
    exporter: ["config", "listen", "timeout", "concurrency"],
  };
  it.each(COMMANDS)("%s --help lists exactly the options that apply to it", (command) => {
    const r = help(command, 120);
    const options = r.stdout.slice(0, r.stdout.indexOf("\nExamples:"));
    const listed = [...options.matchAll(/^\s+(?:-\w, )?--([a-z][a-z-]*)/gm)].map((m) => m[1]);
    expect(new Set(listed)).toEqual(new Set([...(EXPECTED[command] ?? []), "help", "version"]));
    expect(listed.length, "each option once").toBe(new Set(listed).size);
  });

  it("shows audit's paths as required, without a default of []", () => {
    const r = help("audit", 100);
    expect(r.stdout).toMatch(/^dbdoctor audit PATH\.\.\. \[options\]/m);
    const line = r.stdout.split("\n").find((l) => /^\s+paths\s/.test(l)) ?? "";
    expect(line).toContain("[required]");
    expect(r.stdout).not.toContain("[default: []]");
  });
});

describe("usage errors", () => {
  it("with no command, lists every command (audit and instances too) and exits 2", () => {
    const r = runCli([]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    for (const command of COMMANDS) expect(r.stderr).toMatch(new RegExp(`^  ${command}\\s+\\S`, "m"));
  });

  it("names an unknown option once, with a did-you-mean", () => {
    const r = runCli(["check", "--env-flie", ".env"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(
      "dbdoctor: error: unknown option --env-flie for dbdoctor check\n" +
        "  hint: Did you mean --env-file? dbdoctor check --help lists its options.\n",
    );
  });

  it("says which commands an option belongs to", () => {
    const r = runCli(["certs", "--sslrootcert", "ca.crt", "--auth-probe", "all"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("--auth-probe is not an option of dbdoctor certs");
    expect(r.stderr).toContain("It applies to check.");
  });

  it("suggests the command meant", () => {
    const r = runCli(["instnaces"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('unknown command "instnaces"');
    expect(r.stderr).toContain("Did you mean instances?");
  });

  const PASSWORD = "S3cret-Pa55word";
  const URL = `postgresql://app:${PASSWORD}@db.internal/app`;
  it.each([
    [[URL]],
    [["check", "host=db", URL]],
    [["check", "--timeout", URL]],
    [["check", `--timeout=${URL}`]],
    [["check", "--format", URL]],
    [["check", "--fail-on", `host=db password=${PASSWORD}`]],
    [["check", "--libpq", URL]],
    [["parse", "--output", URL]],
    [["server", URL, "extra"]],
    [["certs", URL]],
  ])("never echoes a password: %j", (argv) => {
    const r = runCli(argv);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^dbdoctor: error: /);
    expect(r.stderr).not.toContain(PASSWORD);
    expect(r.stdout).not.toContain(PASSWORD);
  });
});

describe("`--` ends the options", () => {
  it("parse -- 'host=x' keeps the connection string", () => {
    const r = runCli(["parse", "--format", "json", "--", "host=x sslmode=require"]);
    expect(r.status).toBe(0);
    const report = JSON.parse(r.stdout) as { input: { redacted: string } };
    assertValidReport(report);
    expect(report.input.redacted).toBe("host=x sslmode=require");
  });
  it("takes what follows as positional even when it starts with a dash", () => {
    const r = runCli(["parse", "--format", "json", "--", "--format=text"]);
    // libpq reads "--format=text" as a keyword it does not know: a finding, not a dbdoctor usage error.
    expect(r.stderr).not.toContain("unknown option");
    const report = JSON.parse(r.stdout) as { input: { redacted: string } };
    expect(report.input.redacted).toBe("--format=text");
  });
  it("audit -- PATH", () => {
    const r = runCli(["audit", "--format", "json", "--fail-on", "never", "--", "fixtures/audit/app/.env"], {
      cwd: new URL("../../", import.meta.url).pathname,
    });
    expect(r.status).toBe(0);
    const report = JSON.parse(r.stdout) as { files: Array<{ path: string }> };
    expect(report.files.map((f) => f.path)).toContain("fixtures/audit/app/.env");
  });
});

describe("--output without --format", () => {
  it.each([
    ["r.json", (t: string) => assertValidReport(t)],
    ["r.md", (t: string) => expect(t).toMatch(/^#+ /m)],
    ["r.xml", (t: string) => expect(t).toMatch(/^<\?xml[\s\S]*<testsuites/)],
    ["r.txt", (t: string) => expect(t).toContain("dbdoctor 0.")],
    ["r.sarif", (t: string) => expect((JSON.parse(t) as { version: string }).version).toBe("2.1.0")],
  ] as Array<[string, (text: string) => void]>)("%s: the format its extension names", (name, check) => {
    const path = join(tmp, name);
    const r = runCli(["parse", "host=db sslmode=require", "--output", path]);
    expect(r.status, r.stderr).toBe(0);
    check(readFileSync(path, "utf8"));
    expect(r.stdout).toContain("dbdoctor 0."); // the text report stays on the terminal
  });
  it("audit: .sarif is SARIF", () => {
    const path = join(tmp, "a.sarif");
    const r = runCli(["audit", "fixtures/audit/app/.env", "--fail-on", "never", "--output", path], {
      cwd: new URL("../../", import.meta.url).pathname,
    });
    expect(r.status, r.stderr).toBe(0);
    expect((JSON.parse(readFileSync(path, "utf8")) as { version: string }).version).toBe("2.1.0");
  });
  it.each([
    ["r.log", "--output r.log has no --format, and .log names no format"],
    ["report", "--output report has no --format and no extension to take it from"],
  ])("%s on parse is a usage error naming --output", (name, message) => {
    const r = runCli(["parse", "host=x", "--output", join(tmp, name)]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(message.replace(name, join(tmp, name)));
    expect(r.stderr).toMatch(/hint: Put --format FORMAT before it/);
    expect(existsSync(join(tmp, name))).toBe(false);
  });
});

// A real terminal: Python's pty module runs the CLI with a pseudo-terminal as stdout.
const PTY = "import pty, sys; pty.spawn(sys.argv[1:])";
const hasPython = spawnSync("python3", ["-c", "import pty"]).status === 0;
describe.skipIf(!hasPython)("colour in a terminal", () => {
  const inTerminal = (env: NodeJS.ProcessEnv, ...args: string[]) => {
    const r = spawnSync("python3", ["-c", PTY, process.execPath, "--", CLI, "parse", "host=db", ...args], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(r.stdout).toContain("dbdoctor 0.");
    return /\u001b\[/.test(r.stdout);
  };
  it("has colour on a terminal, none with TERM=dumb unless --color or FORCE_COLOR asks", () => {
    expect(inTerminal({ TERM: "xterm-256color" })).toBe(true);
    expect(inTerminal({ TERM: "dumb" })).toBe(false);
    expect(inTerminal({ TERM: "dumb" }, "--color")).toBe(true);
    expect(inTerminal({ TERM: "dumb", FORCE_COLOR: "1" })).toBe(true);
    expect(inTerminal({ TERM: "xterm-256color", NO_COLOR: "1" })).toBe(false);
  });
});
if (!hasPython) console.log("colour in a terminal: skipped, python3 with the pty module is not installed");

describe("the start-up line (dist/dbdoctor.js run as a program)", () => {
  // Node 20 reads an --env-file that follows the script itself: exit 9 when it is missing, and a NODE_OPTIONS
  // line in it is applied. The bin's `exec node -- "$0"` keeps both from happening.
  const marker = join(tmp, "preloaded");
  const preload = join(tmp, "preload.cjs");
  writeFileSync(preload, `require("fs").writeFileSync(${JSON.stringify(marker)}, "ran")\n`);
  const envFile = join(tmp, "hostile.env");
  writeFileSync(envFile, `NODE_OPTIONS="--require ${preload}"\nSKILLFLAW_DATABASE_URL=postgresql://app@db/app\n`);
  const run = (args: string[]) =>
    spawnSync(CLI, args, { encoding: "utf8", env: { ...process.env, NO_COLOR: "1" }, timeout: 60_000 });

  it("reports a missing --env-file itself (exit 2), not Node's exit 9", () => {
    const r = run(["parse", "--env-file", join(tmp, "missing.env")]);
    expect(r.stderr).not.toMatch(/^node: /m);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("cannot read --env-file");
  });

  it("never applies NODE_OPTIONS from a .env it diagnoses", () => {
    rmSync(marker, { force: true });
    const r = run(["parse", "--env-file", envFile, "--format", "json"]);
    expect(r.status, r.stderr).toBe(0);
    expect(existsSync(marker)).toBe(false);
  });

  it.skipIf(!process.versions.node.startsWith("20."))("(control) plain `node script --env-file` does apply it", () => {
    rmSync(marker, { force: true });
    spawnSync(process.execPath, [CLI, "parse", "--env-file", envFile, "--format", "json"], { timeout: 60_000 });
    expect(existsSync(marker)).toBe(true);
  });
});
