// Closing connections the way a polite client does, so that probing leaves no trace in the server's log and no
// half-open socket behind: a TLS socket sends close_notify before its FIN (end(), not destroy(): PostgreSQL logs
// "could not accept SSL connection: EOF detected" or "could not receive data from client: Connection reset by
// peer" otherwise), what the server still sends is read and dropped (unread data makes the kernel answer with
// RST), and a server that never closes its side is cut off after a short grace.
import type { Socket } from "node:net";
import { CLOSE_GRACE_MS, type RunScope } from "./scope.js";

/** end() now, destroy() after `graceMs` unless the peer closed first. Resolves once the socket is closed. */
export function closeGracefully(socket: Socket, scope?: RunScope, graceMs: number = CLOSE_GRACE_MS): Promise<void> {
  const closing = new Promise<void>((resolve) => {
    if (socket.destroyed || socket.closed) {
      resolve();
      return;
    }
    const timer = setTimeout(() => socket.destroy(), graceMs);
    // The grace never keeps a finished process alive: exit closes the socket anyway.
    timer.unref();
    socket.once("close", () => {
      clearTimeout(timer);
      resolve();
    });
    socket.on("error", () => undefined);
    socket.resume();
    socket.end();
  });
  scope?.track(closing);
  return closing;
}
