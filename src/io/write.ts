// Writing a report to the file --output names, without hanging: open(2) of a FIFO for writing blocks until a
// reader appears, so a FIFO is first opened non-blocking (ENXIO: nobody reads it, an error instead of a hang).
// Regular files, /dev/null, /dev/stdout and a FIFO with a reader are written as usual.
import { closeSync, constants, openSync, type Stats, statSync, writeSync } from "node:fs";
import { strerror } from "./read.js";

export class WriteFailure extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

function statOrNull(path: string): Stats | null {
  try {
    return statSync(path);
  } catch {
    return null;
  }
}

function fail(err: unknown): never {
  const code = (err as NodeJS.ErrnoException).code ?? "EIO";
  throw new WriteFailure(code === "ELOOP" ? "too many levels of symbolic links (a link loop?)" : strerror(code), code);
}

export function writeOutputFile(path: string, text: string): void {
  const st = statOrNull(path);
  if (st?.isFIFO()) {
    try {
      closeSync(openSync(path, constants.O_WRONLY | constants.O_NONBLOCK));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENXIO")
        throw new WriteFailure("it is a named pipe (FIFO) that nobody reads", "ENXIO");
      fail(err);
    }
  }
  let fd: number;
  try {
    fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC, 0o666);
  } catch (err) {
    fail(err);
  }
  try {
    const data = Buffer.from(text, "utf8");
    for (let off = 0; off < data.length; ) off += writeSync(fd, data, off, data.length - off);
  } catch (err) {
    fail(err);
  } finally {
    closeSync(fd);
  }
}
