// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} is the .env syntax under test
// Why the .env reader is hand-written: the npm `dotenv` package reads these lines differently from python-dotenv,
// which is what SkillFlaw uses. Each case asserts both readings, so the reason stays visible (and checked) if a
// future `dotenv` release changes. (dotenv-expand is not used: its 1000.x line runs `$(...)` command substitution
// while expanding, which a diagnostics tool must never do to a .env file.)
import { parse as npmParse } from "dotenv";
import { describe, expect, it } from "vitest";
import { parseDotenv } from "../../../src/resolve/dotenv.js";

const ours = (text: string, env: Record<string, string> = {}) =>
  Object.fromEntries(Object.entries(parseDotenv(text, "t.env", env).vars).map(([k, e]) => [k, e.value]));

describe("python-dotenv rules that the npm dotenv package does not follow", () => {
  it("keeps '#' that is not preceded by whitespace (a password like pa#ss)", () => {
    const text = "SKILLFLAW_DATABASE_URL=postgresql://app:pa#ss@db/app\n";
    expect(ours(text).SKILLFLAW_DATABASE_URL).toBe("postgresql://app:pa#ss@db/app");
    expect(npmParse(text).SKILLFLAW_DATABASE_URL).toBe("postgresql://app:pa");
  });
  it('decodes \\t, \\" and \\\\ inside double quotes, not only \\n', () => {
    const text = 'A="x\\ty \\"q\\" \\\\"\n';
    expect(ours(text).A).toBe('x\ty "q" \\');
    expect(npmParse(text).A).not.toBe('x\ty "q" \\');
  });
  it("expands ${VAR} and ${VAR:-default} (npm dotenv leaves them alone)", () => {
    const text = "USER_=app\nURL=postgresql://${USER_}:${PW:-none}@db/app\n";
    expect(ours(text).URL).toBe("postgresql://app:none@db/app");
    expect(npmParse(text).URL).toBe("postgresql://${USER_}:${PW:-none}@db/app");
  });
  it("expands inside single quotes too, as python-dotenv 1.2 does", () => {
    expect(ours("PW=x\nA='${PW}'\n").A).toBe("x");
  });
  it("does not accept YAML-style 'KEY: value' lines", () => {
    const text = "SKILLFLAW_DATABASE_URL: postgresql://app@db/app\n";
    expect(ours(text)).toEqual({});
    expect(npmParse(text).SKILLFLAW_DATABASE_URL).toBe("postgresql://app@db/app");
  });
  it("does not treat backticks as quotes", () => {
    const text = "A=`postgresql://app@db/app`\n";
    expect(ours(text).A).toBe("`postgresql://app@db/app`");
    expect(npmParse(text).A).toBe("postgresql://app@db/app");
  });
  it("turns KEY without '=' into 'not set' and lets it drop an earlier value", () => {
    expect(ours("A=1\nA\n")).toEqual({});
    expect(npmParse("A=1\nA\n").A).toBe("1");
  });
  it("reads '=' followed by ' #' as part of the value", () => {
    expect(ours("A= #x\n").A).toBe("#x");
    expect(npmParse("A= #x\n").A).toBe("");
  });
});
