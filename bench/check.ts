// Budget (DESIGN.md "Speed"): `dbdoctor check` (parse, files, probe, all six modes) within 3x the wall time of one
// `psql` verify-full connection running `select 1`, on the same lab server, in alternating runs.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { certPath, LAB_PASSWORD, startLab } from "../scripts/lab/index.js";
import { alternate, CLI, median, wallMs } from "./lib.js";

const RUNS = Number(process.env.BENCH_RUNS ?? 15);

export async function benchCheck(): Promise<{ ratio: number; lines: string[] }> {
  const lab = await startLab(["good"]);
  const home = mkdtempSync(join(tmpdir(), "dbdoctor-bench-"));
  try {
    const server = lab.servers.get("good");
    if (!server) throw new Error("the lab's good server did not start");
    const conn = `host=localhost port=${server.port} user=app dbname=postgres sslmode=verify-full sslrootcert=${certPath("root-ca.crt")}`;
    const env = { ...process.env, HOME: home, PGPASSWORD: LAB_PASSWORD, NO_COLOR: "1" };
    const check = () => {
      const r = wallMs(process.execPath, ["--", CLI, "check", conn, "--format", "json"], env);
      if (r.status === 2) throw new Error("dbdoctor check could not run");
      return r.ms;
    };
    const psql = () => {
      const r = wallMs("psql", ["-X", "-A", "-t", "-c", "select 1", conn], env);
      if (r.status !== 0) throw new Error("psql could not connect to the lab's good server");
      return r.ms;
    };
    const r = alternate(RUNS, check, psql);
    const node = median(Array.from({ length: 10 }, () => wallMs(process.execPath, ["-e", "0"]).ms));
    return {
      ratio: r.ratio,
      lines: [
        `check: median ${r.a.toFixed(0)} ms vs psql verify-full ${r.b.toFixed(0)} ms: ratio ${r.ratio.toFixed(2)} (budget 3)`,
        `       node -e 0 alone: ${node.toFixed(0)} ms; check minus node start-up vs psql: ${((r.a - node) / r.b).toFixed(2)}`,
      ],
    };
  } finally {
    await lab.stop();
    rmSync(home, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) console.log((await benchCheck()).lines.join("\n"));
