// Acceptance (issue 16): the package as users get it. A clean clone of HEAD is installed (npm ci) and packed
// (npm pack, whose prepack builds dist/), the tarball is installed into an empty prefix (npm install --global
// --offline: it has no dependency to fetch), and the installed bin runs --version, check --offline and audit:
// directly, with BusyBox's env as the interpreter of its first line (Alpine, so every node:*-alpine image), under
// BusyBox's sh, and (when run as root) as an unprivileged user as in the image. Slow: minutes on a busy machine.
import { type SpawnSyncReturns, spawnSync } from "node:child_process";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadAction, runAction } from "../helpers/action-runner.js";
import { assertValidReport } from "../helpers/schema.js";
import { auditSchemaErrors } from "../unit/audit/helpers.js";

const ROOT = new URL("../../", import.meta.url).pathname;
const BUSYBOX = spawnSync("sh", ["-c", "command -v busybox"], { encoding: "utf8" }).stdout.trim();
const SKIP = BUSYBOX === "" ? "busybox is not installed (Debian package busybox; .ci/run installs it)" : undefined;
if (SKIP) console.log(`install test skipped: ${SKIP}`);

const MINUTES = 60_000;
let tmp = "";
let clone = "";
let prefix = "";
let tarball = "";
let packed: Array<{ path: string; mode: number }> = [];
let staleBeforePack = 0;
const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string };

function sh(
  cmd: string,
  args: string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): SpawnSyncReturns<string> {
  const r = spawnSync(cmd, args, {
    cwd: opts.cwd,
    env: { ...process.env, npm_config_update_notifier: "false", ...opts.env },
    encoding: "utf8",
    timeout: 15 * MINUTES,
  });
  if (r.error) throw r.error;
  return r;
}
function ok(r: SpawnSyncReturns<string>, what: string): string {
  if (r.status !== 0) throw new Error(`${what} exited ${r.status}:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/** dist/ files reachable from the entry through static and dynamic imports. */
function reachable(dist: string): Set<string> {
  const seen = new Set<string>();
  const visit = (rel: string) => {
    if (seen.has(rel)) return;
    seen.add(rel);
    const text = readFileSync(join(dist, rel), "utf8");
    for (const m of text.matchAll(/(?:from|import)\s*\(?\s*["'](\.{1,2}\/[^"']+)["']/g))
      visit(resolve("/", dirname(rel), m[1] as string).slice(1));
  };
  visit("dbdoctor.js");
  return seen;
}

beforeAll(() => {
  if (SKIP) return;
  tmp = mkdtempSync(join(tmpdir(), "dbdoctor-install-"));
  clone = join(tmp, "clone");
  ok(sh("git", ["clone", "--quiet", "--no-hardlinks", ROOT, clone]), "git clone");
  ok(sh("npm", ["ci", "--ignore-scripts", "--no-audit", "--no-fund"], { cwd: clone }), "npm ci");
  // Two builds of different sources leave the first build's chunks behind (kept for running processes)...
  ok(sh("npm", ["run", "build", "--silent"], { cwd: clone }), "first build");
  const spec = join(clone, "src/cli/spec.ts");
  const source = readFileSync(spec, "utf8");
  writeFileSync(spec, source.replace("Report format (repeatable", "Report format, an older build (repeatable"));
  ok(sh("npm", ["run", "build", "--silent"], { cwd: clone }), "second build");
  writeFileSync(spec, source);
  staleBeforePack = readdirSync(join(clone, "dist/chunks")).length - [...reachable(join(clone, "dist"))].length + 1;
  // ...which npm pack must not ship: prepack builds dist/ clean.
  const out = ok(sh("npm", ["pack", "--json", "--pack-destination", tmp], { cwd: clone }), "npm pack");
  const info = JSON.parse(out.slice(out.indexOf("["))) as Array<{ filename: string; files: typeof packed }>;
  tarball = join(tmp, info[0]?.filename ?? "");
  packed = info[0]?.files ?? [];
  prefix = join(tmp, "prefix");
  mkdirSync(prefix);
  ok(
    sh("npm", ["install", "--global", "--offline", "--prefix", prefix, "--no-audit", "--no-fund", tarball]),
    "npm install --global",
  );
}, 20 * MINUTES);

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe.skipIf(SKIP !== undefined)("the installed package", () => {
  const bin = () => join(prefix, "bin", "dbdoctor");
  const installed = () => join(prefix, "lib", "node_modules", "dbdoctor");
  // A directory with only node in it, for PATHs that must not offer another sh.
  const nodeOnly = () => {
    const dir = join(tmp, "node-only");
    if (!existsSync(dir)) {
      mkdirSync(dir);
      symlinkSync(process.execPath, join(dir, "node"));
    }
    return dir;
  };
  // BusyBox's applets, env and sh first on PATH (as on Alpine, where /usr/bin/env and /bin/sh are BusyBox).
  const busybox = () => {
    const dir = join(tmp, "busybox");
    if (!existsSync(dir)) {
      mkdirSync(dir);
      for (const applet of ["env", "sh"]) symlinkSync(BUSYBOX, join(dir, applet));
    }
    return dir;
  };
  const fixtures = () => join(clone, "fixtures", "audit");

  /** The three runs of the acceptance, through `launch` (a command line that starts the bin). */
  function acceptance(launch: (args: string[]) => SpawnSyncReturns<string>) {
    const version = launch(["--version"]);
    expect(version.stderr).toBe("");
    expect(version.stdout).toBe(`${pkg.version}\n`);
    const check = launch(["check", "--offline", "--fail-on", "warning", "--format", "json", "host=db sslmode=disable"]);
    expect(check.status, check.stderr).toBe(1); // sslmode=disable is a warning
    assertValidReport(check.stdout);
    const audit = launch(["audit", fixtures(), "--format", "json"]);
    expect(audit.status, audit.stderr).toBe(1);
    expect(auditSchemaErrors(JSON.parse(audit.stdout))).toEqual([]);
    // Node reads a --env-file after the script itself (exit 9 when missing); the start-up line stops that.
    const missing = launch(["parse", "--env-file", join(tmp, "missing.env")]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain("cannot read --env-file");
  }

  it("packs no stale chunk and an executable bin", () => {
    expect(staleBeforePack, "the second build left the first one's chunks").toBeGreaterThan(0);
    const paths = packed.map((f) => f.path).sort();
    const inDist = paths.filter((p) => p.startsWith("dist/")).map((p) => p.slice("dist/".length));
    expect(new Set(inDist)).toEqual(reachable(join(installed(), "dist")));
    expect(paths).toEqual(expect.arrayContaining(["LICENSE", "README.md", "package.json", "docs/findings.md"]));
    expect(paths.filter((p) => !/^(dist|docs)\/|^(LICENSE|README\.md|package\.json)$/.test(p))).toEqual([]);
    const entry = packed.find((f) => f.path === "dist/dbdoctor.js");
    expect((entry?.mode ?? 0) & 0o111).not.toBe(0);
  });

  it("installs one package (at most 3) with a bin linked to the entry", () => {
    const names: string[] = [];
    const walk = (dir: string) => {
      if (!existsSync(dir)) return;
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (name.startsWith("@")) walk(path);
        else if (existsSync(join(path, "package.json"))) {
          names.push(name);
          walk(join(path, "node_modules"));
        }
      }
    };
    walk(join(prefix, "lib", "node_modules"));
    expect(names).toEqual(["dbdoctor"]);
    expect(names.length).toBeLessThanOrEqual(3);
    expect(resolve(dirname(bin()), readlinkSync(bin()))).toBe(join(installed(), "dist", "dbdoctor.js"));
    expect(statSync(bin()).mode & 0o111).not.toBe(0);
    expect(readFileSync(bin(), "utf8").split("\n", 1)[0]).toBe("#!/usr/bin/env sh");
  });

  it("runs directly", () => {
    acceptance((args) => sh(bin(), args, { env: { NO_COLOR: "1" } }));
  });

  it("runs with BusyBox's env as the interpreter of its first line", () => {
    const entry = join(installed(), "dist", "dbdoctor.js");
    const text = readFileSync(entry, "utf8");
    const env = { PATH: `${busybox()}:${nodeOnly()}`, NO_COLOR: "1", HOME: tmp };
    // The same file with its first line pointing at BusyBox's env: the kernel runs busybox env sh FILE ARGS.
    writeFileSync(entry, text.replace(/^#!\/usr\/bin\/env sh\n/, `#!${busybox()}/env sh\n`));
    try {
      acceptance((args) => sh(bin(), args, { env }));
      // Control: the start-up line this replaced needs GNU env's -S, which BusyBox's env does not have.
      writeFileSync(entry, text.replace(/^#!\/usr\/bin\/env sh\n/, `#!${busybox()}/env -S node --\n`));
      const old = sh(bin(), ["--version"], { env });
      expect(old.status).not.toBe(0);
      expect(old.stdout).toBe("");
    } finally {
      writeFileSync(entry, text);
    }
  });

  it("runs under BusyBox's sh", () => {
    acceptance((args) => sh(BUSYBOX, ["sh", bin(), ...args], { env: { PATH: nodeOnly(), NO_COLOR: "1", HOME: tmp } }));
  });

  const setpriv = spawnSync("sh", ["-c", "command -v setpriv"], { encoding: "utf8" }).stdout.trim();
  it.skipIf(process.getuid?.() !== 0 || setpriv === "")("runs as an unprivileged user (the image's USER)", () => {
    chmodSync(tmp, 0o755); // mkdtemp made it 0700; what it holds is readable
    const asNobody = (args: string[]) =>
      sh(setpriv, ["--reuid=65534", "--regid=65534", "--clear-groups", BUSYBOX, "sh", bin(), ...args], {
        env: { PATH: `${busybox()}:${nodeOnly()}`, NO_COLOR: "1", HOME: tmp },
      });
    expect(sh(setpriv, ["--reuid=65534", "--regid=65534", "--clear-groups", "id", "-u"]).stdout.trim()).toBe("65534");
    acceptance(asNobody);
  });

  it(
    "is what the GitHub Action installs from its own checkout, and the action runs it",
    () => {
      const temp = join(tmp, "runner-temp");
      mkdirSync(temp);
      const r = runAction(loadAction(join(clone, "action.yml")), {
        actionPath: clone,
        workspace: clone,
        temp,
        inputs: { command: "audit", paths: "fixtures/audit" },
        env: { NO_COLOR: "1" },
      });
      const install = r.steps[0];
      expect(install?.status, `${install?.stdout}\n${install?.stderr}`).toBe(0);
      const added = readFileSync(join(temp, "github-path"), "utf8").trim();
      expect(readlinkSync(join(added, "dbdoctor"))).toContain("dbdoctor/dist/dbdoctor.js");
      expect(r.outputs["exit-code"]).toBe("1");
      expect(r.steps.find((s) => s.step.uses !== undefined)?.with?.sarif_file).toBe(r.outputs.sarif);
      expect(existsSync(r.outputs.sarif ?? "")).toBe(true);
    },
    20 * MINUTES,
  );
});
