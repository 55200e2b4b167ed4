// Usage errors echo what was typed; a password in it never reaches stderr (src/cli/usage-redact.ts).
import { afterEach, describe, expect, it } from "vitest";
import { checkArgv } from "../../../src/cli/argv.js";
import { parseDuration } from "../../../src/cli/duration.js";
import { planOutputs } from "../../../src/cli/output.js";
import { redactUsage } from "../../../src/cli/usage-redact.js";
import { forgetSecrets, registerSecret } from "../../../src/secrets.js";

const URL = "postgresql://app:Pa55w0rd-xyz@db.internal/app";
const KV = "host=db password=Pa55w0rd-xyz sslmode=require";
const SQLA = "postgresql+psycopg://app:Pa55w0rd-xyz@db/app?sslpassword=KeyPass-99";

function message(run: () => unknown): string {
  try {
    run();
  } catch (err) {
    return `${(err as Error).message}\n${(err as { hint?: string }).hint ?? ""}`;
  }
  throw new Error("expected an error");
}

afterEach(() => forgetSecrets());

describe("redactUsage", () => {
  it.each([
    // [argv, what the error is about]
    [["check", URL, "extra"], () => checkArgv(["check", "extra", URL])],
    [[URL], () => checkArgv([URL])],
    [[KV], () => checkArgv([KV])],
    [["parse", "host=a", SQLA], () => checkArgv(["parse", "host=a", SQLA])],
    [["check", "--timeout", URL], () => parseDuration(URL, "--timeout")],
    [["check", `--timeout=${URL}`], () => parseDuration(URL, "--timeout")],
    [["check", "--output", KV], () => planOutputs([], [KV])],
  ] as Array<[string[], () => unknown]>)("%j: the error names the argument, never its password", (argv, run) => {
    const raw = message(run);
    expect(raw).toMatch(/Pa55w0rd-xyz|KeyPass-99/); // the unredacted error does echo it...
    const shown = redactUsage(raw, argv);
    expect(shown).not.toContain("Pa55w0rd-xyz");
    expect(shown).not.toContain("KeyPass-99");
    expect(shown).toContain("********"); // ...and the redacted one still says which argument
  });

  it("masks a short password quoted on its own", () => {
    const argv = ["check", "--format", "postgresql://u:pw@h/db"];
    const shown = redactUsage('Given: "pw", Choices: "text"', argv);
    expect(shown).toBe('Given: "********", Choices: "text"');
  });

  it("masks registered secrets too (a passphrase from DBDOCTOR_SSLPASSWORD)", () => {
    registerSecret("Passphrase-123");
    expect(redactUsage("cannot open key with Passphrase-123", [])).toBe("cannot open key with ********");
  });

  it("leaves a message without secrets alone", () => {
    const text = 'unknown option --env-flie for dbdoctor check\n  hint: Did you mean --env-file?"';
    expect(redactUsage(text, ["check", "--env-flie", ".env", "host=db sslmode=require"])).toBe(text);
  });
});
