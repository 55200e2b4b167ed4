// At most `limit` probes at once, at most `queue` more waiting. Each probe opens up to six connections (the
// handshake, four single-version handshakes, direct SSL), so an unbounded exporter is a way to make it open
// connections without end. A request that cannot get a slot before its deadline, or finds the queue full, is turned
// away (HTTP 503) rather than held.

export type Release = () => void;

interface Waiter {
  grant: (release: Release | null) => void;
  timer: NodeJS.Timeout;
}

export class Limiter {
  private running = 0;
  private readonly waiting: Waiter[] = [];
  private closed = false;

  constructor(
    readonly limit: number,
    readonly queue: number,
  ) {}

  get inFlight(): number {
    return this.running;
  }

  get queued(): number {
    return this.waiting.length;
  }

  /** A slot, or null when the queue is full, the wait outlasts `waitMs`, or the limiter is closed. */
  acquire(waitMs: number): Promise<Release | null> {
    if (this.closed) return Promise.resolve(null);
    if (this.running < this.limit) return Promise.resolve(this.take());
    if (this.waiting.length >= this.queue || waitMs <= 0) return Promise.resolve(null);
    return new Promise((grant) => {
      const waiter: Waiter = {
        grant,
        timer: setTimeout(() => {
          const i = this.waiting.indexOf(waiter);
          if (i !== -1) this.waiting.splice(i, 1);
          grant(null);
        }, waitMs),
      };
      this.waiting.push(waiter);
    });
  }

  /** Turns away everyone waiting and every later request; running probes keep their slots until they end. */
  close(): void {
    this.closed = true;
    for (const w of this.waiting.splice(0)) {
      clearTimeout(w.timer);
      w.grant(null);
    }
  }

  private take(): Release {
    this.running++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.running--;
      const next = this.waiting.shift();
      if (next) {
        clearTimeout(next.timer);
        next.grant(this.take());
      }
    };
  }
}
