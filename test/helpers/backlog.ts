// A listening socket whose accept queue is full, in a Python process: it never calls accept() and one connection of
// its own fills the queue (listen(0)), so the kernel drops every further SYN and a client's connect() hangs until
// its own deadline: what a firewall that drops packets, or an overloaded server, looks like. Node cannot listen
// without accepting, hence Python. Stopped (SIGKILL) by close().
import { spawn } from "node:child_process";
import type { TestServer } from "./hostile.js";

const PY = `
import socket, sys, time
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(0)
filler = socket.create_connection(s.getsockname())
print(s.getsockname()[1], flush=True)
while True:
    time.sleep(3600)
`;

export async function startFullBacklog(): Promise<TestServer | null> {
  const child = spawn("python3", ["-c", PY], { stdio: ["ignore", "pipe", "ignore"] });
  const port = await new Promise<number | null>((resolve) => {
    let out = "";
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
      const n = Number.parseInt(out, 10);
      if (out.includes("\n") && Number.isFinite(n)) resolve(n);
    });
    child.once("error", () => resolve(null));
    child.once("exit", () => resolve(null));
  });
  if (port === null) return null;
  return {
    host: "127.0.0.1",
    port,
    close: async () => {
      if (child.exitCode === null) {
        const gone = new Promise((r) => child.once("exit", r));
        child.kill("SIGKILL");
        await gone;
      }
    },
  };
}
