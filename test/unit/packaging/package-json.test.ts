// package.json as npm publishes it: no runtime dependency (everything is bundled), the bin, a clean prepack,
// the licence and the project's addresses.
import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const ROOT = new URL("../../../", import.meta.url).pathname;
const pkg = JSON.parse(readFileSync(`${ROOT}package.json`, "utf8")) as Record<string, unknown> & {
  scripts: Record<string, string>;
  devDependencies: Record<string, string>;
};

describe("package.json", () => {
  it("declares no runtime dependency: the bundle carries what the CLI loads", () => {
    for (const field of ["dependencies", "optionalDependencies", "peerDependencies", "bundleDependencies"])
      expect(Object.keys((pkg[field] as object | undefined) ?? {}), field).toEqual([]);
    // What the bundle is built from stays for the build.
    for (const name of [
      "yargs",
      "chalk",
      "pg",
      "node-forge",
      "yaml",
      "ignore",
      "picomatch",
      "wrap-ansi",
      "string-width",
    ])
      expect(pkg.devDependencies, name).toHaveProperty(name);
  });
  it("ships dist/ with an executable bin, built clean by prepack", () => {
    expect(pkg.bin).toEqual({ dbdoctor: "dist/dbdoctor.js" });
    expect(pkg.files).toEqual(["dist", "docs"]);
    expect(pkg.scripts.prepack).toBe("node scripts/build.mjs --clean");
  });
  it("names its licence, project, issues, engines and the docs URL renderers link to", () => {
    expect(pkg.license).toBe("MIT");
    expect(readFileSync(`${ROOT}LICENSE`, "utf8")).toMatch(/^MIT License\n\nCopyright \(c\) \d{4} /);
    expect(pkg.repository).toEqual({ type: "git", url: "git+https://github.com/dbdoctor/dbdoctor.git" });
    expect(pkg.homepage).toBe("https://github.com/dbdoctor/dbdoctor#readme");
    expect(pkg.bugs).toEqual({ url: "https://github.com/dbdoctor/dbdoctor/issues" });
    expect(pkg.engines).toEqual({ node: ">=20" });
    const docsUrl = (pkg.dbdoctor as { docsUrl: string }).docsUrl;
    expect(docsUrl).toBe("https://github.com/dbdoctor/dbdoctor/blob/main/docs/findings.md");
    expect(existsSync(`${ROOT}docs/findings.md`)).toBe(true);
  });
});
