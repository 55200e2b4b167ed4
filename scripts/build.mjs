// Bundles the CLI into dist/ so start-up reads a few files instead of hundreds, and so the published package needs
// no runtime dependency at all (package.json declares none: everything the CLI loads is in dist/).
// Code splitting keeps heavy modules (node-forge, pg) in chunks that load only when a command imports them.
//
//   node scripts/build.mjs           dist/ for tests and the demo: chunks of earlier builds stay 10 minutes
//   node scripts/build.mjs --clean   dist/ holds exactly this build (npm's prepack: nothing stale gets packed)

import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { builtinModules, createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = fileURLToPath(new URL("..", import.meta.url));
const dist = join(root, "dist");
const clean = process.argv.includes("--clean");
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));

// Start-up line. `#!/usr/bin/env sh` works with every env (GNU, BusyBox on Alpine, BSD): it passes env one word.
// The second line is both shell and JavaScript: sh runs `exec node -- "$0" "$@"` (the `':'` command ignores `//`),
// JavaScript sees a string statement and a comment. The `--` matters: Node 20 scans the arguments after the
// script for `--env-file` (src/node_dotenv.cc GetPathFromArgs, nodejs/node#54232) and reads that file itself
// before any JavaScript runs: a missing file exits 9 ("node: x: not found"), and a NODE_OPTIONS line in it is
// applied (`--require` runs code from the .env dbdoctor was asked to diagnose). Node stops that scan at `--`.
// `#!/usr/bin/env -S node --` did the same on GNU env only; BusyBox env has no -S. npm's Windows shim reads the
// line as "run sh", which Git for Windows provides.
const SHEBANG = `#!/usr/bin/env sh\n':' //; exec node -- "$0" "$@"\n`;

// yargs 17's ESM build gives cliui (its help layout) a wrap that cuts every N characters ("dat/abase"). `cliui`
// resolves here to cliui's layout core with src/cli/help-wrap.ts, which breaks lines at spaces only. (cliui's
// CommonJS build would bring wrap-ansi, string-width and ansi-styles into every command's start-up; yargs 18 cost
// about 25 ms of start-up on every command, see commit ba09f77.) One checked edit to cliui 8 itself, so that an
// upgrade that moves it fails the build instead of silently dropping it: in renderInline, `<=` instead of `<`,
// because a description exactly as wide as its column got its "[string]" glued to its last word
// ("--sslrootcert[string]"); now those hints go to the next line, as they do whenever they do not fit.
const CLIUI_EDITS = [["if (leadingWhitespace < targetTextWidth) {", "if (leadingWhitespace <= targetTextWidth) {"]];
const HELP_WRAP = join(root, "src", "cli", "help-wrap.ts");
const cliuiWordWrap = {
  name: "cliui-word-wrap",
  setup(b) {
    b.onResolve({ filter: /^cliui$/ }, (args) => ({
      // cliui's package exports only "."; its layout core sits beside the CommonJS entry.
      path: join(dirname(createRequire(join(args.resolveDir, "importer.js")).resolve("cliui")), "lib"),
      namespace: "cliui-word-wrap",
    }));
    b.onLoad({ filter: /.*/, namespace: "cliui-word-wrap" }, (args) => ({
      contents: [
        `import { cliui } from ${JSON.stringify(join(args.path, "index.js"))};`,
        `import { stripAnsi } from ${JSON.stringify(join(args.path, "string-utils.js"))};`,
        `import { textWidth, wrapWords } from ${JSON.stringify(HELP_WRAP)};`,
        "export default (opts) => cliui(opts, { stringWidth: textWidth, stripAnsi, wrap: wrapWords });",
      ].join("\n"),
      loader: "js",
      resolveDir: args.path,
    }));
    b.onLoad({ filter: /[\\/]cliui[\\/]build[\\/]lib[\\/]index\.js$/ }, (args) => {
      let contents = readFileSync(args.path, "utf8");
      for (const [from, to] of CLIUI_EDITS) {
        if (!contents.includes(from)) throw new Error(`cliui changed: "${from}" not found in ${args.path}`);
        contents = contents.replace(from, to);
      }
      return { contents, loader: "js" };
    });
  },
};

// Build beside dist/ and move the result in, entry file last: a CLI started while another build runs (tests,
// the demo) always finds an entry whose chunks exist, never an empty dist/.
mkdirSync(join(dist, "chunks"), { recursive: true });
const staging = mkdtempSync(join(root, ".dist-"));
const result = await build({
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
  metafile: true,
  // Bundled CommonJS modules (pg, node-forge) call require(); ESM output has none, so every file gets one.
  banner: { js: "import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);" },
  define: { __DBDOCTOR_VERSION__: JSON.stringify(pkg.version) },
  // pg's optional native binding: pg requires it only when `pg.native` is read, which dbdoctor never does.
  external: ["pg-native"],
  plugins: [cliuiWordWrap],
  logLevel: "warning",
});

// The package has no runtime dependencies, so the bundle may import nothing but Node's own modules.
const builtins = new Set(builtinModules);
const outside = new Set();
for (const output of Object.values(result.metafile.outputs))
  for (const imp of output.imports)
    if (imp.external && !imp.path.startsWith("node:") && !builtins.has(imp.path) && imp.path !== "pg-native")
      outside.add(imp.path);
if (outside.size > 0) {
  rmSync(staging, { recursive: true, force: true });
  throw new Error(`the bundle imports packages it does not contain: ${[...outside].join(", ")}`);
}

const fresh = new Set(readdirSync(join(staging, "chunks")));
for (const chunk of fresh) renameSync(join(staging, "chunks", chunk), join(dist, "chunks", chunk));
// The start-up line goes on the entry only, which is executable in a clone too (npm sets the bit on install; git
// does not track dist/).
const entry = join(staging, "dbdoctor.js");
writeFileSync(entry, SHEBANG + readFileSync(entry, "utf8"));
chmodSync(entry, 0o755);
renameSync(entry, join(dist, "dbdoctor.js"));
rmSync(staging, { recursive: true, force: true });
// Chunks of earlier builds go once no process started from them can still be loading them lazily; --clean removes
// them now, and anything else an older layout left in dist/.
for (const chunk of readdirSync(join(dist, "chunks"))) {
  const path = join(dist, "chunks", chunk);
  if (!fresh.has(chunk) && (clean || Date.now() - statSync(path).mtimeMs > 10 * 60_000)) rmSync(path, { force: true });
}
if (clean)
  for (const name of readdirSync(dist))
    if (name !== "chunks" && name !== "dbdoctor.js") rmSync(join(dist, name), { recursive: true, force: true });
