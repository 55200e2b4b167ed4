// The folders show the pipeline and the imports follow it: the kernel imports nothing of ours, stages measure
// without judging (no rules, report or cli), rules judge without printing, renderers print, and nothing imports
// upward or in a circle. Type-only imports count: a type is a dependency of the design too.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const SRC = resolve(new URL("../../../src", import.meta.url).pathname);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : [],
  );
}

/** src-relative module paths (no extension) a file imports: static, re-exports and dynamic import(). */
function importsOf(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const specs = [
    ...text.matchAll(/\b(?:import|export)\s[^;]*?\bfrom\s+"(\.[^"]+)"/g),
    ...text.matchAll(/\bimport\s*\(\s*"(\.[^"]+)"\s*\)/g),
    ...text.matchAll(/^import\s+"(\.[^"]+)";/gm),
  ].map((m) => m[1] as string);
  return specs.map((s) => relative(SRC, resolve(dirname(file), s)).replace(/\.js$/, ""));
}

const GRAPH = new Map(sourceFiles(SRC).map((f) => [relative(SRC, f).replace(/\.ts$/, ""), importsOf(f)]));

/** The layer of a module: its top folder, or "shared" for the few top-level modules (errors, secrets, version). */
function layerOf(module: string): string {
  return module.includes("/") ? (module.split("/")[0] as string) : "shared";
}

const STAGES = ["resolve", "conninfo", "pki", "probe", "modes", "ops", "audit"];
/** What each layer may import (besides itself). */
const ALLOWED: Record<string, readonly string[]> = {
  shared: [],
  model: ["shared"],
  ...Object.fromEntries(STAGES.map((s) => [s, ["model", "shared", ...STAGES]])),
  rules: ["model", "shared", ...STAGES],
  report: ["model", "shared", "rules", ...STAGES],
  engine: ["model", "shared", "rules", "report", ...STAGES],
  // The exporter is a front end beside the CLI: it runs engines and renders their reports over HTTP.
  exporter: ["model", "shared", "rules", "report", "engine", ...STAGES],
  cli: ["model", "shared", "rules", "report", "engine", "exporter", ...STAGES],
};

/**
 * Imports that break the layering today and are being moved (the rule families that still run inside their
 * stage). The list only shrinks: an entry that no longer exists fails the test, so it must be removed.
 */
const KNOWN_DEBT: readonly string[] = [];

/** Cycles being removed with the same moves; empty now, kept so a new cycle is a one-line, visible exception. */
const KNOWN_CYCLES: readonly string[] = [];

describe("the import graph of src/", () => {
  it("every module is in a known layer", () => {
    const unknown = [...GRAPH.keys()].filter((m) => ALLOWED[layerOf(m)] === undefined);
    expect(unknown).toEqual([]);
  });

  it("no layer imports upward: stages never import rules, report, cli or engine; rules never import report", () => {
    const violations: string[] = [];
    for (const [from, targets] of GRAPH)
      for (const to of targets) {
        const a = layerOf(from);
        const b = layerOf(to);
        if (a !== b && !ALLOWED[a]?.includes(b)) violations.push(`${from} -> ${to}`);
      }
    expect(violations.filter((v) => !KNOWN_DEBT.includes(v)).sort()).toEqual([]);
    expect(
      KNOWN_DEBT.filter((v) => !violations.includes(v)),
      "resolved debt: remove it from KNOWN_DEBT",
    ).toEqual([]);
  });

  it("has no circular imports", () => {
    const cycles: string[] = [];
    const state = new Map<string, "visiting" | "done">();
    const stack: string[] = [];
    const visit = (m: string) => {
      state.set(m, "visiting");
      stack.push(m);
      for (const to of GRAPH.get(m) ?? []) {
        if (!GRAPH.has(to)) continue;
        if (state.get(to) === "visiting") cycles.push([...stack.slice(stack.indexOf(to)), to].join(" -> "));
        else if (!state.has(to)) visit(to);
      }
      stack.pop();
      state.set(m, "done");
    };
    for (const m of GRAPH.keys()) if (!state.has(m)) visit(m);
    expect(cycles.filter((c) => !KNOWN_CYCLES.includes(c))).toEqual([]);
    expect(
      KNOWN_CYCLES.filter((c) => !cycles.includes(c)),
      "resolved cycle: remove it from KNOWN_CYCLES",
    ).toEqual([]);
  });

  it("the graph is read from the real tree (a sanity check of the parser)", () => {
    expect(GRAPH.get("rules/registry")).toContain("rules/modes/index");
    expect(GRAPH.get("cli/app")?.some((m) => m.startsWith("engine/"))).toBe(true);
  });
});
