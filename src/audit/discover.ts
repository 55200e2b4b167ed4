// Which files an audit reads: the given files and directories, recursively, as git would list them (every
// .gitignore from the repository root down, nested ones included, plus .git/info/exclude), narrowed by
// --include/--exclude globs. Symbolic links are followed, but a directory is entered once (by its real path),
// so a link loop ends. Binaries and files over 1 MiB are skipped with a note.
import {
  closeSync,
  constants,
  type Dirent,
  existsSync,
  openSync,
  readdirSync,
  readSync,
  realpathSync,
  statSync,
} from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import ignore, { type Ignore } from "ignore";
import picomatch from "picomatch";
import { UsageError } from "../errors.js";
import { READ_CAPS, readTextOrNull } from "../io/read.js";

export const MAX_FILE_BYTES = 1024 * 1024;

export interface DiscoveredFile {
  /** Absolute path. */
  abs: string;
  /** Path as shown in the report: relative to the working directory, with forward slashes. */
  display: string;
}

export interface Discovery {
  files: DiscoveredFile[];
  skipped: Array<{ path: string; reason: string }>;
}

export interface DiscoverOptions {
  include: string[];
  exclude: string[];
  cwd: string;
}

interface IgnoreLayer {
  /** Directory whose .gitignore this is (patterns are relative to it). */
  dir: string;
  ig: Ignore;
}

const toPosix = (p: string) => (sep === "/" ? p : p.split(sep).join("/"));

function readIgnore(file: string): Ignore | null {
  // A .gitignore that is a FIFO or /dev/zero must not hang or flood the scan: the one capped reader.
  const text = readTextOrNull(file, READ_CAPS.config);
  return text === null ? null : ignore({ allowRelativePaths: true }).add(text);
}

/** The nearest enclosing directory that holds `.git` (a repository root), or null. */
function repoRoot(start: string): string | null {
  let dir = start;
  for (;;) {
    if (existsSync(join(dir, ".git"))) return dir;
    const up = dirname(dir);
    if (up === dir) return null;
    dir = up;
  }
}

/** Layers from the repository root down to (not including) `dir`, so a scan of a subdirectory still honours them. */
function ancestorLayers(dir: string): IgnoreLayer[] {
  const root = repoRoot(dir);
  if (root === null) return [];
  const layers: IgnoreLayer[] = [];
  const exclude = readIgnore(join(root, ".git", "info", "exclude"));
  if (exclude) layers.push({ dir: root, ig: exclude });
  const chain: string[] = [];
  for (let d = dir; ; d = dirname(d)) {
    if (d !== dir) chain.unshift(d);
    if (d === root || dirname(d) === d) break;
  }
  for (const d of chain) {
    const ig = readIgnore(join(d, ".gitignore"));
    if (ig) layers.push({ dir: d, ig });
  }
  return layers;
}

/** git's rule: the last matching pattern across all layers decides, deeper files after shallower ones. */
export function isIgnored(layers: readonly IgnoreLayer[], abs: string, isDir: boolean): boolean {
  let ignored = false;
  for (const layer of layers) {
    const rel = toPosix(relative(layer.dir, abs));
    if (rel === "" || rel.startsWith("..")) continue;
    const r = layer.ig.test(isDir ? `${rel}/` : rel);
    if (r.ignored) ignored = true;
    else if (r.unignored) ignored = false;
  }
  return ignored;
}

/** git's binary heuristic: a NUL byte in the first 8000 bytes. */
function looksBinary(abs: string): boolean {
  let fd: number | undefined;
  try {
    fd = openSync(abs, constants.O_RDONLY | constants.O_NONBLOCK);
    const buf = Buffer.alloc(8000);
    const n = readSync(fd, buf, 0, buf.length, 0);
    return buf.subarray(0, n).includes(0);
  } catch {
    return false; // unreadable: the reader reports it
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

export function discover(paths: readonly string[], opts: DiscoverOptions): Discovery {
  const out: Discovery = { files: [], skipped: [] };
  const seenFiles = new Set<string>();
  const seenDirs = new Set<string>();
  const glob = { dot: true, basename: false } as const;
  // A pattern without a slash matches the base name anywhere (like .gitignore), one with a slash the relative path.
  const compile = (patterns: readonly string[]) =>
    patterns.map((p) =>
      p.includes("/") ? picomatch(p.replace(/^\.\//, ""), glob) : picomatch(p, { dot: true, basename: true }),
    );
  const includes = compile(opts.include);
  const excludes = compile(opts.exclude);
  const display = (abs: string) => {
    const rel = toPosix(relative(opts.cwd, abs));
    return rel === "" ? "." : rel;
  };

  const addFile = (abs: string, size: number) => {
    let real: string;
    try {
      real = realpathSync(abs);
    } catch {
      real = abs;
    }
    if (seenFiles.has(real)) return;
    seenFiles.add(real);
    if (size > MAX_FILE_BYTES) {
      out.skipped.push({ path: display(abs), reason: `larger than 1 MiB (${size} bytes)` });
      return;
    }
    if (looksBinary(abs)) {
      out.skipped.push({ path: display(abs), reason: "binary file" });
      return;
    }
    out.files.push({ abs, display: display(abs) });
  };

  const walkDir = (dir: string, base: string, layers: IgnoreLayer[]) => {
    let real: string;
    try {
      real = realpathSync(dir);
    } catch {
      return;
    }
    if (seenDirs.has(real)) {
      out.skipped.push({ path: display(dir), reason: "directory already scanned (symbolic link loop or duplicate)" });
      return;
    }
    seenDirs.add(real);
    const own = readIgnore(join(dir, ".gitignore"));
    const here = own ? [...layers, { dir, ig: own }] : layers;
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (err) {
      out.skipped.push({
        path: display(dir),
        reason: `cannot list the directory (${(err as NodeJS.ErrnoException).code ?? "error"})`,
      });
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      if (e.name === ".git") continue;
      const abs = join(dir, e.name);
      const rel = toPosix(relative(base, abs));
      let isDir = e.isDirectory();
      let isFile = e.isFile();
      let size = -1;
      if (e.isSymbolicLink()) {
        try {
          const st = statSync(abs);
          isDir = st.isDirectory();
          isFile = st.isFile();
          size = st.size;
        } catch {
          out.skipped.push({ path: display(abs), reason: "dangling symbolic link" });
          continue;
        }
      }
      if (!isDir && !isFile) continue; // sockets, FIFOs, devices: never opened
      if (isIgnored(here, abs, isDir)) continue;
      if (isDir) {
        if (excludes.some((m) => m(rel) || m(`${rel}/`))) continue;
        walkDir(abs, base, here);
        continue;
      }
      if (excludes.some((m) => m(rel))) continue;
      if (includes.length > 0 && !includes.some((m) => m(rel))) continue;
      if (size < 0) {
        try {
          size = statSync(abs).size;
        } catch {
          size = 0;
        }
      }
      addFile(abs, size);
    }
  };

  for (const p of paths) {
    const abs = resolve(opts.cwd, p);
    let st: ReturnType<typeof statSync>;
    try {
      st = statSync(abs);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === "ELOOP" || code === "EACCES")
        throw new UsageError(
          `audit: cannot read ${p}: ${code === "ELOOP" ? "too many levels of symbolic links (a link loop?)" : "permission denied"}`,
          "Name files or directories dbdoctor can read.",
        );
      throw new UsageError(
        `audit: ${p} does not exist`,
        "Name files or directories that exist (relative to the current directory).",
      );
    }
    if (st.isDirectory()) walkDir(abs, abs, ancestorLayers(abs));
    // A file named on the command line is read even when .gitignore'd or outside --include: it was asked for.
    else if (st.isFile()) addFile(abs, st.size);
    else
      throw new UsageError(
        `audit: ${p} is not a regular file or directory`,
        "Name configuration files or directories.",
      );
  }
  return out;
}
