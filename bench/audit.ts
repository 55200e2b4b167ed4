// Benchmark (not a test): `dbdoctor audit` over 10,000 settings in 1,000 files, offline, through the built CLI.
// Budget (issue 8): under 2 s on the project machine. Run with `npm run bench:audit` (builds first).
// The tree mixes the readers: .env files, docker-compose (list and map environment), Kubernetes manifests
// (container env, ConfigMap, Secret with base64 data), Helm values and logs; settings vary in password,
// sslmode, host and file parameters, so the caches see a realistic mix rather than one repeated value.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const CLI = fileURLToPath(new URL("../dist/dbdoctor.js", import.meta.url));
const FILES = Number(process.env.AUDIT_BENCH_FILES ?? 1000);
const PER_FILE = 10;
const RUNS = Number(process.env.AUDIT_BENCH_RUNS ?? 5);
const MODES = ["disable", "prefer", "require", "verify-ca", "verify-full", "verify_full"];

function url(i: number): string {
  const mode = MODES[i % MODES.length];
  const files =
    i % 7 === 0
      ? "&sslrootcert=../certs/ca.crt"
      : i % 11 === 0
        ? "&sslcert=../certs/client.crt&sslkey=../certs/client.key"
        : "";
  const user = i % 3 === 0 ? `app${i}:pw-${i}-secret` : `app${i}`;
  return `postgresql://${user}@db${i % 50}.internal:${5432 + (i % 3)}/app${i}?sslmode=${mode}${files}`;
}

function generate(root: string): number {
  mkdirSync(join(root, "certs"));
  writeFileSync(join(root, "certs", "ca.crt"), "not a certificate\n");
  writeFileSync(join(root, ".gitignore"), "ignored/\n");
  let n = 0;
  for (let f = 0; f < FILES; f++) {
    const dir = join(root, `svc${Math.floor(f / 20)}`);
    mkdirSync(dir, { recursive: true });
    const kind = f % 5;
    const urls = Array.from({ length: PER_FILE }, () => url(n++));
    if (kind === 0 || kind === 1) {
      writeFileSync(
        join(dir, `app${f}.env`),
        urls.map((u, i) => `${i === 0 ? "SKILLFLAW_DATABASE_URL" : `DB_${i}_URL`}=${u}\nOTHER_${i}=x\n`).join(""),
      );
    } else if (kind === 2) {
      const env = urls.map((u, i) => (i % 2 ? `      - DATABASE_URL_${i}=${u}` : `      DB${i}: "${u}"`));
      const list = env.filter((l) => l.includes("- ")).join("\n");
      const map = env.filter((l) => !l.includes("- ")).join("\n");
      writeFileSync(
        join(dir, `docker-compose-${f}.yml`),
        `services:\n  a:\n    environment:\n${list}\n  b:\n    environment:\n${map}\n`,
      );
    } else if (kind === 3) {
      const env = urls
        .slice(0, 5)
        .map((u, i) => `            - name: DB_URL_${i}\n              value: "${u}"`)
        .join("\n");
      const data = urls
        .slice(5)
        .map((u, i) => `  URL_${i}: ${Buffer.from(u).toString("base64")}`)
        .join("\n");
      writeFileSync(
        join(dir, `k8s-${f}.yaml`),
        `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: s${f}\nspec:\n  template:\n    spec:\n      containers:\n        - name: c\n          env:\n${env}\n---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: s${f}\ndata:\n${data}\n`,
      );
    } else {
      writeFileSync(
        join(dir, `run-${f}.txt`),
        urls.map((u, i) => `2025-01-01T00:00:0${i}Z ERROR cannot reach ${u}: timeout`).join("\n"),
      );
    }
  }
  return n;
}

// AUDIT_BENCH_KEEP=1 leaves the tree in place (its path is printed) for profiling with --cpu-prof.
const keep = process.env.AUDIT_BENCH_KEEP === "1";
const root = mkdtempSync(join(tmpdir(), "dbdoctor-audit-bench-"));
try {
  const settings = generate(root);
  const times: number[] = [];
  let found = "";
  for (let r = 0; r < RUNS; r++) {
    const t0 = performance.now();
    const p = spawnSync(
      process.execPath,
      [CLI, "audit", root, "--format", "json", "--output", "/dev/null", "--fail-on", "never"],
      {
        encoding: "utf8",
        // As in a CI log: the text report still goes to stdout (the --output pairing keeps it on the terminal).
        stdio: ["ignore", "ignore", "pipe"],
      },
    );
    times.push(performance.now() - t0);
    if (p.status !== 0) throw new Error(`dbdoctor audit exited ${p.status}: ${p.stderr}`);
    if (r === 0) {
      const q = spawnSync(process.execPath, [CLI, "audit", root, "--format", "json", "--fail-on", "never"], {
        encoding: "utf8",
        maxBuffer: 1 << 30,
      });
      const report = JSON.parse(q.stdout) as { summary: { files: number; settings: number } };
      found = `${report.summary.settings} settings in ${report.summary.files} files`;
      if (report.summary.settings !== settings)
        throw new Error(`expected ${settings} settings, the audit found ${found}`);
    }
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)] ?? Number.NaN;
  console.log(`dbdoctor audit: ${found}, ${RUNS} runs`);
  console.log(`  wall times (ms): ${times.map((t) => t.toFixed(0)).join(", ")}`);
  console.log(
    `  median: ${median.toFixed(0)} ms (budget 2000 ms) -> ${median < 2000 ? "within budget" : "OVER BUDGET"}`,
  );
} finally {
  if (keep) console.log(`  tree kept in ${root}`);
  else rmSync(root, { recursive: true, force: true });
}
