// A passphrase typed on the terminal: no echo, never from argv. Only offered when both stdin and stderr are a
// terminal (a CI job or a pipe never waits on a prompt nobody sees).
import { UsageError } from "../errors.js";
import { safeForStderr, writeStderr } from "./stderr.js";

export function canPrompt(): boolean {
  return Boolean(process.stdin.isTTY && process.stderr.isTTY);
}

/** Reads a line from the terminal without echo; Ctrl-C is a usage error, not a hang. */
export async function promptHidden(question: string): Promise<string> {
  const stdin = process.stdin;
  // The question names a path the user gave: redacted and escaped like every stderr line.
  writeStderr(safeForStderr(question));
  return new Promise((resolve, reject) => {
    let value = "";
    const wasRaw = stdin.isRaw;
    stdin.setRawMode?.(true);
    stdin.resume();
    const onData = (chunk: Buffer) => {
      for (const ch of chunk.toString("utf8")) {
        if (ch === "\r" || ch === "\n") {
          cleanup();
          writeStderr("\n");
          resolve(value);
          return;
        }
        if (ch === "\u0003") {
          cleanup();
          writeStderr("\n");
          reject(new UsageError("interrupted while reading the key passphrase"));
          return;
        }
        if (ch === "\u007f" || ch === "\b") value = value.slice(0, -1);
        else value += ch;
      }
    };
    const cleanup = () => {
      stdin.off("data", onData);
      stdin.setRawMode?.(wasRaw);
      stdin.pause();
    };
    stdin.on("data", onData);
  });
}
