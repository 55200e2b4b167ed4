import { afterEach, describe, expect, it } from "vitest";
import { maskUrlUserinfo, safeBlockForStderr, safeForStderr } from "../../../src/cli/stderr.js";
import { forgetSecrets, registerSecret } from "../../../src/secrets.js";

afterEach(() => forgetSecrets());

describe("stderr redaction", () => {
  it("masks a URL's password however it is written, before anything was parsed", () => {
    expect(maskUrlUserinfo("server 'postgresql://u:PW@h/d'")).toBe("server 'postgresql://u:********@h/d'");
    expect(maskUrlUserinfo("postgresql://u:p@ss/w?rd@h:5432/d")).toBe("postgresql://u:********@h:5432/d");
    expect(maskUrlUserinfo("postgresql+psycopg://app:s3c:r@t@db/app x")).toBe(
      "postgresql+psycopg://app:********@db/app x",
    );
    // no password, nothing to mask
    expect(maskUrlUserinfo("postgresql://u@h:5432/d")).toBe("postgresql://u@h:5432/d");
    expect(maskUrlUserinfo("https://example.com/a:b")).toBe("https://example.com/a:b");
  });

  it("uses the reports' rules too (password=...), every registered secret, and escapes control characters", () => {
    registerSecret("Registered-Secret-1");
    const out = safeForStderr(
      `unknown argument: host=h password=kvsecret; x Registered-Secret-1 \u001b]0;pwned\u0007\nforged line`,
    );
    expect(out).not.toContain("kvsecret");
    expect(out).not.toContain("Registered-Secret-1");
    expect(out).not.toContain("\u001b");
    expect(out).not.toContain("\n");
    expect(out).toContain("\\e]0;pwned\\x07\\nforged line");
  });

  it("a block keeps its own line breaks", () => {
    expect(safeBlockForStderr("Error: x\n    at f (a.js:1)\u001b")).toBe("Error: x\n    at f (a.js:1)\\e");
  });
});
