// Real servers on 127.0.0.1 that misbehave at the SSLRequest, and a small TLS server speaking the
// PostgreSQL SSLRequest preamble (or PG17 direct SSL) with the lab's certificates. Real sockets, no mocks.
import { createServer, type Server, type Socket } from "node:net";
import { createSecureContext, type SecureVersion, TLSSocket } from "node:tls";

export interface TestServer {
  host: string;
  port: number;
  close(): Promise<void>;
}

export type HostileKind = "silent" | "garbage" | "inject" | "close" | "N" | "E";

/** More hostile behaviours at the SSLRequest and the TLS handshake (startMisbehaving). */
export type MisbehaviourKind =
  /** Accepts the TCP connection and never reads or writes a byte. */
  | "mute"
  /** Answers the SSLRequest with an ErrorResponse of 10 MB. */
  | "huge-error"
  /** Answers 'E' and then one byte of an ErrorResponse every 200 ms, never finishing (slowloris). */
  | "drip-error"
  /** Answers 'S', then one byte of a TLS record every 100 ms, never finishing a handshake (slowloris). */
  | "drip-handshake"
  /** Answers 'S', reads the ClientHello and resets the connection (RST). */
  | "reset-handshake";

/** An ErrorResponse as a PostgreSQL server would send it (severity, code, message). */
export function errorResponse(message: string, code = "08P01"): Buffer {
  const fields = Buffer.concat([Buffer.from(`SFATAL\0VFATAL\0C${code}\0M${message}\0`, "utf8"), Buffer.from([0])]);
  const head = Buffer.alloc(5);
  head.write("E", 0, "latin1");
  head.writeUInt32BE(4 + fields.length, 1);
  return Buffer.concat([head, fields]);
}

async function listen(server: Server, sockets: Set<Socket>): Promise<TestServer> {
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
    s.on("error", () => undefined);
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
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Read the 8-byte SSLRequest (or whatever comes first), then misbehave as asked. */
export async function startHostile(kind: HostileKind): Promise<TestServer> {
  const sockets = new Set<Socket>();
  const server = createServer((s) => {
    if (kind === "close") {
      s.destroy();
      return;
    }
    s.once("data", () => {
      switch (kind) {
        case "silent":
          return; // accepts, reads, never answers
        case "garbage":
          s.write("HTTP/1.1 400 Bad Request\r\n\r\n");
          return;
        case "inject":
          // 'S' and, in the same segment, a forged plaintext message (CVE-2021-23222 shape).
          s.write(Buffer.concat([Buffer.from("S"), Buffer.from("R\0\0\0\x08\0\0\0\0", "latin1")]));
          return;
        case "N":
          s.write("N");
          return;
        case "E":
          s.end(errorResponse("unsupported frontend protocol 1234.5679: server supports 3.0 to 3.0", "0A000"));
          return;
      }
    });
  });
  return listen(server, sockets);
}

/** 10 MB of ErrorResponse (a valid frame: the length field covers it all). */
export function hugeErrorResponse(bytes = 10 * 1024 * 1024): Buffer {
  return errorResponse(`${"x".repeat(bytes)}\u001b]0;forged title\u0007 end`, "XX000");
}

export async function startMisbehaving(kind: MisbehaviourKind): Promise<TestServer> {
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const drip = (s: Socket, data: Buffer, ms: number) => {
    let i = 0;
    const t = setInterval(() => {
      if (s.destroyed) {
        clearInterval(t);
        timers.delete(t);
        return;
      }
      s.write(data.subarray(i % data.length, (i % data.length) + 1));
      i++;
    }, ms);
    timers.add(t);
  };
  const server = createServer((s) => {
    if (kind === "mute") return;
    s.once("data", () => {
      switch (kind) {
        case "huge-error":
          s.write(hugeErrorResponse());
          return;
        case "drip-error": {
          const e = errorResponse("a message that never ends".repeat(100), "08P01");
          // 'E' and a length that promises more than ever comes
          drip(s, e, 200);
          return;
        }
        case "drip-handshake":
          s.write("S");
          // A TLS record header announcing 16 KB of handshake, then a byte at a time.
          drip(s, Buffer.concat([Buffer.from([0x16, 0x03, 0x03, 0x40, 0x00]), Buffer.alloc(16384, 0x02)]), 100);
          return;
        case "reset-handshake":
          s.write("S");
          s.once("data", () => s.resetAndDestroy());
          return;
      }
    });
  });
  const base = await listen(server, sockets);
  return {
    ...base,
    close: async () => {
      for (const t of timers) clearInterval(t);
      await base.close();
    },
  };
}

export interface TlsServerOptions {
  cert: Buffer | string;
  key: Buffer | string;
  minVersion?: SecureVersion;
  maxVersion?: SecureVersion;
  ciphers?: string;
  /** ALPN protocols the server selects from; PG17 offers ["postgresql"]. */
  alpn?: string[];
  /** Accept PG17 direct SSL (a ClientHello instead of an SSLRequest). */
  direct?: boolean;
  /** Answer 'S' and then never speak TLS (a stalled handshake). */
  stallHandshake?: boolean;
}

export interface Seen {
  mode: "sslrequest" | "direct";
  /** The SNI name the client sent, or null when none. */
  sni: string | null;
  /** The ALPN protocols the client offered (recorded only when the server does ALPN). */
  alpnOffered: string[] | null;
  /** Set once the server side completed the handshake. */
  protocol: string | null;
}

export interface TlsTestServer extends TestServer {
  seen: Seen[];
}

/** A TLS endpoint that speaks the PostgreSQL SSLRequest preamble; it records what each client sent. */
export async function startTlsServer(opts: TlsServerOptions): Promise<TlsTestServer> {
  const sockets = new Set<Socket>();
  const seen: Seen[] = [];
  const ctx = createSecureContext({
    cert: opts.cert,
    key: opts.key,
    minVersion: opts.minVersion ?? "TLSv1",
    maxVersion: opts.maxVersion ?? "TLSv1.3",
    ciphers: opts.ciphers,
  });
  const wrap = (raw: Socket, mode: Seen["mode"]) => {
    const rec: Seen = { mode, sni: null, alpnOffered: null, protocol: null };
    seen.push(rec);
    const alpn = opts.alpn;
    const t = new TLSSocket(raw, {
      isServer: true,
      secureContext: ctx,
      SNICallback: (name, cb) => {
        rec.sni = name;
        cb(null, ctx);
      },
      // Like PostgreSQL 17: select "postgresql" when offered; a client offering other protocols only is refused.
      ALPNCallback: alpn
        ? ({ protocols }) => {
            rec.alpnOffered = protocols;
            return protocols.find((p) => alpn.includes(p));
          }
        : undefined,
    });
    t.on("error", () => raw.destroy());
    t.on("secure", () => {
      rec.protocol = t.getProtocol();
    });
  };
  const server = createServer((s) => {
    s.once("data", (first) => {
      if (first[0] === 0x16 && opts.direct) {
        s.pause();
        s.unshift(first);
        wrap(s, "direct");
        return;
      }
      if (first.length >= 8 && first.readUInt32BE(4) === 80877103) {
        s.write("S");
        if (opts.stallHandshake) return;
        wrap(s, "sslrequest");
        return;
      }
      s.destroy(); // what a pre-17 server does with a ClientHello: not a startup packet
    });
  });
  const base = await listen(server, sockets);
  return { ...base, seen };
}
