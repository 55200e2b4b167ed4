// Small helpers for the benchmarks: wall time of a command, medians. Benchmarks are not tests; they print.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

export const CLI = fileURLToPath(new URL("../dist/dbdoctor.js", import.meta.url));

export function wallMs(
  cmd: string,
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): { ms: number; status: number | null } {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { env, stdio: ["ignore", "ignore", "pipe"], encoding: "utf8" });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.error) throw r.error;
  return { ms, status: r.status };
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/** Runs A and B alternately (so drift and noise hit both alike) and reports medians and the median ratio. */
export function alternate(
  runs: number,
  a: () => number,
  b: () => number,
): { a: number; b: number; ratio: number; ratios: number[] } {
  const as: number[] = [];
  const bs: number[] = [];
  const ratios: number[] = [];
  a();
  b(); // warm the page cache and the server
  for (let i = 0; i < runs; i++) {
    const x = a();
    const y = b();
    as.push(x);
    bs.push(y);
    ratios.push(x / y);
  }
  return { a: median(as), b: median(bs), ratio: median(ratios), ratios };
}
