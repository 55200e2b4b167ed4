/**
 * npm run demo: on a fresh clone, generate the lab PKI, start a few TLS scenarios on real PostgreSQL,
 * run the built dbdoctor against each, show what real libpq (psql) does with the same settings, and
 * stop everything (also on Ctrl-C: the lab's signal handlers stop the servers).
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { certPath, LAB_PASSWORD, type LabServer, psqlConnect, psqlMajor, REPO_ROOT, startLab } from "./lab/index.js";

const CLI = path.join(REPO_ROOT, "dist", "dbdoctor.js");
const tty = Boolean(process.stdout.isTTY);
const bold = (s: string) => (tty ? `\x1b[1m${s}\x1b[22m` : s);
const dim = (s: string) => (tty ? `\x1b[2m${s}\x1b[22m` : s);

/** What an application would be configured with, per scenario. */
interface DemoCase {
  scenario: string;
  story: string;
  client: Record<string, string>;
  user: string;
}

const ROOT = certPath("root-ca.crt");
const CASES: DemoCase[] = [
  {
    scenario: "good",
    story: "all is well: verify-full against the lab root CA",
    client: { host: "localhost", sslmode: "verify-full", sslrootcert: ROOT },
    user: "app",
  },
  {
    scenario: "wrong-host",
    story: "the certificate names another host",
    client: { host: "localhost", sslmode: "verify-full", sslrootcert: ROOT },
    user: "app",
  },
  {
    scenario: "expired",
    story: "the server certificate has expired",
    client: { host: "localhost", sslmode: "verify-full", sslrootcert: ROOT },
    user: "app",
  },
  {
    scenario: "intermediate-missing",
    story: "the server does not send its intermediate CA",
    client: { host: "localhost", sslmode: "verify-full", sslrootcert: ROOT },
    user: "app",
  },
  {
    scenario: "ssl-off",
    story: "the application requires SSL, the server has it off",
    client: { host: "localhost", sslmode: "require" },
    user: "app",
  },
];

/** The application's URL, without the password: that travels in PGPASSWORD, never in argv (ps shows argv). */
function url(srv: LabServer, c: DemoCase): string {
  const { host = "localhost", ...params } = c.client;
  const query = new URLSearchParams(params).toString().replace(/%2F/g, "/");
  return `postgresql://${c.user}@${host}:${srv.port}/postgres?${query}`;
}

/**
 * The rest of the application's environment. The lab servers have max_connections = 20, which SkillFlaw's
 * default pools (20 + 30 per process) would exceed; an operator of such a server sizes the pool down.
 */
const APP_ENV = { SKILLFLAW_DB_CONNECTION_SETTINGS: '{"pool_size": 5, "max_overflow": 5}' };

/** The dbdoctor commands run against each scenario: the full diagnosis. */
const COMMANDS: ((srv: LabServer, c: DemoCase) => string[] | undefined)[] = [(srv, c) => ["check", url(srv, c)]];

function redactArgs(args: string[]): string {
  return args
    .map((a) => a.replace(/:\/\/([^:@/]+):[^@]*@/, "://$1:***@"))
    .map((a) => (/[\s&?]/.test(a) ? `'${a}'` : a))
    .join(" ");
}

function runCli(args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const env: NodeJS.ProcessEnv = { ...process.env, PGPASSWORD: LAB_PASSWORD, ...APP_ENV };
    if (tty) env.FORCE_COLOR = "1";
    const child = spawn(process.execPath, [CLI, ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.on("data", (d: Buffer) => {
      out += d.toString();
    });
    child.on("close", (code) => resolve({ code, out }));
  });
}

let interrupted = false;
for (const sig of ["SIGINT", "SIGTERM"] as const) {
  // The lab's own handlers stop the servers and exit; this only stops the demo from starting new commands.
  process.once(sig, () => {
    interrupted = true;
    console.log(dim(`\n${sig}: stopping the lab`));
  });
}

async function main(): Promise<void> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing; run npm run build (npm run demo does)`);
  const t0 = performance.now();
  console.log(bold("dbdoctor demo: real PostgreSQL servers, one per TLS scenario"));
  const lab = await startLab(CASES.map((c) => c.scenario));
  const major = [...lab.servers.values()][0]?.major;
  console.log(
    dim(
      `${lab.servers.size} servers (PostgreSQL ${major}, ${[...lab.servers.values()][0]?.backend}) up in ${lab.startupMs} ms\n`,
    ),
  );
  const libpq = await psqlMajor().catch(() => 0);
  try {
    for (const c of CASES) {
      const srv = lab.servers.get(c.scenario);
      if (!srv || interrupted) break;
      console.log(bold(`━━ ${c.scenario}: ${c.story} ━━`));
      for (const make of COMMANDS) {
        const args = make(srv, c);
        if (!args || interrupted) continue;
        const envShown = Object.entries(APP_ENV).map(([k, v]) => `${k}='${v}'`);
        console.log(dim(`$ PGPASSWORD=*** ${envShown.join(" ")} dbdoctor ${redactArgs(args)}`));
        const r = await runCli(args);
        if (r.code === 2 && /not built yet/.test(r.out)) {
          console.log(dim(`  (dbdoctor ${args[0]} is not built yet in this checkout)`));
          continue;
        }
        process.stdout.write(r.out.endsWith("\n") || r.out === "" ? r.out : `${r.out}\n`);
        console.log(dim(r.code === null ? "  interrupted" : `  exit ${r.code}`));
      }
      if (libpq > 0 && !interrupted) {
        const r = await psqlConnect(srv, { settings: c.client, user: c.user, password: LAB_PASSWORD });
        if (interrupted) break;
        const said = r.ok ? "connected" : r.stderr.trim().replace(/^psql: error: /, "");
        console.log(dim(`libpq ${libpq} (psql) with the same settings: `) + said);
      }
      console.log("");
    }
  } finally {
    const t1 = performance.now();
    await lab.stop();
    console.log(
      dim(
        `lab stopped in ${Math.round(performance.now() - t1)} ms; demo took ${Math.round(performance.now() - t0)} ms`,
      ),
    );
  }
}

main().catch((err) => {
  console.error(`demo: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
});
