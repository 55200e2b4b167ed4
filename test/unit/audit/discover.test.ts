import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { discover, MAX_FILE_BYTES } from "../../../src/audit/discover.js";

let root: string;
const list = (paths: string[], include: string[] = [], exclude: string[] = []) => {
  const d = discover(paths, { include, exclude, cwd: root });
  return { files: d.files.map((f) => f.display).sort(), skipped: d.skipped };
};

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "dbdoctor-discover-"));
  const w = (p: string, text: string | Buffer) => {
    mkdirSync(join(root, p, ".."), { recursive: true });
    writeFileSync(join(root, p), text);
  };
  mkdirSync(join(root, ".git")); // a repository root: its .gitignore applies to a scan of a subdirectory too
  w(".git/config", "[core]\n");
  w(".git/info/exclude", "excluded-by-info.env\n");
  w(".gitignore", "*.local.env\nbuild/\n!keep.local.env\n");
  w("excluded-by-info.env", "A=1\n");
  w("app/.env", "A=1\n");
  w("app/dev.local.env", "A=1\n");
  w("app/keep.local.env", "A=1\n");
  w("app/.gitignore", "secret/\n*.yaml\n!deploy.yaml\n");
  w("app/secret/.env", "A=1\n");
  w("app/other.yaml", "a: 1\n");
  w("app/deploy.yaml", "a: 1\n");
  w("app/nested/.gitignore", "!other.yaml\n");
  w("app/nested/other.yaml", "a: 1\n");
  w("build/out.env", "A=1\n");
  w("docs/notes.txt", "postgresql://x@y/z\n");
  w("docs/image.png", Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]));
  w("docs/huge.txt", Buffer.alloc(MAX_FILE_BYTES + 1, 0x61));
  w("test/fixture.env", "A=1\n");
  symlinkSync(join(root, "app"), join(root, "app", "nested", "loop"));
  symlinkSync(join(root, "missing-target"), join(root, "docs", "dangling"));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("discovery", () => {
  it("honours the root, nested and negated .gitignore rules and .git/info/exclude, and never enters .git", () => {
    const { files } = list(["."]);
    expect(files).toEqual([
      ".gitignore",
      "app/.env",
      "app/.gitignore",
      "app/deploy.yaml",
      "app/keep.local.env",
      "app/nested/.gitignore",
      "app/nested/other.yaml",
      "docs/notes.txt",
      "test/fixture.env",
    ]);
  });

  it("applies the .gitignore files above a scanned subdirectory, up to the repository root", () => {
    expect(list(["app"]).files).not.toContain("app/dev.local.env");
    expect(list(["app"]).files).toContain("app/.env");
  });

  it("reads a file named on the command line even when it is ignored", () => {
    expect(list(["app/dev.local.env"]).files).toEqual(["app/dev.local.env"]);
  });

  it("narrows with --include and --exclude (a slash-less pattern matches the base name anywhere)", () => {
    // --include names what is wanted, so it wins over .gitignore (ignored directories are searched for it).
    expect(list(["."], ["*.env"]).files).toEqual([
      "app/.env",
      "app/dev.local.env",
      "app/keep.local.env",
      "app/secret/.env",
      "build/out.env",
      "excluded-by-info.env",
      "test/fixture.env",
    ]);
    expect(list(["."], ["*.env"], ["test/**", "build"]).files).toEqual([
      "app/.env",
      "app/dev.local.env",
      "app/keep.local.env",
      "app/secret/.env",
      "excluded-by-info.env",
    ]);
    expect(list(["."], [], ["app"]).files).toEqual([".gitignore", "docs/notes.txt", "test/fixture.env"]);
  });

  it("lists what .gitignore leaves out as skipped, each ignored directory once, naming the ignore file", () => {
    const { skipped } = list(["."]);
    const ignored = skipped.filter((s) => s.reason.startsWith("skipped by")).map((s) => `${s.path}: ${s.reason}`);
    expect(ignored).toEqual([
      "app/dev.local.env: skipped by .gitignore (--no-ignore audits it)",
      "app/other.yaml: skipped by app/.gitignore (--no-ignore audits it)",
      "app/secret/: skipped by app/.gitignore (--no-ignore audits it)",
      "build/: skipped by .gitignore (--no-ignore audits it)",
      "excluded-by-info.env: skipped by .git/info/exclude (--no-ignore audits it)",
    ]);
  });

  it("reads everything with --no-ignore, and a named directory even when .gitignore excludes it", () => {
    const all = discover(["."], { include: [], exclude: [], cwd: root, noIgnore: true });
    expect(all.files.map((f) => f.display)).toContain("build/out.env");
    expect(all.skipped.some((s) => s.reason.startsWith("skipped by"))).toBe(false);
    expect(list(["build"]).files).toEqual(["build/out.env"]);
  });

  it("skips binaries and files over 1 MiB with a note, and leaves a symbolic-link loop after one visit", () => {
    const { files, skipped } = list(["."]);
    const reasons = Object.fromEntries(skipped.map((s) => [s.path, s.reason]));
    expect(reasons["docs/image.png"]).toBe("binary file");
    expect(reasons["docs/huge.txt"]).toMatch(/larger than 1 MiB/);
    expect(reasons["app/nested/loop"]).toMatch(/already scanned/);
    expect(reasons["docs/dangling"]).toMatch(/dangling/);
    expect(files.some((f) => f.includes("loop/"))).toBe(false);
  });

  it("says which path does not exist", () => {
    expect(() => list(["nope"])).toThrow(/nope does not exist/);
  });

  it("shows paths relative to the working directory", () => {
    const d = discover([join(root, "docs")], { include: [], exclude: [], cwd: join(root, "app") });
    expect(d.files.map((f) => f.display)).toEqual([relative(join(root, "app"), join(root, "docs", "notes.txt"))]);
  });
});
