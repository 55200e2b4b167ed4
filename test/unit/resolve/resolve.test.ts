// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} is the .env syntax under test
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { UsageError } from "../../../src/errors.js";
import { resolveInput } from "../../../src/resolve/index.js";

const dir = mkdtempSync(join(tmpdir(), "dbdoctor-resolve-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
function file(name: string, text: string | Buffer): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}
const V = "SKILLFLAW_DATABASE_URL";
const opts = (o: Partial<{ connstring: string; envFiles: string[]; variable: string }>) => ({
  connstring: o.connstring,
  envFiles: o.envFiles ?? [],
  variable: o.variable ?? V,
});

describe("resolveInput", () => {
  it("prefers the positional argument, but still reads the env files for the env rules", () => {
    const f = file("a.env", `${V}=postgresql://file/db\nPGSSLMODE=require\n`);
    const r = resolveInput(opts({ connstring: "host=arg", envFiles: [f] }), { [V]: "postgresql://env/db" });
    expect(r.value).toBe("host=arg");
    expect(r.source).toEqual({ kind: "argument" });
    expect(r.fileVars.PGSSLMODE?.value).toBe("require");
  });
  it("takes the env file over the environment (override=True) and names file and line", () => {
    const f = file("b.env", `# c\n\n${V}=postgresql://file/db\n`);
    const r = resolveInput(opts({ envFiles: [f] }), { [V]: "postgresql://env/db" });
    expect(r.value).toBe("postgresql://file/db");
    expect(r.source).toEqual({ kind: "env-file", file: f, line: 3, variable: V });
  });
  it("lets a later env file win, and expands ${VAR} with the earlier file's values", () => {
    const f1 = file("c1.env", `DBHOST=one\n${V}=postgresql://first/db\n`);
    const f2 = file("c2.env", `${V}=postgresql://\${DBHOST}/db\n`);
    const r = resolveInput(opts({ envFiles: [f1, f2] }), {});
    expect(r.value).toBe("postgresql://one/db");
    expect(r.source).toMatchObject({ kind: "env-file", file: f2, line: 1 });
  });
  it("falls back to the environment, and to --var", () => {
    expect(resolveInput(opts({}), { [V]: "postgresql://env/db" }).source).toEqual({ kind: "env", variable: V });
    const r = resolveInput(opts({ variable: "DATABASE_URL" }), { DATABASE_URL: "host=x" });
    expect(r.value).toBe("host=x");
    expect(r.lookedAt).toEqual(["DATABASE_URL in the environment"]);
  });
  it("reports where it looked when nothing is found", () => {
    const f = file("d.env", "OTHER=1\n");
    const r = resolveInput(opts({ envFiles: [f] }), {});
    expect(r.value).toBeNull();
    expect(r.source).toEqual({ kind: "none" });
    expect(r.lookedAt).toEqual([`${V} in ${f}`, `${V} in the environment`]);
  });
  it("returns an empty value as empty (KEY= overrides the shell) for the engine to refuse", () => {
    const f = file("e.env", `${V}=\n`);
    const r = resolveInput(opts({ envFiles: [f] }), { [V]: "postgresql://env/db" });
    expect(r.value).toBe("");
  });
  it("uses a differently-cased variable as a near miss, keeping the asked-for name", () => {
    const f = file("f.env", "skillflaw_database_url=postgresql://lower/db\n");
    const r = resolveInput(opts({ envFiles: [f] }), {});
    expect(r.value).toBe("postgresql://lower/db");
    expect(r.source).toMatchObject({ variable: "skillflaw_database_url" });
    expect(r.variable).toBe(V);
  });
  it("ignores the env files when PYTHON_DOTENV_DISABLED is true, as load_dotenv does", () => {
    const f = file("g.env", `${V}=postgresql://file/db\n`);
    const r = resolveInput(opts({ envFiles: [f] }), { PYTHON_DOTENV_DISABLED: "1", [V]: "postgresql://env/db" });
    expect(r.value).toBe("postgresql://env/db");
    expect(r.dotenvDisabled).toBe("1");
    expect(r.lookedAt[0]).toMatch(/PYTHON_DOTENV_DISABLED/);
  });
  it("throws a UsageError naming a missing env file", () => {
    const missing = join(dir, "nope.env");
    expect(() => resolveInput(opts({ envFiles: [missing] }), {})).toThrow(UsageError);
    expect(() => resolveInput(opts({ envFiles: [missing] }), {})).toThrow(
      `cannot read --env-file ${missing}: no such file`,
    );
  });
  it("throws a UsageError naming the file and line of invalid UTF-8", () => {
    const f = file("latin1.env", Buffer.from([0x41, 0x3d, 0x31, 0x0a, 0x42, 0x3d, 0xe9, 0x0a]));
    expect(() => resolveInput(opts({ envFiles: [f] }), {})).toThrow(
      /is not valid UTF-8 \(first bad byte at offset 6, line 2\)/,
    );
  });
  it("throws for a directory", () => {
    expect(() => resolveInput(opts({ envFiles: [dir] }), {})).toThrow(/it is a directory/);
  });
});
