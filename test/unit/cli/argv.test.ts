// The command line checked before yargs (src/cli/argv.ts): commands, unknown options once with a did-you-mean,
// options that belong to other commands, positionals, `--`.
import { describe, expect, it } from "vitest";
import { checkArgv, restoreDashDash } from "../../../src/cli/argv.js";
import { UsageError } from "../../../src/errors.js";

function usage(argv: string[]): { message: string; hint: string } {
  try {
    checkArgv(argv);
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return { message: (err as UsageError).message, hint: (err as UsageError).hint ?? "" };
  }
  throw new Error(`expected a usage error for ${JSON.stringify(argv)}`);
}

describe("checkArgv: usage errors", () => {
  it.each([
    // [argv, message, hint]
    [["chek"], 'unknown command "chek"', /^Did you mean check\? The commands are check, parse, instances/],
    [["adit", "."], 'unknown command "adit"', /^Did you mean audit\?/],
    [["instance"], 'unknown command "instance"', /^Did you mean instances\?/],
    [
      ["frobnicate"],
      'unknown command "frobnicate"',
      /^The commands are check, parse, instances, certs, server, audit and exporter/,
    ],
    [["host=db sslmode=require"], '"host=db sslmode=require" is not a command', /goes after a command: dbdoctor check/],
    [["check", "--env-flie", ".env"], "unknown option --env-flie for dbdoctor check", /^Did you mean --env-file\?/],
    [["check", "--env_file", ".env"], "unknown option --env_file for dbdoctor check", /^Did you mean --env-file\?/],
    [["check", "--fail-of", "warning"], "unknown option --fail-of for dbdoctor check", /^Did you mean --fail-on\?/],
    [["check", "--verb"], "unknown option --verb for dbdoctor check", /^Did you mean --verbose\?/],
    [["check", "--no-colr"], "unknown option --no-colr for dbdoctor check", /^Did you mean --no-color\?/],
    [["check", "--frobnicate"], "unknown option --frobnicate for dbdoctor check", /^dbdoctor check --help lists/],
    [["check", "-x"], "unknown option -x for dbdoctor check", /^dbdoctor check --help lists/],
    [
      ["certs", "--offline"],
      "--offline is not an option of dbdoctor certs",
      /^It applies to check, instances and audit\./,
    ],
    [["certs", "--no-offline"], "--no-offline is not an option of dbdoctor certs", /^It applies to check, instances/],
    [
      ["server", "h", "--auth-probe", "all"],
      "--auth-probe is not an option of dbdoctor server",
      /^It applies to check\./,
    ],
    [
      ["parse", "host=x", "--timeout", "1s"],
      "--timeout is not an option of dbdoctor parse",
      /check, instances, server/,
    ],
    [
      ["audit", ".", "--env-file", ".env"],
      "--env-file is not an option of dbdoctor audit",
      /check, parse and instances/,
    ],
    [
      ["check", "--env-flie", "a", "--bogus", "--offlin", "--env-flie", "b"],
      "unknown options for dbdoctor check: --env-flie (did you mean --env-file?), --bogus, --offlin (did you mean --offline?)",
      /^dbdoctor check --help lists/,
    ],
    [["check", "host=a", "host=b"], 'unexpected argument "host=b" for dbdoctor check', /quote it when it holds spaces/],
    [["check", "host=a", "--", "host=b"], 'unexpected argument "host=b" for dbdoctor check', /takes one connection/],
    [["certs", "ca.crt"], 'unexpected argument "ca.crt" for dbdoctor certs', /takes no positional argument/],
    [["server", "a", "b"], 'unexpected argument "b" for dbdoctor server', /takes one HOST\[:PORT\]/],
    [["server"], "dbdoctor server needs HOST[:PORT]", /^e\.g\. dbdoctor server db\.internal:5432$/],
    [["server", "--"], "dbdoctor server needs HOST[:PORT]", /^e\.g\./],
    [["audit", "--live"], "dbdoctor audit needs PATH...", /^e\.g\. dbdoctor audit \.$/],
    [["check", "--format"], "--format needs a value", /^Write --format VALUE or --format=VALUE\.$/],
    [["audit", ".", "--format", "json", "--output"], "--output needs a value", /--output=VALUE/],
  ] as Array<[string[], string, RegExp]>)("%j", (argv, message, hint) => {
    const e = usage(argv);
    expect(e.message).toBe(message);
    expect(e.hint).toMatch(hint);
  });

  it("names each unknown option once, whatever the spelling yargs would add (envFlie)", () => {
    const e = usage(["check", "--env-flie", "x", "--env-flie", "y"]);
    expect(e.message.match(/env-flie/g)).toHaveLength(1);
    expect(e.message).not.toMatch(/envFlie/);
  });

  it("lists every command, audit and instances included, when none is given", () => {
    for (const argv of [[], ["--verbose"], ["--format", "json"]]) {
      const e = usage(argv);
      expect(e.message).toMatch(/^no command given/);
      for (const command of ["check", "parse", "instances", "certs", "server", "audit"])
        expect(e.message).toMatch(new RegExp(`^  ${command} +\\S`, "m"));
      expect(e.hint).toBe("dbdoctor COMMAND --help shows a command's options.");
    }
  });
});

describe("checkArgv: accepted command lines", () => {
  it.each([
    // [argv, command, forYargs, afterDashDash]
    [["check"], "check", ["check"], []],
    [["--help"], undefined, ["--help"], []],
    [["-V"], undefined, ["-V"], []],
    [["certs", "--help"], "certs", ["certs", "--help"], []],
    // Options before the command, a value that looks like a command, yargs' camelCase and --no- forms.
    [["--verbose", "check"], "check", ["--verbose", "check"], []],
    [["--format", "json", "parse", "host=x"], "parse", ["--format", "json", "parse", "host=x"], []],
    [["check", "--envFile", ".env", "--no-color"], "check", ["check", "--envFile", ".env", "--no-color"], []],
    [["check", "--color", "false", "host=x"], "check", ["check", "--color", "false", "host=x"], []],
    [["server", "--scan-versions=false", "db:5432"], "server", ["server", "--scan-versions=false", "db:5432"], []],
    // A value that starts with "-" after a value option is its value, not an option.
    [["check", "--var", "-x", "host=y"], "check", ["check", "--var", "-x", "host=y"], []],
    [["certs", "--warn-days", "-1"], "certs", ["certs", "--warn-days", "-1"], []],
  ] as Array<[string[], string | undefined, string[], string[]]>)("%j", (argv, command, forYargs, after) => {
    const r = checkArgv(argv);
    expect(r.command?.name).toBe(command);
    expect(r.forYargs).toEqual(forYargs);
    expect(r.afterDashDash).toEqual(after);
  });

  it("`--` ends the options: what follows is positional even with a leading dash, restored after yargs", () => {
    const r = checkArgv(["parse", "--format", "json", "--", "--env-file=x host=y"]);
    expect(r.command?.name).toBe("parse");
    expect(r.afterDashDash).toEqual(["--env-file=x host=y"]);
    expect(r.forYargs.slice(0, 3)).toEqual(["parse", "--format", "json"]);
    expect(r.forYargs).toHaveLength(4);
    const placeholder = r.forYargs[3];
    expect(placeholder).not.toMatch(/^-/);
    expect(restoreDashDash(placeholder, r.afterDashDash)).toBe("--env-file=x host=y");
  });

  it("audit takes every path, before and after `--`", () => {
    const r = checkArgv(["audit", "a", "--", "-b", "c"]);
    expect(r.afterDashDash).toEqual(["-b", "c"]);
    const placeholders = r.forYargs.slice(2);
    expect(restoreDashDash(["a", ...placeholders], r.afterDashDash)).toEqual(["a", "-b", "c"]);
    expect(restoreDashDash("plain", r.afterDashDash)).toBe("plain");
  });
});
