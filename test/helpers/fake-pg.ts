// A small PostgreSQL server on 127.0.0.1 that speaks just enough of the protocol (v3) to misbehave on purpose after
// the SSLRequest: it authenticates and then never answers, ignores Terminate, asks for a cleartext password and
// records what arrives (over plaintext or TLS), dribbles its answers a byte at a time, sends a 10 MB error.
// Real sockets and real TLS (node:tls with the lab's certificates), no mocks.
import { createServer, type Server, type Socket } from "node:net";
import { createSecureContext, TLSSocket } from "node:tls";
import { errorResponse, type TestServer } from "./hostile.js";

const SSL_REQUEST_CODE = 80877103;
const GSSENC_REQUEST_CODE = 80877104;
const CANCEL_REQUEST_CODE = 80877102;

export interface FakePgOptions {
  /** Answer 'S' and speak TLS with this certificate; without it the server answers 'N'. */
  tls?: { cert: Buffer | string; key: Buffer | string };
  /** What the server asks for after the startup packet. */
  auth: "trust" | "cleartext";
  /** After authentication: a session (ReadyForQuery), or silence. */
  afterAuth?: "ready" | "silent";
  /** Queries: answered with an ErrorResponse, or never. */
  queries?: "error" | "silent";
  /** On Terminate ('X'): close the socket like PostgreSQL, or keep it open forever. */
  onTerminate?: "close" | "ignore";
  /** Send the authentication request one byte every `ms` milliseconds (a slowloris at authentication). */
  dripAuthMs?: number;
  /** Reply to the startup packet with this instead (e.g. a 10 MB ErrorResponse), then keep the socket open. */
  startupReply?: Buffer;
}

export interface Seen {
  channel: "plain" | "ssl";
  /** The startup packet's user, database and application_name. */
  params: Record<string, string>;
  /** The cleartext password that arrived, or null. */
  password: string | null;
  terminated: boolean;
  queries: number;
}

export interface FakePgServer extends TestServer {
  seen: Seen[];
  /** Sockets still open on the server side (a client that left none behind has closed them all). */
  openSockets(): number;
}

function message(type: string, body: Buffer): Buffer {
  const head = Buffer.alloc(5);
  head.write(type, 0, "latin1");
  head.writeUInt32BE(4 + body.length, 1);
  return Buffer.concat([head, body]);
}

const int32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
};
const cstr = (s: string) => Buffer.from(`${s}\0`, "utf8");

const AUTH_OK = message("R", int32(0));
const AUTH_CLEARTEXT = message("R", int32(3));
const READY = Buffer.concat([
  message("S", Buffer.concat([cstr("server_version"), cstr("17.0")])),
  message("S", Buffer.concat([cstr("client_encoding"), cstr("UTF8")])),
  message("K", Buffer.concat([int32(4242), int32(1234)])),
  message("Z", Buffer.from("I")),
]);

/** Reads framed messages: first the untyped startup-phase packets, then typed ones. */
class Framer {
  private buf = Buffer.alloc(0);
  constructor(private typed: boolean) {}
  setTyped(): void {
    this.typed = true;
  }
  push(chunk: Buffer): Array<{ type: string | null; body: Buffer }> {
    this.buf = Buffer.concat([this.buf, chunk]);
    const out: Array<{ type: string | null; body: Buffer }> = [];
    for (;;) {
      const head = this.typed ? 5 : 4;
      if (this.buf.length < head) break;
      const len = this.buf.readUInt32BE(this.typed ? 1 : 0);
      const total = (this.typed ? 1 : 0) + len;
      if (this.buf.length < total) break;
      out.push({
        type: this.typed ? String.fromCharCode(this.buf[0] as number) : null,
        body: this.buf.subarray(head, total),
      });
      this.buf = this.buf.subarray(total);
      if (!this.typed) break; // the caller decides what comes next (SSL, startup)
    }
    return out;
  }
  /** Bytes that arrived after the last complete packet (e.g. a ClientHello right after the SSLRequest). */
  rest(): Buffer {
    const r = this.buf;
    this.buf = Buffer.alloc(0);
    return r;
  }
}

function startupParams(body: Buffer): Record<string, string> {
  const parts = body.subarray(4).toString("utf8").split("\0");
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < parts.length; i += 2) if (parts[i]) out[parts[i] as string] = parts[i + 1] ?? "";
  return out;
}

export async function startFakePg(opts: FakePgOptions): Promise<FakePgServer> {
  const sockets = new Set<Socket>();
  const seen: Seen[] = [];
  const ctx = opts.tls ? createSecureContext({ cert: opts.tls.cert, key: opts.tls.key }) : null;
  const timers = new Set<NodeJS.Timeout>();

  const drip = (s: Socket, data: Buffer, ms: number) => {
    let i = 0;
    const t = setInterval(() => {
      if (s.destroyed || i >= data.length) {
        clearInterval(t);
        timers.delete(t);
        return;
      }
      s.write(data.subarray(i, i + 1));
      i++;
    }, ms);
    timers.add(t);
  };

  /** The protocol after the SSL negotiation, on `s` (raw or TLS). */
  const speak = (s: Socket, channel: Seen["channel"], first: Buffer) => {
    const rec: Seen = { channel, params: {}, password: null, terminated: false, queries: 0 };
    const framer = new Framer(false);
    let phase: "startup" | "auth" | "session" = "startup";
    const onData = (chunk: Buffer) => {
      for (const m of framer.push(chunk)) {
        if (phase === "startup") {
          const code = m.body.readUInt32BE(0);
          if (code === SSL_REQUEST_CODE || code === GSSENC_REQUEST_CODE) {
            s.write("N");
            continue;
          }
          if (code === CANCEL_REQUEST_CODE) return void s.end();
          rec.params = startupParams(m.body);
          seen.push(rec);
          framer.setTyped();
          if (opts.startupReply) {
            s.write(opts.startupReply);
            phase = "session";
            continue;
          }
          const request = opts.auth === "cleartext" ? AUTH_CLEARTEXT : AUTH_OK;
          if (opts.auth === "trust") {
            if (opts.dripAuthMs) drip(s, Buffer.concat([AUTH_OK, READY]), opts.dripAuthMs);
            else if ((opts.afterAuth ?? "ready") === "ready") s.write(Buffer.concat([AUTH_OK, READY]));
            else s.write(AUTH_OK);
            phase = "session";
          } else {
            if (opts.dripAuthMs) drip(s, request, opts.dripAuthMs);
            else s.write(request);
            phase = "auth";
          }
          // the startup packet is untyped; whatever followed it in the same chunk is typed
          const rest = framer.rest();
          if (rest.length) onData(rest);
          return;
        }
        if (m.type === "X") {
          rec.terminated = true;
          if ((opts.onTerminate ?? "close") === "close") s.end();
          continue;
        }
        if (phase === "auth" && m.type === "p") {
          rec.password = m.body.subarray(0, Math.max(0, m.body.length - 1)).toString("utf8");
          phase = "session";
          if ((opts.afterAuth ?? "ready") === "ready") s.write(Buffer.concat([AUTH_OK, READY]));
          else s.write(AUTH_OK);
          continue;
        }
        if (phase === "session" && m.type === "Q") {
          rec.queries++;
          if ((opts.afterAuth ?? "ready") === "silent" || opts.queries === "silent") continue;
          s.write(
            Buffer.concat([
              errorResponse("relation does not exist in this fake server", "42P01"),
              message("Z", Buffer.from("I")),
            ]),
          );
        }
      }
    };
    s.on("data", onData);
    if (first.length) onData(first);
  };

  // The sockets are half-open capable: a client's FIN alone does not close the server side. Like PostgreSQL, the
  // server closes its side when the client leaves, unless it is told to ignore Terminate: then it never does.
  const onClientEnd = (s: Socket) =>
    s.on("end", () => {
      if ((opts.onTerminate ?? "close") === "close") s.end();
    });

  const server: Server = createServer({ allowHalfOpen: true }, (raw) => {
    sockets.add(raw);
    raw.on("close", () => sockets.delete(raw));
    raw.on("error", () => undefined);
    const framer = new Framer(false);
    const onFirst = (chunk: Buffer) => {
      const [m] = framer.push(chunk);
      if (!m) return;
      raw.off("data", onFirst);
      const code = m.body.readUInt32BE(0);
      const rest = framer.rest();
      if (code === SSL_REQUEST_CODE && ctx) {
        raw.write("S");
        raw.pause();
        if (rest.length) raw.unshift(rest);
        const t = new TLSSocket(raw, { isServer: true, secureContext: ctx });
        onClientEnd(t);
        sockets.add(t);
        t.on("close", () => sockets.delete(t));
        t.on("error", () => raw.destroy());
        t.once("secure", () => speak(t, "ssl", Buffer.alloc(0)));
        return;
      }
      if (code === SSL_REQUEST_CODE || code === GSSENC_REQUEST_CODE) {
        raw.write("N");
        speak(raw, "plain", rest);
        return;
      }
      // a startup packet straight away (sslmode=disable)
      const len = 4 + m.body.length;
      const whole = Buffer.alloc(len);
      whole.writeUInt32BE(len, 0);
      m.body.copy(whole, 4);
      speak(raw, "plain", Buffer.concat([whole, rest]));
    };
    raw.on("data", onFirst);
    onClientEnd(raw);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const addr = server.address();
  if (addr === null || typeof addr === "string") throw new Error("no TCP address");
  return {
    host: "127.0.0.1",
    port: addr.port,
    seen,
    openSockets: () => [...sockets].filter((s) => !s.destroyed).length,
    close: () =>
      new Promise<void>((resolve) => {
        for (const t of timers) clearInterval(t);
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
