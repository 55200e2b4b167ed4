import { readFile } from "node:fs/promises";
import { LAB_SUPERUSER } from "./template.js";
import type { LabServer, ServerSpec } from "./types.js";

/**
 * The testcontainers backend, for machines with a Docker engine (none of ours has one: its test skips
 * with the reason backendAvailable gives). Same ServerSpec, same files, the official image.
 */
export const DOCKER_MAJOR = 17;
const IMAGE = process.env.LAB_DOCKER_IMAGE || `postgres:${DOCKER_MAJOR}-alpine`;

function q(v: string): string {
  return `'${v.replace(/'/g, "'\\''")}'`;
}

export async function startDockerServer(spec: ServerSpec): Promise<LabServer> {
  const t0 = performance.now();
  const { GenericContainer, Wait } = await import("testcontainers");
  const { sqlIdent, sqlLiteral } = await import("./server.js");
  const files: { content: string; target: string; mode: number }[] = [];
  const args: string[] = [
    "-c",
    "hba_file=/lab/pg_hba.conf",
    "-c",
    "lc_messages=C",
    "-c",
    `ssl=${spec.ssl ? "on" : "off"}`,
  ];
  const add = async (src: string | undefined, name: string, setting: string) => {
    if (!src) return;
    files.push({ content: await readFile(src, "utf8"), target: `/lab-in/${name}`, mode: 0o644 });
    args.push("-c", `${setting}=/lab/${name}`);
  };
  await add(spec.serverCert, "server.crt", "ssl_cert_file");
  await add(spec.serverKey, "server.key", "ssl_key_file");
  await add(spec.caFile, "ca.crt", "ssl_ca_file");
  await add(spec.crlFile, "root.crl", "ssl_crl_file");
  for (const [k, v] of Object.entries(spec.settings ?? {})) args.push("-c", `${k}=${v}`);
  const hba = [`local all ${LAB_SUPERUSER} trust`, ...spec.hba.map((l) => l.replace("127.0.0.1/32", "all")), ""];
  files.push({ content: hba.join("\n"), target: "/lab-in/pg_hba.conf", mode: 0o644 });
  // The image runs postgres as its own user: hand it the files (the key 0600) before the entrypoint.
  const script = [
    "mkdir -p /lab && cp /lab-in/* /lab/ && chown -R postgres /lab && chmod 600 /lab/server.key 2>/dev/null;",
    `exec docker-entrypoint.sh postgres ${args.map(q).join(" ")}`,
  ].join(" ");
  const container = await new GenericContainer(IMAGE)
    .withEnvironment({ POSTGRES_HOST_AUTH_METHOD: "trust" })
    .withCopyContentToContainer(files)
    .withEntrypoint(["sh", "-c"])
    .withCommand([script])
    .withExposedPorts(5432)
    .withWaitStrategy(Wait.forLogMessage(/database system is ready to accept connections/, 2))
    .start();
  try {
    const sql: string[] = [];
    for (const u of spec.users) {
      const enc = u.method === "md5" ? "md5" : "scram-sha-256";
      const pw = u.password !== undefined && u.method !== "cert" && u.method !== "trust";
      sql.push(`SET password_encryption = ${sqlLiteral(enc)};`);
      sql.push(
        `CREATE ROLE ${sqlIdent(u.name)} LOGIN${pw && u.password ? ` PASSWORD ${sqlLiteral(u.password)}` : ""};`,
      );
    }
    for (const db of spec.databases ?? []) sql.push(`CREATE DATABASE ${sqlIdent(db)};`);
    if (sql.length > 0) {
      const r = await container.exec(["psql", "-U", LAB_SUPERUSER, "-v", "ON_ERROR_STOP=1", "-c", sql.join("\n")]);
      if (r.exitCode !== 0) throw new Error(`setting up users failed: ${r.output}`);
    }
  } catch (err) {
    await container.stop();
    throw err;
  }
  return {
    name: spec.name,
    host: "127.0.0.1",
    port: container.getMappedPort(5432),
    major: DOCKER_MAJOR,
    backend: "docker",
    spec,
    dataDir: "/var/lib/postgresql/data",
    pid: 0,
    socketDir: "",
    logFile: "",
    startupMs: Math.round(performance.now() - t0),
    stop: async () => {
      await container.stop();
    },
  };
}
