// The Dockerfile and .dockerignore read as Docker reads them (no Docker engine runs here): stages, the user, the
// entry point, what the runtime stage installs, and which files reach the build context. The image's contents are
// run as they will run by test/e2e/install.test.ts (the installed package under BusyBox's env and sh).
import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const ROOT = new URL("../../../", import.meta.url).pathname;

interface Instruction {
  keyword: string;
  args: string;
  line: number;
}

/** Instructions with continuation lines joined and comments dropped (the Dockerfile reference, "Format"). */
function parseDockerfile(text: string): Instruction[] {
  const out: Instruction[] = [];
  let pending: { text: string; line: number } | undefined;
  text.split("\n").forEach((raw, index) => {
    const line = raw.trim();
    if (pending === undefined && (line === "" || line.startsWith("#"))) return;
    if (pending !== undefined && line.startsWith("#")) return; // comments inside a continued instruction
    const continued = line.endsWith("\\");
    const body = continued ? line.slice(0, -1) : line;
    pending = pending ? { text: `${pending.text} ${body}`, line: pending.line } : { text: body, line: index + 1 };
    if (continued) return;
    const m = /^(\S+)\s*(.*)$/s.exec(pending.text.trim());
    if (m) out.push({ keyword: (m[1] as string).toUpperCase(), args: (m[2] as string).trim(), line: pending.line });
    pending = undefined;
  });
  return out;
}

interface Stage {
  image: string;
  name: string | undefined;
  instructions: Instruction[];
}

/**
 * Stages, with each FROM's image as a build without --build-arg gets it: an ARG before the first FROM is global and
 * only FROM lines may use it ($NAME or ${NAME}, its default).
 */
function stages(instructions: readonly Instruction[]): Stage[] {
  const out: Stage[] = [];
  const globalArgs = new Map<string, string>();
  for (const i of instructions) {
    if (i.keyword === "ARG" && out.length === 0) {
      const m = /^(\w+)(?:=(\S*))?$/.exec(i.args);
      if (!m) throw new Error(`line ${i.line}: cannot read ARG ${i.args}`);
      globalArgs.set(m[1] as string, m[2] ?? "");
    } else if (i.keyword === "FROM") {
      const m = /^(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?$/i.exec(i.args);
      if (!m) throw new Error(`line ${i.line}: cannot read FROM ${i.args}`);
      const image = (m[1] as string).replace(/\$\{(\w+)\}|\$(\w+)/g, (_, a?: string, b?: string) => {
        const name = (a ?? b) as string;
        const value = globalArgs.get(name);
        if (value === undefined) throw new Error(`line ${i.line}: FROM uses ${name}, which no global ARG declares`);
        return value;
      });
      out.push({ image, name: m[2], instructions: [] });
    } else {
      const current = out.at(-1);
      if (!current) throw new Error(`line ${i.line}: ${i.keyword} before FROM`);
      current.instructions.push(i);
    }
  }
  return out;
}

/**
 * .dockerignore as Docker applies it (moby/patternmatcher): patterns in order, the last match wins, `!` re-includes,
 * a pattern matches a path or any of its parent directories, `*` and `?` stay within one path segment and `**`
 * spans any number of them.
 */
function dockerignore(text: string): (path: string) => boolean {
  const rules = text
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "" && !l.startsWith("#"))
    .map((l) => {
      const negate = l.startsWith("!");
      const pattern = (negate ? l.slice(1) : l).trim().replace(/^\/+/, "").replace(/\/+$/, "");
      let re = "";
      for (let i = 0; i < pattern.length; i++) {
        const c = pattern[i] as string;
        if (c === "*" && pattern[i + 1] === "*") {
          re += ".*";
          i++;
          if (pattern[i + 1] === "/") i++;
        } else if (c === "*") re += "[^/]*";
        else if (c === "?") re += "[^/]";
        else re += c.replace(/[.+^${}()|[\]\\]/g, "\\$&");
      }
      return { negate, re: new RegExp(`^${re}$`) };
    });
  return (path) => {
    const parts = path.split("/");
    const candidates = parts.map((_, k) => parts.slice(0, k + 1).join("/"));
    let excluded = false;
    for (const r of rules) if (candidates.some((c) => r.re.test(c))) excluded = !r.negate;
    return excluded;
  };
}

const instructions = parseDockerfile(readFileSync(`${ROOT}Dockerfile`, "utf8"));
const all = stages(instructions);
const runtime = all.at(-1) as Stage;
const build = all[0] as Stage;
const of = (stage: Stage, keyword: string) => stage.instructions.filter((i) => i.keyword === keyword);

describe("Dockerfile", () => {
  it("builds in one stage and runs from node:20-alpine in another", () => {
    expect(all.length).toBeGreaterThanOrEqual(2);
    expect(build.name).toBe("build");
    expect(build.image).toBe("node:20-alpine");
    expect(runtime.image).toBe("node:20-alpine");
  });

  it("copies only from earlier stages, and only the packed tarball into the runtime stage", () => {
    const names = new Set<string>();
    for (const stage of all) {
      for (const copy of of(stage, "COPY")) {
        const from = /--from=(\S+)/.exec(copy.args)?.[1];
        if (from !== undefined) expect(names, `COPY --from=${from} at line ${copy.line}`).toContain(from);
      }
      if (stage.name) names.add(stage.name);
    }
    const copies = of(runtime, "COPY");
    expect(copies).toHaveLength(1);
    expect(copies[0]?.args).toMatch(/^--from=build \S+\.tgz \S+\.tgz$/);
  });

  it("packs with npm ci + npm pack (prepack builds a clean dist/) and installs that tarball globally", () => {
    const buildRuns = of(build, "RUN").map((r) => r.args);
    const ci = buildRuns.findIndex((r) => /\bnpm ci\b/.test(r));
    const pack = buildRuns.findIndex((r) => /\bnpm pack\b/.test(r));
    expect(ci).toBeGreaterThanOrEqual(0);
    expect(pack).toBeGreaterThan(ci);
    const install = of(runtime, "RUN")
      .map((r) => r.args)
      .join("\n");
    const tarball = (of(runtime, "COPY")[0]?.args.split(/\s+/).at(-1) ?? "") as string;
    expect(install).toContain(`npm install --global --no-audit --no-fund ${tarball}`);
    expect(install).not.toMatch(/\bnpm ci\b/);
    expect(install).toMatch(/\bdbdoctor --version\b/); // the image fails to build if the bin does not start
  });

  it("runs as an unprivileged, numeric user with dbdoctor as the entry point", () => {
    const user = of(runtime, "USER").at(-1)?.args ?? "";
    const [uid] = user.split(":");
    expect(uid).toMatch(/^\d+$/);
    expect(Number(uid)).toBeGreaterThan(0);
    const userLine = of(runtime, "USER").at(-1)?.line ?? 0;
    expect(
      of(runtime, "RUN").every((r) => r.line < userLine),
      "nothing runs as that user at build time",
    ).toBe(true);
    const entry = of(runtime, "ENTRYPOINT").at(-1)?.args ?? "";
    expect(JSON.parse(entry)).toEqual(["dbdoctor"]); // exec form: signals reach node, arguments pass through
  });
});

describe(".dockerignore", () => {
  const ignored = dockerignore(readFileSync(`${ROOT}.dockerignore`, "utf8"));
  it("matches as Docker does (the matcher itself)", () => {
    const m = dockerignore("*\n!src\n!scripts/build.mjs\ndocs/**/*.tmp\n");
    expect(m("node_modules/x/index.js")).toBe(true);
    expect(m("src/cli/app.ts")).toBe(false);
    expect(m("scripts/build.mjs")).toBe(false);
    expect(m("scripts/lab.ts")).toBe(true);
    expect(dockerignore("docs/**/*.tmp")("docs/a/b/c.tmp")).toBe(true);
    expect(dockerignore("docs/**/*.tmp")("docs/c.tmp")).toBe(true);
    expect(dockerignore("*.md")("docs/findings.md")).toBe(false);
  });
  it("sends what the build reads", () => {
    for (const path of [
      "package.json",
      "package-lock.json",
      "tsconfig.json",
      "LICENSE",
      "README.md",
      "scripts/build.mjs",
      "src/cli/main.ts",
      "src/conninfo/types.ts",
      "docs/findings.md",
      "docs/report.schema.json",
    ]) {
      expect(existsSync(`${ROOT}${path}`), path).toBe(true);
      expect(ignored(path), path).toBe(false);
    }
    // Everything package.json's "files" names, except dist/ which the build stage makes.
    const pkg = JSON.parse(readFileSync(`${ROOT}package.json`, "utf8")) as { files: string[] };
    for (const f of pkg.files.filter((x) => x !== "dist")) expect(ignored(f), f).toBe(false);
  });
  it("keeps out node_modules, dist, keys, .env files, the lab and the tests", () => {
    for (const path of [
      "node_modules/yargs/index.mjs",
      "dist/dbdoctor.js",
      "certs/ca.key",
      ".lab/good/postgresql.conf",
      ".git/HEAD",
      "fixtures/audit/app/.env",
      "test/e2e/install.test.ts",
      "scripts/lab.ts",
      ".env",
      "npm-debug.log",
    ])
      expect(ignored(path), path).toBe(true);
  });
});
