// Reading a file the user named, safely: open non-blocking (a FIFO must not hang us), look at fstat before
// reading (a directory, a device such as /dev/zero), and never read more than a cap.
import { closeSync, constants, fstatSync, openSync, readSync, type Stats, statSync } from "node:fs";

export const READ_CAP = 1024 * 1024;

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
    default:
      return code;
  }
}

export function readCapped(path: string, cap = READ_CAP): ReadOutcome {
  let st: Stats;
  try {
    st = statSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? "EIO";
    if (code === "ENOENT" || code === "ENOTDIR") return { status: "missing", errno: code, message: strerror(code) };
    return { status: "unreadable", errno: code, message: strerror(code) };
  }
  if (!st.isFile()) return { status: "not-regular", stat: st, what: fileTypeName(st) };
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? "EIO";
    return { status: "unreadable", errno: code, message: strerror(code), stat: st };
  }
  try {
    const fst = fstatSync(fd);
    // The path may have been swapped between stat and open; trust what we actually opened.
    if (!fst.isFile()) return { status: "not-regular", stat: fst, what: fileTypeName(fst) };
    const buf = Buffer.alloc(Math.min(cap + 1, Math.max(fst.size + 1, 1)));
    let total = 0;
    for (;;) {
      if (total === buf.length) break;
      const n = readSync(fd, buf, total, buf.length - total, null);
      if (n === 0) break;
      total += n;
    }
    const truncated = total > cap;
    return { status: "ok", data: buf.subarray(0, Math.min(total, cap)), stat: fst, truncated };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? "EIO";
    return { status: "unreadable", errno: code, message: strerror(code), stat: st };
  } finally {
    closeSync(fd);
  }
}
