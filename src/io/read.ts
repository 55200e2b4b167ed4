// The one way dbdoctor reads a file the user named (certificates, keys, CRLs and CRL directories, --env-file,
// the service and password files, audited files, .gitignore): look at stat() first (a FIFO, a device such as
// /dev/zero, a directory or a socket is refused without ever being opened), open non-blocking (a FIFO swapped in
// between cannot hang us), trust fstat() of what was opened, and never read more than a cap. Nothing here
// throws: every outcome is a value the caller turns into libpq's reaction or a usage error.
import {
  closeSync,
  constants,
  type Dir,
  fstatSync,
  opendirSync,
  openSync,
  readSync,
  type Stats,
  statSync,
} from "node:fs";

const MiB = 1024 * 1024;

/**
 * Caps per kind of file. Each is far above what the kind holds in practice (the whole Mozilla CA store is 0.2 MiB;
 * a bundle of 10,000 certificates 11 MiB) and bounds memory when a path names something huge or endless.
 */
export const READ_CAPS = {
  /** Root, client and server certificates, keys, CRLs (PEM bundles grow large). */
  certificate: 32 * MiB,
  /** --env-file. */
  envFile: 16 * MiB,
  /** pg_service.conf, .pgpass, .gitignore. */
  config: 4 * MiB,
  /** One file of an audit (discover skips larger ones with a note). */
  audit: 1 * MiB,
} as const;

/** Entries read from a directory (a CRL directory, for the report and OpenSSL's by-hash lookup). */
export const DIR_ENTRY_CAP = 10_000;

export const READ_CAP = READ_CAPS.certificate;

export type ReadOutcome =
  | { status: "ok"; data: Buffer; stat: Stats; truncated: boolean }
  | { status: "missing"; errno: string; message: string }
  | { status: "not-regular"; stat: Stats; what: string }
  | { status: "unreadable"; errno: string; message: string; stat?: Stats };

export function fileTypeName(st: Stats): string {
  if (st.isDirectory()) return "a directory";
  if (st.isFIFO()) return "a named pipe (FIFO)";
  if (st.isCharacterDevice()) return "a character device";
  if (st.isBlockDevice()) return "a block device";
  if (st.isSocket()) return "a socket";
  if (st.isSymbolicLink()) return "a symbolic link";
  return "not a regular file";
}

/** strerror texts for the errno codes a user meets, as libpq's %m prints them. */
export function strerror(code: string): string {
  switch (code) {
    case "ENOENT":
      return "No such file or directory";
    case "ENOTDIR":
      return "Not a directory";
    case "EACCES":
      return "Permission denied";
    case "EISDIR":
      return "Is a directory";
    case "ELOOP":
      return "Too many levels of symbolic links";
    case "ENAMETOOLONG":
      return "File name too long";
    case "ENXIO":
      return "No such device or address";
    default:
      return code;
  }
}

function errnoOf(err: unknown): string {
  return (err as NodeJS.ErrnoException).code ?? "EIO";
}

/** Reads at most `cap` bytes of a regular file; `truncated` says there was more. */
export function readCapped(path: string, cap: number): ReadOutcome {
  let st: Stats;
  try {
    st = statSync(path);
  } catch (err) {
    const code = errnoOf(err);
    if (code === "ENOENT" || code === "ENOTDIR") return { status: "missing", errno: code, message: strerror(code) };
    return { status: "unreadable", errno: code, message: strerror(code) };
  }
  if (!st.isFile()) return { status: "not-regular", stat: st, what: fileTypeName(st) };
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    const code = errnoOf(err);
    return { status: "unreadable", errno: code, message: strerror(code), stat: st };
  }
  try {
    const fst = fstatSync(fd);
    // The path may have been swapped between stat and open; trust what we actually opened.
    if (!fst.isFile()) return { status: "not-regular", stat: fst, what: fileTypeName(fst) };
    // One byte more than the cap tells a file of exactly `cap` bytes from a longer one. The size from fstat only
    // sizes the buffer: a file that grows while we read is still cut at the cap.
    const buf = Buffer.alloc(Math.min(cap + 1, Math.max(fst.size + 1, 1)));
    let total = 0;
    while (total < buf.length) {
      const n = readSync(fd, buf, total, buf.length - total, null);
      if (n === 0) break;
      total += n;
    }
    const truncated = total > cap;
    return { status: "ok", data: buf.subarray(0, Math.min(total, cap)), stat: fst, truncated };
  } catch (err) {
    const code = errnoOf(err);
    return { status: "unreadable", errno: code, message: strerror(code), stat: st };
  } finally {
    closeSync(fd);
  }
}

/** The whole text of a regular file within `cap`, or null (missing, not a file, unreadable, too big). */
export function readTextOrNull(path: string, cap: number, encoding: BufferEncoding = "utf8"): string | null {
  const r = readCapped(path, cap);
  return r.status === "ok" && !r.truncated ? r.data.toString(encoding) : null;
}

/** Why a read did not give the whole file, in words for a message ("it is a named pipe (FIFO)"). */
export function describeFailure(
  r: Exclude<ReadOutcome, { status: "ok" }> | { status: "too-big"; cap: number },
): string {
  switch (r.status) {
    case "missing":
      return r.errno === "ENOTDIR" ? "a part of the path is not a directory" : "no such file";
    case "not-regular":
      return `it is ${r.what}, not a regular file`;
    case "unreadable":
      return r.errno === "EACCES"
        ? "permission denied"
        : r.errno === "ELOOP"
          ? "too many levels of symbolic links (a link loop?)"
          : r.message;
    case "too-big":
      return `it is larger than ${Math.round(r.cap / MiB)} MiB, more than dbdoctor reads`;
  }
}

export type DirOutcome =
  | { status: "ok"; entries: string[]; truncated: boolean }
  | { status: "missing" }
  | { status: "not-directory"; what: string }
  /** `directory`: stat() said it is one, but it cannot be listed. */
  | { status: "unreadable"; errno: string; message: string; directory: boolean };

/** The names in a directory (at most `cap`, sorted), without following anything but the path itself. */
export function listDirCapped(path: string, cap: number = DIR_ENTRY_CAP): DirOutcome {
  let st: Stats;
  try {
    st = statSync(path);
  } catch (err) {
    const code = errnoOf(err);
    if (code === "ENOENT" || code === "ENOTDIR") return { status: "missing" };
    return { status: "unreadable", errno: code, message: strerror(code), directory: false };
  }
  if (!st.isDirectory()) return { status: "not-directory", what: fileTypeName(st) };
  let dir: Dir | undefined;
  try {
    dir = opendirSync(path);
    const entries: string[] = [];
    let truncated = false;
    for (let e = dir.readSync(); e !== null; e = dir.readSync()) {
      if (entries.length === cap) {
        truncated = true;
        break;
      }
      entries.push(e.name);
    }
    return { status: "ok", entries: entries.sort(), truncated };
  } catch (err) {
    const code = errnoOf(err);
    return { status: "unreadable", errno: code, message: strerror(code), directory: true };
  } finally {
    dir?.closeSync();
  }
}
