import { UsageError } from "../errors.js";
import { describeFailure, READ_CAPS, readCapped } from "../io/read.js";

/**
 * Read an env file the way python-dotenv opens it: strict UTF-8 (a bad byte is a UnicodeDecodeError there, which
 * stops SkillFlaw at start-up). Errors name the file and say what to do.
 */
export function readEnvFile(file: string): string {
  // Capped and non-blocking: --env-file /dev/zero or a FIFO is an error naming it, never a hang or gigabytes.
  const r = readCapped(file, READ_CAPS.envFile);
  if (r.status !== "ok" || r.truncated) {
    const why = r.status === "ok" ? describeFailure({ status: "too-big", cap: READ_CAPS.envFile }) : describeFailure(r);
    throw new UsageError(
      `cannot read --env-file ${file}: ${why}`,
      "Check the path; it is relative to the current directory.",
    );
  }
  const bytes = r.data;
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
