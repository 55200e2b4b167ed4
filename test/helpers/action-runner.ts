// Runs a composite GitHub Action (action.yml) on this machine the way a runner does, for the steps a runner runs
// itself: `run` steps with their shell and `env`, `${{ }}` expressions in `env`, `with` and `if`, the files behind
// $GITHUB_OUTPUT, $GITHUB_PATH and $GITHUB_STEP_SUMMARY, and step outputs. `uses` steps are not executed: they are
// returned with their evaluated `with`, so a test can check what they would receive (the SARIF upload).
// Expressions: contexts inputs/steps/github/runner, string literals, == and != (case-insensitive, as GitHub
// compares strings), &&, ||, !, parentheses, success()/always()/cancelled()/failure(). Anything else throws, so an
// action that uses more fails the test instead of being half-evaluated.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { delimiter, join } from "node:path";
import { parse } from "yaml";

export interface ActionStep {
  name?: string;
  id?: string;
  if?: string | boolean;
  shell?: string;
  run?: string;
  uses?: string;
  env?: Record<string, string>;
  with?: Record<string, string>;
}

export interface ActionFile {
  name: string;
  inputs: Record<string, { description?: string; default?: string; required?: boolean }>;
  outputs: Record<string, { description?: string; value: string }>;
  runs: { using: string; steps: ActionStep[] };
}

export function loadAction(path: string): ActionFile {
  return parse(readFileSync(path, "utf8")) as ActionFile;
}

type Value = string | boolean;

interface Context {
  inputs: Record<string, string>;
  steps: Record<string, { outputs: Record<string, string> }>;
  github: Record<string, string>;
  runner: Record<string, string>;
}

function tokenizeExpression(text: string): string[] {
  const tokens: string[] = [];
  const re = /\s*('(?:[^']|'')*'|&&|\|\||==|!=|!|\(|\)|[A-Za-z_][\w.-]*(?:\(\))?)/y;
  let m: RegExpExecArray | null;
  let at = 0;
  while (at < text.length) {
    re.lastIndex = at;
    m = re.exec(text);
    if (!m) {
      if (/^\s*$/.test(text.slice(at))) break;
      throw new Error(`cannot read expression at "${text.slice(at)}" in "${text}"`);
    }
    tokens.push(m[1] as string);
    at = re.lastIndex;
  }
  return tokens;
}

const truthy = (v: Value): boolean => (typeof v === "boolean" ? v : v !== "");

export function evaluate(expression: string, ctx: Context, status: { failed: boolean }): Value {
  const tokens = tokenizeExpression(expression);
  let i = 0;
  const peek = () => tokens[i];
  const next = () => tokens[i++];
  const lookup = (path: string): string => {
    const [root, ...rest] = path.split(".");
    let node: unknown = (ctx as unknown as Record<string, unknown>)[root ?? ""];
    if (node === undefined) throw new Error(`unknown context "${root}" in "${expression}"`);
    for (const key of rest) node = (node as Record<string, unknown> | undefined)?.[key];
    return typeof node === "string" ? node : "";
  };
  const primary = (): Value => {
    const t = next();
    if (t === undefined) throw new Error(`expression ends early: "${expression}"`);
    if (t === "(") {
      const v = or();
      if (next() !== ")") throw new Error(`missing ) in "${expression}"`);
      return v;
    }
    if (t === "!") return !truthy(primary());
    if (t.startsWith("'")) return t.slice(1, -1).replace(/''/g, "'");
    if (t === "success()") return !status.failed;
    if (t === "failure()") return status.failed;
    if (t === "always()") return true;
    if (t === "cancelled()") return false;
    if (t === "true" || t === "false") return t === "true";
    if (/^[A-Za-z_]/.test(t) && !t.endsWith("()")) return lookup(t);
    throw new Error(`unsupported "${t}" in "${expression}"`);
  };
  const comparison = (): Value => {
    const left = primary();
    const op = peek();
    if (op !== "==" && op !== "!=") return left;
    next();
    const right = primary();
    const same = String(left).toLowerCase() === String(right).toLowerCase();
    return op === "==" ? same : !same;
  };
  const and = (): Value => {
    let v = comparison();
    while (peek() === "&&") {
      next();
      const r = comparison();
      v = truthy(v) ? r : v;
    }
    return v;
  };
  const or = (): Value => {
    let v = and();
    while (peek() === "||") {
      next();
      const r = and();
      v = truthy(v) ? v : r;
    }
    return v;
  };
  const value = or();
  if (i !== tokens.length) throw new Error(`unexpected "${tokens[i]}" in "${expression}"`);
  return value;
}

/** A string with every `${{ }}` replaced by its value. */
function interpolate(text: string, ctx: Context, status: { failed: boolean }): string {
  return text.replace(/\$\{\{(.*?)\}\}/g, (_, inner: string) => String(evaluate(inner, ctx, status)));
}

/** A step's `if`: an expression with or without `${{ }}`; no `if` means success(). */
function condition(step: ActionStep, ctx: Context, status: { failed: boolean }): boolean {
  if (step.if === undefined) return !status.failed;
  if (typeof step.if === "boolean") return step.if;
  const inner = /^\s*\$\{\{(.*)\}\}\s*$/s.exec(step.if)?.[1] ?? step.if;
  // GitHub adds success() to a condition that calls no status function.
  const hasStatus = /\b(success|failure|always|cancelled)\(\)/.test(inner);
  return truthy(evaluate(inner, ctx, status)) && (hasStatus || !status.failed);
}

function readKeyValues(path: string): Record<string, string> {
  if (!existsSync(path)) return {};
  const out: Record<string, string> = {};
  for (const line of readFileSync(path, "utf8").split("\n")) {
    const eq = line.indexOf("=");
    if (eq > 0) out[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return out;
}

export interface StepResult {
  step: ActionStep;
  ran: boolean;
  status: number | null;
  stdout: string;
  stderr: string;
  summary: string;
  /** For a `uses` step that would run: its `with`, evaluated. */
  with?: Record<string, string>;
}

export interface ActionRun {
  steps: StepResult[];
  outputs: Record<string, string>;
  /** Whether the action failed (a run step exited non-zero). */
  failed: boolean;
}

/** Runs the action with these inputs (defaults filled in) in `workspace`, with `temp` as RUNNER_TEMP. */
export function runAction(
  action: ActionFile,
  opts: {
    actionPath: string;
    workspace: string;
    temp: string;
    inputs: Record<string, string>;
    env?: NodeJS.ProcessEnv;
  },
): ActionRun {
  if (action.runs.using !== "composite") throw new Error(`not a composite action: ${action.runs.using}`);
  const inputs: Record<string, string> = {};
  for (const [name, spec] of Object.entries(action.inputs)) inputs[name] = opts.inputs[name] ?? spec.default ?? "";
  for (const name of Object.keys(opts.inputs))
    if (!(name in action.inputs)) throw new Error(`the action has no input "${name}"`);
  const ctx: Context = {
    inputs,
    steps: {},
    github: { action_path: opts.actionPath, workspace: opts.workspace },
    runner: { temp: opts.temp, os: "Linux" },
  };
  const status = { failed: false };
  const pathFile = join(opts.temp, "github-path");
  writeFileSync(pathFile, "");
  const results: StepResult[] = [];
  action.runs.steps.forEach((step, index) => {
    if (!condition(step, ctx, status)) {
      results.push({ step, ran: false, status: null, stdout: "", stderr: "", summary: "" });
      return;
    }
    if (step.uses !== undefined) {
      const withValues = Object.fromEntries(
        Object.entries(step.with ?? {}).map(([k, v]) => [k, interpolate(String(v), ctx, status)]),
      );
      results.push({ step, ran: true, status: 0, stdout: "", stderr: "", summary: "", with: withValues });
      return;
    }
    if (step.shell !== "bash") throw new Error(`step ${index} runs with shell ${step.shell ?? "(none)"}`);
    const dir = join(opts.temp, `step-${index}`);
    mkdirSync(dir, { recursive: true });
    const outputFile = join(dir, "output");
    const summaryFile = join(dir, "summary");
    writeFileSync(outputFile, "");
    writeFileSync(summaryFile, "");
    const added = readFileSync(pathFile, "utf8").split("\n").filter(Boolean).reverse();
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      ...opts.env,
      GITHUB_ACTIONS: "true",
      GITHUB_ACTION_PATH: opts.actionPath,
      GITHUB_WORKSPACE: opts.workspace,
      GITHUB_OUTPUT: outputFile,
      GITHUB_PATH: pathFile,
      GITHUB_STEP_SUMMARY: summaryFile,
      RUNNER_TEMP: opts.temp,
      PATH: [...added, opts.env?.PATH ?? process.env.PATH].join(delimiter),
    };
    for (const [k, v] of Object.entries(step.env ?? {})) env[k] = interpolate(String(v), ctx, status);
    // GitHub's bash: bash --noprofile --norc -eo pipefail {0}
    const script = join(dir, "script.sh");
    writeFileSync(script, step.run ?? "");
    const r = spawnSync("bash", ["--noprofile", "--norc", "-eo", "pipefail", script], {
      cwd: opts.workspace,
      env,
      encoding: "utf8",
      timeout: 600_000,
    });
    if (step.id) ctx.steps[step.id] = { outputs: readKeyValues(outputFile) };
    if (r.status !== 0) status.failed = true;
    results.push({
      step,
      ran: true,
      status: r.status,
      stdout: r.stdout,
      stderr: r.stderr,
      summary: readFileSync(summaryFile, "utf8"),
    });
  });
  const outputs = Object.fromEntries(
    Object.entries(action.outputs).map(([k, o]) => [k, interpolate(o.value, ctx, status)]),
  );
  return { steps: results, outputs, failed: status.failed };
}
