// DNS and TCP, each with its own deadline. libpq uses getaddrinfo and tries the addresses in its order;
// dns.lookup(all, verbatim) is getaddrinfo with that order.
import { lookup } from "node:dns/promises";
import { isIP, Socket } from "node:net";
import type { RunScope } from "../run/scope.js";
import type { AddressAttempt, DnsFacts, StepOutcome } from "./types.js";

/**
 * The probe's own overall deadline over many steps, inside the run's: each step gets min(its own timeout, what is
 * left of the probe's deadline, what is left of the run's). `cut` records that the run's deadline, not the probe's
 * own timing, set a step's budget: such a step that times out was cut short, not unanswered.
 */
export class Deadline {
  readonly at: number;
  cut = false;
  constructor(
    totalMs: number,
    readonly scope: RunScope,
  ) {
    this.at = Date.now() + totalMs;
  }
  remaining(): number {
    return Math.max(0, this.at - Date.now());
  }
  step(timeoutMs: number): number {
    const own = Math.min(timeoutMs, this.remaining());
    const b = this.scope.budget(own);
    if (b.cut) this.cut = true;
    return b.ms;
  }
}

/** strerror() texts for the errno values a connect can end with (glibc wording, as libpq prints them). */
const STRERROR: Record<string, string> = {
  ECONNREFUSED: "Connection refused",
  ECONNRESET: "Connection reset by peer",
  EHOSTUNREACH: "No route to host",
  ENETUNREACH: "Network is unreachable",
  ETIMEDOUT: "Connection timed out",
  EADDRNOTAVAIL: "Cannot assign requested address",
  EACCES: "Permission denied",
  EPIPE: "Broken pipe",
};

/** gai_strerror() texts for getaddrinfo failures as Node reports them. */
const GAI_STRERROR: Record<string, string> = {
  ENOTFOUND: "Name or service not known",
  EAI_NONAME: "Name or service not known",
  EAI_NODATA: "No address associated with hostname",
  EAI_AGAIN: "Temporary failure in name resolution",
  EAI_FAIL: "Non-recoverable failure in name resolution",
};

export function strerror(code: string | undefined, fallback: string): string {
  return (code && STRERROR[code]) ?? fallback;
}

function errCode(err: unknown): string | undefined {
  return typeof err === "object" && err !== null && "code" in err && typeof err.code === "string"
    ? err.code
    : undefined;
}

function errText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Resolve every address of a host name. An IP literal needs no lookup. */
export async function lookupHost(host: string, timeoutMs: number): Promise<DnsFacts> {
  const started = Date.now();
  const family = isIP(host);
  if (family !== 0)
    return { outcome: "not-needed", durationMs: 0, addresses: [{ address: host, family: family as 4 | 6 }] };
  let timer: NodeJS.Timeout | undefined;
  // dns.lookup runs on the libuv thread pool and cannot be cancelled: the race only stops us waiting for it.
  const timeout = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), timeoutMs);
  });
  try {
    const r = await Promise.race([lookup(host, { all: true, verbatim: true }), timeout]);
    const durationMs = Date.now() - started;
    if (r === "timeout")
      return {
        outcome: "timeout",
        durationMs,
        addresses: [],
        libpqMessage: `could not translate host name "${host}" to address: timeout expired`,
      };
    return {
      outcome: "ok",
      durationMs,
      addresses: r.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 })),
    };
  } catch (err) {
    const code = errCode(err);
    const text = (code && GAI_STRERROR[code]) ?? errText(err);
    const facts: DnsFacts = {
      outcome: code === "ENOTFOUND" || code === "EAI_NONAME" || code === "EAI_NODATA" ? "not-found" : "error",
      durationMs: Date.now() - started,
      addresses: [],
      libpqMessage: `could not translate host name "${host}" to address: ${text}`,
    };
    if (code) facts.code = code;
    return facts;
  } finally {
    clearTimeout(timer);
  }
}

export type TcpResult =
  | { ok: true; socket: Socket; durationMs: number }
  | { ok: false; outcome: Exclude<StepOutcome, "ok">; code?: string; reason: string; durationMs: number };

/**
 * Open a TCP connection with a deadline. The socket belongs to the run's scope (destroyed at the deadline or the
 * end of the run); on success the caller closes it when its step is done.
 */
export function connectTcp(host: string, port: number, timeoutMs: number, scope: RunScope): Promise<TcpResult> {
  const started = Date.now();
  return new Promise((resolve) => {
    const socket = scope.adopt(new Socket());
    let settled = false;
    const finish = (r: TcpResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.removeAllListeners("error");
      socket.removeAllListeners("connect");
      if (!r.ok) socket.destroy();
      else socket.on("error", () => undefined); // later errors surface through the next step's reads
      resolve(r);
    };
    const timer = setTimeout(
      () => finish({ ok: false, outcome: "timeout", reason: "timeout expired", durationMs: Date.now() - started }),
      timeoutMs,
    );
    socket.once("connect", () => {
      socket.setNoDelay(true);
      finish({ ok: true, socket, durationMs: Date.now() - started });
    });
    socket.once("error", (err) => {
      const code = errCode(err);
      const outcome: StepOutcome =
        code === "ECONNREFUSED"
          ? "refused"
          : code === "EHOSTUNREACH" || code === "ENETUNREACH"
            ? "unreachable"
            : code === "ETIMEDOUT"
              ? "timeout"
              : "error";
      const r: TcpResult = {
        ok: false,
        outcome,
        reason: strerror(code, errText(err)),
        durationMs: Date.now() - started,
      };
      if (code) r.code = code;
      finish(r);
    });
    socket.connect({ host, port, autoSelectFamily: false });
  });
}

/** libpq's prefix and TCP hint (fe-connect.c): `connection to server at "host" (addr), port N failed: ...`. */
export function libpqConnectionPrefix(host: string, address: string | undefined, port: number): string {
  return address === undefined || address === host
    ? `connection to server at "${host}", port ${port} failed: `
    : `connection to server at "${host}" (${address}), port ${port} failed: `;
}

export const LIBPQ_TCP_HINT = "\n\tIs the server running on that host and accepting TCP/IP connections?";

export function attemptFacts(address: string, family: 4 | 6, host: string, port: number, r: TcpResult): AddressAttempt {
  if (r.ok) return { address, family, outcome: "ok", durationMs: r.durationMs };
  const a: AddressAttempt = {
    address,
    family,
    outcome: r.outcome,
    durationMs: r.durationMs,
    libpqMessage:
      libpqConnectionPrefix(host, address, port) + r.reason + (r.outcome === "timeout" ? "" : LIBPQ_TCP_HINT),
  };
  if (r.code) a.code = r.code;
  return a;
}
