// --save-chain FILE (server, check): the chain the first endpoint that completed a TLS handshake sent, in PEM, leaf
// first, as it was sent. Written after the probe; a file that cannot be written is a usage error naming the flag.
import { writeFileSync } from "node:fs";
import { UsageError } from "../errors.js";
import type { StageResult } from "../model/stage.js";
import { endpointLabel } from "../probe/label.js";
import { chainPem, sentChain } from "../probe/sent-chain.js";
import type { ServerFacts } from "../probe/types.js";

/** The path of --save-chain, or undefined; checked before any network work. */
export function saveChainPath(args: Record<string, unknown>): string | undefined {
  const v = args.saveChain;
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "string" || v === "")
    throw new UsageError(
      "--save-chain needs a file name",
      "Give the file to write the chain to, e.g. --save-chain chain.pem.",
    );
  return v;
}

/** Writes the chain; returns a sentence for the report, or why nothing was written. */
export function saveChain(path: string, server: StageResult<ServerFacts>): string {
  const endpoints = server.status === "completed" ? server.value.endpoints : [];
  for (const ep of endpoints) {
    const chain = sentChain(ep);
    if (!chain || chain.length === 0) continue;
    try {
      writeFileSync(path, chainPem(chain));
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      throw new UsageError(
        `--save-chain "${path}" cannot be written: ${e.code ?? e.message}`,
        "Choose a writable path.",
      );
    }
    return `saved the ${chain.length} certificate${chain.length === 1 ? "" : "s"} ${endpointLabel(ep)} sent to ${path}`;
  }
  return `--save-chain: no server completed a TLS handshake, nothing written to ${path}`;
}
