import { readFileSync } from "node:fs";
import { errorMessage, UsageError } from "../errors.js";

/**
 * Read an env file the way python-dotenv opens it: strict UTF-8 (a bad byte is a UnicodeDecodeError there, which
 * stops SkillFlaw at start-up). Errors name the file and say what to do.
 */
export function readEnvFile(file: string): string {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === "ENOENT"
        ? "no such file"
        : code === "EACCES"
          ? "permission denied"
          : code === "EISDIR"
            ? "it is a directory"
            : errorMessage(err);
    throw new UsageError(
      `cannot read --env-file ${file}: ${why}`,
      "Check the path; it is relative to the current directory.",
    );
  }
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    const at = firstInvalidUtf8(bytes);
    throw new UsageError(
      `--env-file ${file} is not valid UTF-8 (first bad byte at offset ${at}, line ${lineOf(bytes, at)})`,
      "python-dotenv reads .env files as UTF-8 and SkillFlaw would stop with a UnicodeDecodeError; save the file as UTF-8.",
    );
  }
}

function lineOf(bytes: Buffer, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (bytes[i] === 0x0a) line++;
  return line;
}

function firstInvalidUtf8(bytes: Buffer): number {
  const dec = new TextDecoder("utf-8", { fatal: true });
  // Feed one byte at a time: streaming keeps an incomplete sequence pending, so the first throw is the first bad byte.
  for (let i = 0; i < bytes.length; i++) {
    try {
      dec.decode(bytes.subarray(i, i + 1), { stream: true });
    } catch {
      // The decoder notices at the byte that breaks a pending sequence; Python names the sequence's lead byte.
      let start = i;
      while (start > 0 && i - start < 3 && (bytes[start - 1]! & 0xc0) === 0x80) start--;
      if (start > 0 && bytes[start - 1]! >= 0xc0) return start - 1;
      return i;
    }
  }
  return bytes.length;
}
