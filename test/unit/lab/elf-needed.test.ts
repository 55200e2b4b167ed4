// The lab image's ELF filter (DT_NEEDED read from the file) against binutils' readelf on real binaries: the
// embedded PostgreSQL build's server, libraries and modules, and the host tools the image copies.
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { resolveBinaries } from "../../../scripts/lab/backends.js";
import { neededLibraries } from "../../../scripts/lab/image.js";

/** One readelf for all files (it prints "File: NAME" before each when given several). */
function readelfNeeded(files: string[]): Map<string, string[]> {
  const out = execFileSync("readelf", ["-d", "-W", ...files], {
    encoding: "utf8",
    env: { LANG: "C", PATH: process.env.PATH },
    maxBuffer: 64 << 20,
  });
  const byFile = new Map<string, string[]>();
  for (const section of out.split(/^File: /m).slice(1)) {
    const name = section.slice(0, section.indexOf("\n")).trim();
    byFile.set(
      name,
      [...section.matchAll(/\(NEEDED\)\s+Shared library: \[([^\]]+)\]/g)].map((m) => m[1] ?? ""),
    );
  }
  return byFile;
}

let readelf: string | undefined;
try {
  execFileSync("readelf", ["--version"], { stdio: "ignore" });
} catch (err) {
  readelf = `readelf is not installed (binutils): ${err instanceof Error ? err.message : String(err)}`;
  console.warn(`skipping the ELF DT_NEEDED comparison: ${readelf}`);
}

describe("neededLibraries (DT_NEEDED)", () => {
  it.skipIf(readelf !== undefined)("names exactly what readelf names, file by file", async () => {
    const bins = await resolveBinaries("embedded");
    const tree = path.dirname(bins.binDir);
    const files = [
      bins.postgres,
      bins.initdb,
      ...readdirSync(path.join(tree, "lib", "postgresql"))
        .filter((f) => f.endsWith(".so"))
        .map((f) => path.join(tree, "lib", "postgresql", f)),
      "/usr/bin/dash",
      "/usr/bin/setpriv",
    ];
    expect(files.length).toBeGreaterThan(50);
    const theirs = readelfNeeded(files);
    expect(theirs.size).toBe(files.length);
    for (const f of files) expect(neededLibraries(readFileSync(f))?.sort(), f).toEqual(theirs.get(f)?.sort());
  });

  it("is undefined for what is not an ELF64 little-endian file", () => {
    expect(neededLibraries(Buffer.from("#!/bin/sh\necho hi\n"))).toBeUndefined();
    expect(neededLibraries(Buffer.alloc(10))).toBeUndefined();
  });
});
