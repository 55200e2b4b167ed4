// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} is the .env syntax under test
// Differential test: random .env files read by our parser and by the real python-dotenv (when it is installed).
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { parseDotenv } from "../../../src/resolve/dotenv.js";

const probe = spawnSync("python3", ["-c", "import dotenv.main"], { encoding: "utf8" });
const hasPythonDotenv = probe.status === 0;
if (!hasPythonDotenv)
  console.warn("skipping the python-dotenv differential test: python3 with python-dotenv is not installed");

const ENV = { A: "envA", HOME: "/home/x", EMPTY: "" };
const PIECES = [
  "A",
  "B",
  "URL",
  "export ",
  "'",
  '"',
  "=",
  " = ",
  "#",
  " #",
  "\\",
  "\\n",
  "\\'",
  '\\"',
  "${A}",
  "${B:-d}",
  "${EMPTY:-d}",
  "$A",
  "\n",
  "\r\n",
  "\r",
  "\t",
  " ",
  "x",
  "pa#ss",
  "@",
  "://",
  "\ufeff",
  "ü",
  "{",
  "}",
  "${",
  ":-",
  '"a\\nb\\"c"',
  "'q\\'r'",
  '="${A}"',
];
const dotenvText = fc.array(fc.constantFrom(...PIECES), { minLength: 0, maxLength: 24 }).map((parts) => parts.join(""));

const PY = `
import json, logging, os, sys
from dotenv.main import DotEnv
class H(logging.Handler):
    def __init__(self): super().__init__(); self.n = 0
    def emit(self, r): self.n += 1
h = H(); logging.getLogger("dotenv.main").addHandler(h)
out = []
for path in json.load(sys.stdin):
    h.n = 0
    d = DotEnv(path, override=True, interpolate=True, encoding="utf-8").dict()
    out.append({"vars": {k: v for k, v in d.items() if v is not None}, "problems": h.n})
json.dump(out, sys.stdout)
`;

const dir = mkdtempSync(join(tmpdir(), "dbdoctor-dotenv-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("parseDotenv against python-dotenv", () => {
  it.skipIf(!hasPythonDotenv)("reads 400 random files exactly as python-dotenv 1.2 does", () => {
    const texts = fc.sample(dotenvText, { numRuns: 400, seed: 20241124 });
    texts.push(
      "A='x'y\nB=1",
      "export\nA",
      "'A'=1\n'B",
      "A=${A}${A:-z}\nA=${A}",
      "=x\n\n\nB='\n",
      'A="x\\ny\\t\\"q\\" \\\\ \\a\\b\\f\\r\\v \\z"',
      "A='x\\'y\\\\z\\n'",
      "A=v #c\nB=v#c\nC= #c\nD=\t#c",
    );
    const paths = texts.map((t, i) => {
      const p = join(dir, `${i}.env`);
      writeFileSync(p, t, "utf8");
      return p;
    });
    const py = spawnSync("python3", ["-c", PY], {
      input: JSON.stringify(paths),
      encoding: "utf8",
      env: { ...ENV, PATH: process.env.PATH ?? "" },
      maxBuffer: 64 * 1024 * 1024,
    });
    expect(py.status, py.stderr).toBe(0);
    const oracle = JSON.parse(py.stdout) as { vars: Record<string, string>; problems: number }[];
    let compared = 0;
    texts.forEach((text, i) => {
      const ours = parseDotenv(text, "f.env", { ...ENV, PATH: process.env.PATH });
      const values = Object.fromEntries(Object.entries(ours.vars).map(([k, e]) => [k, e.value]));
      // python's os.environ also holds the interpreter's own variables; only our keys are compared.
      expect({ text, values }).toEqual({ text, values: oracle[i]?.vars });
      expect({ text, problems: ours.problems.filter((p) => p.kind === "syntax").length }).toEqual({
        text,
        problems: oracle[i]?.problems,
      });
      compared++;
    });
    expect(compared).toBe(texts.length);
  });
});
