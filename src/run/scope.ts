// The deadline owner of one run (issue 18). Every socket, TLS session and pg client a command opens is adopted
// here; each step takes its time budget from here (its own --timeout, cut to what is left of --deadline); when the
// deadline passes every socket still open is destroyed and the stages still running are reported as "could not
// run"; when the run ends, whatever is left is closed so that the process can exit as soon as its report is out.
//
// The clock starts with the first network step, not with the process: CPU-heavy preparation (reading and
// parsing certificate bundles, building TLS contexts) happens before it, so it cannot eat the network's time.
import type { Socket } from "node:net";

export interface Budget {
  /** Milliseconds the step may take. */
  ms: number;
  /** The overall deadline, not the step's own timeout, sets `ms`: a timeout then means "cut", not "no answer". */
  cut: boolean;
}

/** How long a graceful close (Terminate, TLS close_notify, FIN) may wait for the server before the socket is destroyed. */
export const CLOSE_GRACE_MS = 250;

export class RunScope {
  readonly deadlineMs: number;
  private startedAt: number | null = null;
  private timer: NodeJS.Timeout | undefined;
  private expiredFlag = false;
  private closedFlag = false;
  private readonly sockets = new Set<Socket>();
  private readonly pending = new Set<Promise<void>>();
  private readonly expiry: Promise<void>;
  private fireExpiry: () => void = () => undefined;

  constructor(deadlineMs: number) {
    this.deadlineMs = deadlineMs;
    this.expiry = new Promise<void>((resolve) => {
      this.fireExpiry = resolve;
    });
  }

  /** Starts the deadline's clock (idempotent). */
  start(): this {
    if (this.startedAt !== null || this.closedFlag) return this;
    this.startedAt = Date.now();
    this.timer = setTimeout(() => this.expire(), this.deadlineMs);
    // The deadline must not keep a finished run alive.
    this.timer.unref();
    return this;
  }

  get started(): boolean {
    return this.startedAt !== null;
  }

  get expired(): boolean {
    return this.expiredFlag;
  }

  /** Milliseconds left before the deadline (the whole deadline before the clock starts). */
  remaining(): number {
    if (this.expiredFlag || this.closedFlag) return 0;
    if (this.startedAt === null) return this.deadlineMs;
    return Math.max(0, this.startedAt + this.deadlineMs - Date.now());
  }

  /** A step's budget: its own timeout, or less when the deadline is nearer. Starts the clock. */
  budget(timeoutMs: number): Budget {
    this.start();
    const left = this.remaining();
    return left < timeoutMs ? { ms: left, cut: true } : { ms: timeoutMs, cut: false };
  }

  /** Registers a socket: destroyed at the deadline or at the end of the run if it is still open then. */
  adopt<T extends Socket>(socket: T): T {
    if (this.expiredFlag || this.closedFlag) {
      socket.destroy();
      return socket;
    }
    this.sockets.add(socket);
    socket.once("close", () => this.sockets.delete(socket));
    return socket;
  }

  /** Keeps track of a graceful close in progress, so that `drain` can wait for it. */
  track(closing: Promise<void>): void {
    const p = closing.finally(() => this.pending.delete(p));
    this.pending.add(p);
  }

  /** Resolves when the deadline passes; never if the run ends first. */
  whenExpired(): Promise<void> {
    return this.expiry;
  }

  /**
   * `work`'s result, or `cut()`'s if the deadline passes first. The sockets of the cut work are destroyed by the
   * expiry, so `work` itself settles soon after; its late result is dropped.
   */
  race<T>(work: Promise<T>, cut: () => T): Promise<T> {
    if (this.expiredFlag) {
      work.catch(() => undefined);
      return Promise.resolve(cut());
    }
    return Promise.race([work, this.expiry.then(cut)]);
  }

  /** Waits (at most `graceMs`) for graceful closes still in flight: a clean goodbye before the report is written. */
  async drain(graceMs: number = CLOSE_GRACE_MS): Promise<void> {
    if (this.pending.size === 0) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled([...this.pending]),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, graceMs);
      }),
    ]);
    clearTimeout(timer);
  }

  /** Open sockets, for tests and diagnostics. */
  get openSockets(): number {
    return this.sockets.size;
  }

  private destroyAll(): void {
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
  }

  private expire(): void {
    if (this.expiredFlag || this.closedFlag) return;
    this.expiredFlag = true;
    this.destroyAll();
    this.fireExpiry();
  }

  /** The end of the run: stop the clock and destroy every socket still open. */
  close(): void {
    if (this.closedFlag) return;
    this.closedFlag = true;
    clearTimeout(this.timer);
    this.destroyAll();
  }
}

/** The message of a step or stage the deadline cut short. */
export function deadlineMessage(scope: RunScope, what: string): string {
  return `could not run: the overall deadline (--deadline ${formatMs(scope.deadlineMs)}) ran out before ${what}`;
}

export function formatMs(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}
