// Budget (DESIGN.md "Speed"): `dbdoctor --version` within 1.3x of `node -e 0`.
import { alternate, CLI, wallMs } from "./lib.js";

const RUNS = Number(process.env.BENCH_RUNS ?? 30);

export function benchVersion(): { ratio: number; line: string } {
  const r = alternate(
    RUNS,
    () => wallMs(process.execPath, ["--", CLI, "--version"]).ms,
    () => wallMs(process.execPath, ["-e", "0"]).ms,
  );
  const line = `--version: median ${r.a.toFixed(1)} ms vs node -e 0 ${r.b.toFixed(1)} ms: ratio ${r.ratio.toFixed(2)} (budget 1.3)`;
  return { ratio: r.ratio, line };
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(benchVersion().line);
