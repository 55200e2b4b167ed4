// A stand-in for node:20-alpine, assembled from this machine's files, so that the project's Dockerfile can be built
// and run where no image registry is reachable (tests and CI).
//
// What it holds, at node:20-alpine's paths: the host's `node` binary as /usr/local/bin/node, the host's npm as
// /usr/local/lib/node_modules/npm (with the npm/npx links in /usr/local/bin, so `npm install --global` installs
// into /usr/local as in the official image), BusyBox (Debian's `busybox`) as /bin/sh, env and every other applet
// (Alpine's userland is BusyBox too), the shared libraries `ldd` lists for node and BusyBox, the host's CA bundle
// at Alpine's path (/etc/ssl/certs/ca-certificates.crt), and the `node` account (uid/gid 1000, home /home/node).
// How it differs from node:20-alpine: glibc (Debian's, with libstdc++ and libgcc_s) instead of musl; the host's
// Node 20 build and npm instead of the image's; no apk, no Alpine packages (no yarn, no corepack, no
// docker-entrypoint.sh: the image's CMD is `node`). The README's "Ship it" section says so too.
//
// The root filesystem is tarred and `docker import`ed. The tarball is cached under DBDOCTOR_DOCKER_DIR, keyed by a
// hash of this recipe and of node, npm and BusyBox, so a second run on the same machine only imports it.
import { execFile } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import { chmod, copyFile, mkdir, readdir, realpath, rename, rm, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { dockerWorkDir, ensureDockerEngine } from "./engine.js";
import { lddDeps, placeHostFile } from "./image.js";
import { pathExists } from "./reach.js";

const run = promisify(execFile);

export const NODE_BASE_REPOSITORY = "dbdoctor-node-base";
/** The official image's unprivileged account, which the Dockerfile's USER 1000:1000 names. */
const NODE_UID = 1000;

export interface NodeBaseImage {
  ref: string;
  nodeVersion: string;
  /** Assembled now, imported from the cached tarball, or already in the engine. */
  source: "built" | "tarball" | "engine";
  buildMs: number;
  importMs: number;
  readyMs: number;
}

interface Inputs {
  node: string;
  npmDir: string;
  busybox: string;
  caBundle: string | undefined;
  /** The CA file this machine's npm is configured with (npm config get cafile), if any. */
  npmCafile: string | undefined;
  nodeVersion: string;
  key: string;
  tag: string;
}

function which(name: string): string {
  for (const dir of [...(process.env.PATH ?? "").split(path.delimiter), "/usr/local/bin", "/usr/bin", "/bin"]) {
    if (!dir) continue;
    try {
      const f = path.join(dir, name);
      if (statSync(f).isFile()) return f;
    } catch {
      // not here
    }
  }
  throw new Error(`${name} is not on PATH; the node base image needs it (Debian: apt-get install ${name})`);
}

async function inputs(): Promise<Inputs> {
  // The node running this process is the one tested everywhere else: the image gets the same.
  const node = await realpath(process.execPath);
  // npm-cli.js lives in <npm>/bin: the package directory is two levels up.
  const npmDir = path.dirname(path.dirname(await realpath(which("npm"))));
  const npmVersion = (JSON.parse(readFileSync(path.join(npmDir, "package.json"), "utf8")) as { version: string })
    .version;
  const busybox = await realpath(which("busybox"));
  const caBundle = ["/etc/ssl/certs/ca-certificates.crt"].find((f) => {
    try {
      return statSync(f).isFile();
    } catch {
      return false;
    }
  });
  const cafile = (await run(which("npm"), ["config", "get", "cafile"], { encoding: "utf8" })).stdout.trim();
  const npmCafile = cafile !== "" && cafile !== "null" && cafile !== "undefined" ? cafile : undefined;
  const hash = createHash("sha256");
  hash.update(readFileSync(fileURLToPath(import.meta.url)));
  for (const f of [node, busybox, ...(npmCafile ? [npmCafile] : [])]) {
    const st = statSync(f);
    hash.update(`\0${f}\0${st.size}\0${st.mtimeMs}`);
  }
  hash.update(`\0npm ${npmVersion}\0${process.version}`);
  const key = hash.digest("hex").slice(0, 16);
  const nodeVersion = process.version.slice(1);
  return {
    node,
    npmDir,
    busybox,
    caBundle,
    npmCafile,
    nodeVersion,
    key,
    tag: `${NODE_BASE_REPOSITORY}:${nodeVersion}-${key}`,
  };
}

async function assemble(i: Inputs, rootfs: string): Promise<void> {
  for (const d of ["usr/bin", "usr/sbin", "usr/lib", "usr/lib64", "usr/local/bin", "usr/local/lib", "etc/ssl/certs"]) {
    await mkdir(path.join(rootfs, d), { recursive: true });
  }
  for (const d of ["dev", "proc", "sys", "root", "run", "home/node"]) {
    await mkdir(path.join(rootfs, d), { recursive: true, mode: 0o755 });
  }
  await mkdir(path.join(rootfs, "tmp"));
  await chmod(path.join(rootfs, "tmp"), 0o1777);
  for (const [link, target] of [
    ["bin", "usr/bin"],
    ["sbin", "usr/sbin"],
    ["lib", "usr/lib"],
    ["lib64", "usr/lib64"],
  ] as const) {
    await symlink(target, path.join(rootfs, link));
  }
  // Node and npm where the official image has them; npm's global prefix follows node's directory (/usr/local).
  await copyFile(i.node, path.join(rootfs, "usr/local/bin/node"));
  await chmod(path.join(rootfs, "usr/local/bin/node"), 0o755);
  await mkdir(path.join(rootfs, "usr/local/lib/node_modules"), { recursive: true });
  await run("cp", ["-a", i.npmDir, path.join(rootfs, "usr/local/lib/node_modules/npm")]);
  await symlink("../lib/node_modules/npm/bin/npm-cli.js", path.join(rootfs, "usr/local/bin/npm"));
  await symlink("../lib/node_modules/npm/bin/npx-cli.js", path.join(rootfs, "usr/local/bin/npx"));
  // BusyBox and a link per applet, as Alpine installs it (sh and env among them: the dbdoctor bin's shebang).
  await copyFile(i.busybox, path.join(rootfs, "usr/bin/busybox"));
  await chmod(path.join(rootfs, "usr/bin/busybox"), 0o755);
  const { stdout } = await run(i.busybox, ["--list"], { encoding: "utf8" });
  for (const applet of stdout.split("\n").filter((a) => /^[\w.[-]+$/.test(a))) {
    if (applet === "busybox" || (await pathExists(path.join(rootfs, "usr/bin", applet)))) continue;
    await symlink("busybox", path.join(rootfs, "usr/bin", applet));
  }
  const libs = new Set<string>();
  for (const f of [i.node, i.busybox]) for (const l of await lddDeps(f)) libs.add(l);
  for (const lib of [...libs].sort()) await placeHostFile(rootfs, lib);
  if (i.caBundle) await copyFile(i.caBundle, path.join(rootfs, "etc/ssl/certs/ca-certificates.crt"));
  // Where this machine's npm trusts a CA file of its own (an intercepting proxy's CA in it), so does the image's,
  // in npm's global config ($PREFIX/etc/npmrc): otherwise the build stage's `npm ci` fails where the host's works.
  if (i.npmCafile) {
    await copyFile(i.npmCafile, path.join(rootfs, "etc/ssl/certs/npm-ca.crt"));
    await mkdir(path.join(rootfs, "usr/local/etc"), { recursive: true });
    await writeFile(path.join(rootfs, "usr/local/etc/npmrc"), "cafile=/etc/ssl/certs/npm-ca.crt\n");
  }
  const etc: Record<string, string> = {
    passwd: `root:x:0:0:root:/root:/bin/sh\nnode:x:${NODE_UID}:${NODE_UID}:Linux User,,,:/home/node:/bin/sh\n`,
    group: `root:x:0:root\nnode:x:${NODE_UID}:node\n`,
    "nsswitch.conf": "passwd: files\ngroup: files\nhosts: files dns\n",
  };
  for (const [name, text] of Object.entries(etc)) await writeFile(path.join(rootfs, "etc", name), text);
}

async function tarball(i: Inputs): Promise<{ file: string; built: boolean; buildMs: number }> {
  const dir = path.join(dockerWorkDir(), "images");
  const file = path.join(dir, `${NODE_BASE_REPOSITORY}-${i.nodeVersion}-${i.key}.tar`);
  if (await pathExists(file)) return { file, built: false, buildMs: 0 };
  const t0 = performance.now();
  await mkdir(dir, { recursive: true, mode: 0o755 });
  const tmp = path.join(dir, `.tmp-${process.pid}-${randomBytes(4).toString("hex")}`);
  const rootfs = path.join(tmp, "rootfs");
  try {
    await mkdir(rootfs, { recursive: true });
    await assemble(i, rootfs);
    const tar = path.join(tmp, "rootfs.tar");
    // Everything root's, except the node account's home.
    const home = "./home/node";
    await run("tar", ["--numeric-owner", "--owner=0", "--group=0", `--exclude=${home}`, "-C", rootfs, "-cf", tar, "."]);
    await run("tar", ["--numeric-owner", `--owner=${NODE_UID}`, `--group=${NODE_UID}`, "-C", rootfs, "-rf", tar, home]);
    await rename(tar, file);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
  for (const f of await readdir(dir)) {
    if (f.startsWith(`${NODE_BASE_REPOSITORY}-`) && f !== path.basename(file))
      await rm(path.join(dir, f), { force: true });
  }
  return { file, built: true, buildMs: Math.round(performance.now() - t0) };
}

type Client = Awaited<ReturnType<typeof import("testcontainers")["getContainerRuntimeClient"]>>;

async function importTarball(client: Client, i: Inputs, file: string): Promise<void> {
  const [repo, tag] = i.tag.split(":");
  const docker = client.container.dockerode;
  const changes = [
    // node:20-alpine's environment and command.
    "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
    `ENV NODE_VERSION=${i.nodeVersion}`,
    'CMD ["node"]',
    `LABEL org.dbdoctor.node-base.recipe=${i.key}`,
  ];
  const stream = await docker.importImage(file, { repo, tag, changes });
  await new Promise<void>((resolve, reject) => {
    docker.modem.followProgress(stream, (err: Error | null, out: { error?: string }[]) => {
      const failed = err?.message ?? out.find((o) => o.error)?.error;
      if (failed) reject(new Error(`docker import of ${i.tag} failed: ${failed}`));
      else resolve();
    });
  });
}

/** The node base image, ready in the engine (started where allowed): assembled, imported, or already there. */
export async function nodeBaseImage(): Promise<NodeBaseImage> {
  await ensureDockerEngine();
  const t0 = performance.now();
  const { getContainerRuntimeClient, ImageName } = await import("testcontainers");
  const client = await getContainerRuntimeClient();
  const i = await inputs();
  const base = { ref: i.tag, nodeVersion: i.nodeVersion };
  if (await client.image.exists(ImageName.fromString(i.tag))) {
    return { ...base, source: "engine", buildMs: 0, importMs: 0, readyMs: Math.round(performance.now() - t0) };
  }
  const tb = await tarball(i);
  const t1 = performance.now();
  await importTarball(client, i, tb.file);
  const importMs = Math.round(performance.now() - t1);
  // Base images of recipes that no longer are.
  const docker = client.container.dockerode;
  for (const img of await docker.listImages({ filters: { reference: [NODE_BASE_REPOSITORY] } })) {
    if (!(img.RepoTags ?? []).includes(i.tag)) {
      await docker
        .getImage(img.Id)
        .remove({ force: true })
        .catch(() => {});
    }
  }
  return {
    ...base,
    source: tb.built ? "built" : "tarball",
    buildMs: tb.buildMs,
    importMs,
    readyMs: Math.round(performance.now() - t0),
  };
}

export const PROJECT_IMAGE_REPOSITORY = "dbdoctor-e2e";

/**
 * Builds the project's Dockerfile on the engine with its base overridden (BASE=<the node base image>), as `docker
 * build` would for a user: the classic builder (BuildKit would fetch its Dockerfile frontend from a registry) on the
 * host's network (the build stage's `npm ci` reaches the npm registry as this machine does).
 */
export async function buildProjectImage(
  contextDir: string,
  baseRef: string,
): Promise<{ ref: string; buildMs: number; log: string }> {
  const engine = await ensureDockerEngine();
  const ref = `${PROJECT_IMAGE_REPOSITORY}:${path
    .basename(contextDir)
    .replace(/[^\w.-]/g, "_")
    .toLowerCase()}`;
  const t0 = performance.now();
  try {
    const { stdout, stderr } = await run(
      "docker",
      ["build", "--network=host", "--build-arg", `BASE=${baseRef}`, "-t", ref, contextDir],
      {
        encoding: "utf8",
        maxBuffer: 64 * 1024 * 1024,
        env: { ...process.env, DOCKER_HOST: engine.dockerHost, DOCKER_BUILDKIT: "0" },
      },
    );
    return { ref, buildMs: Math.round(performance.now() - t0), log: `${stdout}${stderr}` };
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string };
    const tail = `${e.stdout ?? ""}${e.stderr ?? ""}`.trim().split("\n").slice(-30).join("\n");
    throw new Error(`docker build of ${contextDir} failed:\n${tail || e.message}`);
  }
}
