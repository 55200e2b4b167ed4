// The run's deadline owner: budgets cut to the deadline, sockets destroyed when it passes or the run ends, cut work
// replaced by its "could not run" result. Real sockets on 127.0.0.1.
import { createServer, type Server, Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeGracefully } from "../../../src/run/close.js";
import { RunScope } from "../../../src/run/scope.js";

let server: Server;
let port = 0;
const accepted: Socket[] = [];
beforeAll(async () => {
  // Accepts and never closes its side (allowHalfOpen): a peer that ignores our goodbye.
  server = createServer({ allowHalfOpen: true }, (s) => {
    accepted.push(s);
    s.on("error", () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const a = server.address();
  port = typeof a === "object" && a ? a.port : 0;
});
afterAll(async () => {
  for (const s of accepted) s.destroy();
  await new Promise((resolve) => server.close(resolve));
});

const connect = (scope: RunScope) =>
  new Promise<Socket>((resolve) => {
    const s = scope.adopt(new Socket());
    s.on("error", () => undefined);
    s.connect(port, "127.0.0.1", () => resolve(s));
  });

describe("RunScope", () => {
  it("budgets: the step's own timeout, cut to what is left of the deadline", async () => {
    const scope = new RunScope(300);
    expect(scope.started).toBe(false);
    expect(scope.budget(100)).toEqual({ ms: 100, cut: false });
    expect(scope.started).toBe(true);
    const b = scope.budget(10_000);
    expect(b.cut).toBe(true);
    expect(b.ms).toBeLessThanOrEqual(300);
    scope.close();
    expect(scope.budget(100)).toEqual({ ms: 0, cut: true });
  });

  it("the deadline destroys every adopted socket and resolves the races with their cut results", async () => {
    const scope = new RunScope(150).start();
    const s = await connect(scope);
    expect(scope.openSockets).toBe(1);
    const never = new Promise<string>(() => undefined);
    // Work that never ends: only the deadline can end the race.
    const result = await scope.race(never, () => "could not run");
    expect(result).toBe("could not run");
    expect(scope.expired).toBe(true);
    expect(s.destroyed).toBe(true);
    expect(scope.openSockets).toBe(0);
    // Adopting after the deadline destroys at once.
    const late = scope.adopt(new Socket());
    expect(late.destroyed).toBe(true);
  });

  it("work that finishes first wins the race", async () => {
    const scope = new RunScope(10_000).start();
    expect(await scope.race(Promise.resolve("done"), () => "cut")).toBe("done");
    scope.close();
  });

  it("close() ends the run: the clock stops and sockets still open are destroyed", async () => {
    const scope = new RunScope(10_000).start();
    const s = await connect(scope);
    scope.close();
    expect(s.destroyed).toBe(true);
    expect(scope.remaining()).toBe(0);
  });

  it("a graceful close gives a peer that never closes a short grace, then destroys; drain waits for it", async () => {
    const scope = new RunScope(10_000).start();
    const s = await connect(scope);
    let closed = false;
    void closeGracefully(s, scope, 100).then(() => {
      closed = true;
    });
    // drain's own bound is far beyond the grace: it returns because the close settled (the grace destroyed the
    // socket the peer kept open), not because it gave up waiting.
    await scope.drain(60_000);
    expect(closed).toBe(true);
    expect(s.destroyed).toBe(true);
    scope.close();
  });
});
