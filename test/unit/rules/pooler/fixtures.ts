// Pooler facts for the pooler family's rule tests, made by the stage's own identification (ops/pooler.ts) from signs
// as the lab's PgBouncer 1.18 showed them (test/integration/pooler-lab.test.ts measures them for real).
import {
  type AuthObservation,
  identifyPooler,
  type PoolerConfig,
  type PoolerFacts,
  type PoolerInput,
  type SessionSigns,
} from "../../../../src/ops/pooler.js";
import type { OpsFacts } from "../../../../src/ops/types.js";
import type { Facts } from "../../../../src/rules/facts.js";
import { opsFacts } from "../ops/fixtures.js";

/** Our session through PgBouncer with client TLS: a random BackendKeyData, TLS 1.3 at the client, none at the server. */
export function bouncerSession(over: Partial<SessionSigns> = {}): SessionSigns {
  return {
    dialledPort: 6432,
    serverPort: 5432,
    backendPid: 31443,
    keyPid: 2103546461,
    clientTls: "TLSv1.3",
    serverSsl: false,
    serverSslVersion: null,
    sslSetting: "on",
    poolVersion: null,
    adminConsole: { state: "not-allowed", message: "FATAL:  not allowed" },
    ...over,
  };
}

/** A direct PostgreSQL session: everything agrees. */
export function directSession(over: Partial<SessionSigns> = {}): SessionSigns {
  return {
    dialledPort: 5432,
    serverPort: 5432,
    backendPid: 4242,
    keyPid: 4242,
    clientTls: "TLSv1.3",
    serverSsl: true,
    serverSslVersion: "TLSv1.3",
    sslSetting: "on",
    poolVersion: null,
    ...over,
  };
}

export const CONFIG: PoolerConfig = {
  maxClientConn: 30,
  defaultPoolSize: 10,
  maxDbConnections: 0,
  poolMode: "session",
  authType: "scram-sha-256",
  clientTlsSslmode: "require",
  serverTlsSslmode: "disable",
};

export function auth(
  sslmode: AuthObservation["sslmode"],
  requested: AuthObservation["requested"],
  encrypted: boolean,
  clientCertificate = false,
): AuthObservation {
  return { sslmode, requested, encrypted, clientCertificate };
}

export function pooler(input: PoolerInput): PoolerFacts {
  const p = identifyPooler(input);
  if (!p) throw new Error("fixture: these signs show no pooler");
  return p;
}

/** The facts of a run whose operations stage saw this pooler (and these other ops facts). */
export function withPooler(p: PoolerFacts | null, ops: Partial<OpsFacts> = {}): Partial<Facts> {
  return { ops: opsFacts({ firstHost: "db.internal:6432", pooler: p, ...ops }) };
}
