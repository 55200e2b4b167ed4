// Scenarios with a real PgBouncer (Debian's package) between the client and a lab server (issue 15). The upstream
// server always has ssl = on and accepts plaintext from 127.0.0.1: PgBouncer's own link to it is plaintext
// (server_tls_sslmode = disable), so the server's pg_stat_ssl describes that link, never the client's session.
// The clients dial the pooler (each scenario's entry). Every ok/errorIncludes here was measured with psql and
// psycopg against PgBouncer 1.18 (test/integration/pooler-lab.test.ts judges them again on every run).
import { certPath } from "./paths.js";
import { app, LAB_PASSWORD, LOCAL, NO_SSL, ROOT, tls } from "./scenarios.js";
import type { ClientExpectation, LabUser, PoolerSpec, Scenario } from "./types.js";

const certUser: LabUser = { name: "dbdoctor", method: "cert" };

/** PgBouncer's TLS to the client: the lab's good server certificate (SAN localhost, 127.0.0.1). */
const CLIENT_TLS_FILES = {
  client_tls_cert_file: certPath("server-good.crt"),
  client_tls_key_file: certPath("server-good.key"),
};

function pgbouncer(
  name: string,
  settings: Record<string, string>,
  more: Partial<PoolerSpec> = {},
): Pick<Scenario, "poolers" | "entry"> {
  const pooler = `${name}-pgbouncer`;
  return {
    poolers: [{ kind: "pgbouncer", name: pooler, upstream: name, settings, files: CLIENT_TLS_FILES, ...more }],
    entry: pooler,
  };
}

const exp = (
  description: string,
  settings: Record<string, string>,
  ok: boolean,
  more: Partial<ClientExpectation> = {},
): ClientExpectation => ({ description, settings, user: "app", password: LAB_PASSWORD, ok, ...more });

const verifyFull = { sslmode: "verify-full", sslrootcert: ROOT, host: "localhost" };

/** The upstream: ssl = on (what `SHOW ssl` says through the pooler), plaintext SCRAM from 127.0.0.1. */
function upstream(name: string, users: LabUser[] = [app], hba: string[] = [`host all app ${LOCAL} scram-sha-256`]) {
  return { name, ...tls("server-good"), hba, users };
}

/**
 * pgpool-II in raw mode with ssl = on (the lab's good certificate) and SCRAM in pool_hba.conf; started only when
 * named and when pgpool2 is installed (test/integration/pooler-lab.test.ts).
 */
export const PGPOOL_SCENARIO: Scenario = {
  name: "pgpool-tls",
  description:
    "pgpool-II (raw mode) with ssl = on and SCRAM in pool_hba.conf in front of a server (plaintext link to it)",
  spec: upstream("pgpool-tls"),
  poolers: [
    {
      kind: "pgpool",
      name: "pgpool-tls-pgpool",
      upstream: "pgpool-tls",
      settings: { ssl: "on" },
      files: { ssl_cert: certPath("server-good.crt"), ssl_key: certPath("server-good.key") },
    },
  ],
  entry: "pgpool-tls-pgpool",
  expectations: [
    exp("verify-full against pgpool's certificate", verifyFull, true, { ssl: true }),
    exp("sslmode=disable: pgpool's pool_hba host line admits plaintext too", { sslmode: "disable" }, true, {
      ssl: false,
    }),
  ],
};

export const POOLER_SCENARIOS: Scenario[] = [
  {
    name: "pgbouncer-tls",
    description: "PgBouncer with client_tls_sslmode=require and SCRAM in front of a server (plaintext link to it)",
    spec: upstream("pgbouncer-tls"),
    ...pgbouncer("pgbouncer-tls", { client_tls_sslmode: "require", auth_type: "scram-sha-256" }),
    expectations: [
      exp("sslmode=require is TLS to PgBouncer", { sslmode: "require" }, true, { ssl: true }),
      exp("verify-full against PgBouncer's certificate", verifyFull, true, { ssl: true }),
      exp("sslmode=disable: PgBouncer requires TLS", { sslmode: "disable" }, false, { errorIncludes: "SSL required" }),
      exp("a wrong password: PgBouncer's own SCRAM says no", { sslmode: "require" }, false, {
        password: "not-the-lab-password",
        errorIncludes: "SASL authentication failed",
      }),
      exp(
        "an unknown database: the upstream refuses it through PgBouncer",
        { sslmode: "require", dbname: "nosuchdb" },
        false,
        {
          errorIncludes: 'database "nosuchdb" does not exist',
        },
      ),
    ],
  },
  {
    name: "pgbouncer-client-cert",
    description: "PgBouncer with client_tls_sslmode=verify-full and auth_type=cert (client certificate CN = user)",
    spec: upstream("pgbouncer-client-cert", [certUser], [`host all dbdoctor ${LOCAL} trust`]),
    ...pgbouncer(
      "pgbouncer-client-cert",
      { client_tls_sslmode: "verify-full", auth_type: "cert" },
      {
        files: { ...CLIENT_TLS_FILES, client_tls_ca_file: certPath("root-ca.crt") },
        userlist: "plaintext",
      },
    ),
    expectations: [
      {
        description: "verify-full with the client certificate",
        settings: { ...verifyFull, sslcert: certPath("client-good.crt"), sslkey: certPath("client-good.key") },
        user: "dbdoctor",
        ok: true,
        ssl: true,
      },
      {
        description: "verify-full without a client certificate",
        settings: verifyFull,
        user: "dbdoctor",
        ok: false,
        // PgBouncer's OpenSSL asks for a certificate and ends the TLS 1.3 handshake with that alert.
        errorIncludes: "alert certificate required",
      },
    ],
  },
  {
    name: "pgbouncer-no-tls",
    description: "PgBouncer with client_tls_sslmode=disable (it answers N) in front of a server with ssl = on",
    spec: upstream("pgbouncer-no-tls"),
    ...pgbouncer("pgbouncer-no-tls", { client_tls_sslmode: "disable", auth_type: "scram-sha-256" }, { files: {} }),
    expectations: [
      exp("sslmode=disable connects in plaintext", { sslmode: "disable" }, true, { ssl: false }),
      exp("sslmode=prefer falls back to plaintext", { sslmode: "prefer" }, true, { ssl: false }),
      exp("sslmode=require fails: PgBouncer answers N", { sslmode: "require" }, false, { errorIncludes: NO_SSL }),
    ],
  },
  {
    name: "pgbouncer-transaction",
    description: "PgBouncer with pool_mode=transaction (TLS required, SCRAM)",
    spec: upstream("pgbouncer-transaction"),
    ...pgbouncer("pgbouncer-transaction", {
      client_tls_sslmode: "require",
      auth_type: "scram-sha-256",
      pool_mode: "transaction",
      // app may read SHOW CONFIG on the admin console, so pool_mode and max_client_conn are observable.
      stats_users: "app",
    }),
    expectations: [exp("verify-full works", verifyFull, true, { ssl: true })],
  },
  {
    name: "pgbouncer-plain",
    description: "PgBouncer with auth_type=plain (it asks for the password in clear) and client_tls_sslmode=allow",
    spec: upstream("pgbouncer-plain"),
    ...pgbouncer("pgbouncer-plain", { client_tls_sslmode: "allow", auth_type: "plain" }, { userlist: "plaintext" }),
    expectations: [
      exp("sslmode=disable: the password goes in clear", { sslmode: "disable" }, true, { ssl: false }),
      exp("verify-full: the cleartext password inside TLS", verifyFull, true, { ssl: true }),
    ],
  },
  {
    name: "pgbouncer-trust",
    description: "PgBouncer with auth_type=trust (it asks for no password) and client_tls_sslmode=prefer",
    spec: upstream("pgbouncer-trust"),
    ...pgbouncer("pgbouncer-trust", { client_tls_sslmode: "prefer", auth_type: "trust" }, { userlist: "plaintext" }),
    expectations: [
      exp("verify-full connects without any password", verifyFull, true, {
        ssl: true,
        password: "not-the-lab-password",
      }),
    ],
  },
];
