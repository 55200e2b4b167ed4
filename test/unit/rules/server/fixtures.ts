// Endpoint facts as the probe records them, for the server family's rule tests (pure: no socket).
import type { CommandName } from "../../../../src/model/command.js";
import type { EndpointFacts } from "../../../../src/probe/types.js";
import type { Facts } from "../../../../src/rules/facts.js";

export const tlsOk: EndpointFacts["tls"] = {
  ok: true,
  durationMs: 5,
  sni: "db.example.com",
  alpnOffered: ["postgresql"],
  protocol: "TLSv1.3",
  cipher: "TLS_AES_256_GCM_SHA384",
  alpn: "postgresql",
  chain: [],
};

export const endpoint = (over: Partial<EndpointFacts> = {}): EndpointFacts => ({
  host: "db.example.com",
  port: 5432,
  address: "10.0.0.7",
  dns: { outcome: "ok", durationMs: 1, addresses: [{ address: "10.0.0.7", family: 4 }] },
  tcp: [{ address: "10.0.0.7", family: 4, outcome: "ok", durationMs: 1 }],
  sslRequest: { reply: "S", durationMs: 1, byte: "53", unencryptedBytesAfterS: 0 },
  ...over,
});

/** The facts of one probe, as `dbdoctor server` (default) or `check` under an sslmode judges them. */
export const probed = (
  endpoints: EndpointFacts[],
  o: { command?: CommandName; sslmode?: string } = {},
): Partial<Facts> => ({
  command: o.command ?? "server",
  server: { facts: { endpoints }, ...(o.sslmode !== undefined ? { sslmode: o.sslmode } : {}) },
});

export const SUBJECT = "db.example.com:5432 (10.0.0.7)";
