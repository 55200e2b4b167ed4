// Budget (DESIGN.md "Speed"): `dbdoctor --version` within 1.3x of `node -e 0`, measured as the installed command
// starts: the file run as a program, through its `#!/usr/bin/env sh` line and `exec node -- "$0"`.
import { alternate, CLI, wallMs } from "./lib.js";

const RUNS = Number(process.env.BENCH_RUNS ?? 30);

export function benchVersion(): { ratio: number; line: string } {
  const bin = alternate(
    RUNS,
    () => wallMs(CLI, ["--version"]).ms,
    () => wallMs(process.execPath, ["-e", "0"]).ms,
  );
  const direct = alternate(
    RUNS,
    () => wallMs(process.execPath, ["--", CLI, "--version"]).ms,
    () => wallMs(process.execPath, ["-e", "0"]).ms,
  );
  const line =
    `--version: median ${bin.a.toFixed(1)} ms vs node -e 0 ${bin.b.toFixed(1)} ms: ratio ${bin.ratio.toFixed(2)} (budget 1.3); ` +
    `without the sh start-up (node -- dist/dbdoctor.js) ${direct.ratio.toFixed(2)}`;
  return { ratio: bin.ratio, line };
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(benchVersion().line);
