import { certPath, derivedPath } from "./paths.js";
import type { ClientExpectation, LabUser, Scenario, ServerSpec } from "./types.js";

/** The password every password user of the lab shares. Lab material, never a real secret. */
export const LAB_PASSWORD = "lab-Pa55-dbdoctor";
const WRONG_PASSWORD = "not-the-lab-password";

/** A bundle of root + intermediate, written by startLab, for clients of a server that omits its intermediate. */
export const ROOT_AND_INTERMEDIATE = derivedPath("root-and-intermediate.crt");

export const LOCAL = "127.0.0.1/32";
export const app: LabUser = { name: "app", password: LAB_PASSWORD, method: "scram-sha-256" };
export const md5user: LabUser = { name: "md5user", password: LAB_PASSWORD, method: "md5" };
const certUser: LabUser = { name: "dbdoctor", method: "cert" };

export const ROOT = certPath("root-ca.crt");
const OTHER_CA = certPath("other-ca.crt");

export function tls(
  cert: string,
  extra: Partial<ServerSpec> = {},
): Pick<ServerSpec, "ssl" | "serverCert" | "serverKey"> {
  return { ssl: true, serverCert: certPath(`${cert}.crt`), serverKey: certPath(`${cert}.key`), ...extra };
}

export function clientCert(name: string): Record<string, string> {
  return { sslcert: certPath(`${name}.crt`), sslkey: certPath(`${name}.key`) };
}

/** An expectation for the `app` SCRAM user with the lab password. */
export function appExp(
  description: string,
  settings: Record<string, string>,
  ok: boolean,
  errorIncludes?: string,
): ClientExpectation {
  return {
    description,
    settings,
    user: "app",
    password: LAB_PASSWORD,
    ok,
    ...(errorIncludes ? { errorIncludes } : {}),
  };
}

export const VERIFY_FAILED = "certificate verify failed";
export const NO_SSL = "server does not support SSL, but SSL was required";
const noHba = (user: string, enc: "no encryption" | "SSL encryption") =>
  `no pg_hba.conf entry for host "127.0.0.1", user "${user}", database "postgres", ${enc}`;
const hostMismatch = (certName: string, host: string) =>
  `server certificate for "${certName}" does not match host name "${host}"`;

export const verifyFull = (host = "localhost", rootcert = ROOT) => ({
  sslmode: "verify-full",
  sslrootcert: rootcert,
  host,
});
const verifyCa = (rootcert = ROOT) => ({ sslmode: "verify-ca", sslrootcert: rootcert });

/** A server with certificate `cert` that accepts `app` over host (SSL or not) with SCRAM. */
function certScenario(
  name: string,
  description: string,
  cert: string,
  expectations: ClientExpectation[],
  extra: Partial<ServerSpec> = {},
): Scenario {
  return {
    name,
    description,
    spec: {
      name,
      ...tls(cert),
      hba: [`host all all ${LOCAL} scram-sha-256`],
      users: [app],
      ...extra,
    },
    expectations,
  };
}

export const SCENARIOS: Scenario[] = [
  {
    name: "ssl-off",
    description: "ssl = off: plaintext works, any sslmode that requires SSL fails",
    spec: { name: "ssl-off", ssl: false, hba: [`host all all ${LOCAL} scram-sha-256`], users: [app] },
    expectations: [
      appExp("sslmode=disable connects in plaintext", { sslmode: "disable" }, true),
      appExp("sslmode=prefer falls back to plaintext", { sslmode: "prefer" }, true),
      appExp("sslmode=require fails: the server answers N", { sslmode: "require" }, false, NO_SSL),
      appExp("verify-full fails the same way", verifyFull(), false, NO_SSL),
      {
        description: "a wrong password is refused",
        settings: { sslmode: "disable" },
        user: "app",
        password: WRONG_PASSWORD,
        ok: false,
        errorIncludes: 'password authentication failed for user "app"',
      },
    ],
  },
  certScenario(
    "good",
    "a good chain: server-good (SAN localhost, 127.0.0.1, ::1) signed by the root CA",
    "server-good",
    [
      appExp("verify-full by name with the root CA", verifyFull("localhost"), true),
      appExp("verify-full by IP (SAN IP:127.0.0.1)", verifyFull("127.0.0.1"), true),
      appExp("require without a root CA does not verify", { sslmode: "require" }, true),
      appExp("plaintext is allowed by the host line", { sslmode: "disable" }, true),
      appExp("verify-ca against an unrelated CA fails", verifyCa(OTHER_CA), false, VERIFY_FAILED),
      appExp(
        "verify-full with no sslrootcert and an empty HOME: no ~/.postgresql/root.crt",
        { sslmode: "verify-full", host: "localhost" },
        false,
        "root certificate file",
      ),
      appExp(
        "require with a wrong sslrootcert still verifies the chain (libpq verifies whenever a root file exists)",
        { sslmode: "require", sslrootcert: OTHER_CA },
        false,
        VERIFY_FAILED,
      ),
    ],
  ),
  {
    name: "hostssl-only",
    description: "pg_hba has only hostssl lines: plaintext connections are rejected",
    spec: {
      name: "hostssl-only",
      ...tls("server-good"),
      hba: [`hostssl all all ${LOCAL} scram-sha-256`],
      users: [app],
    },
    expectations: [
      appExp("sslmode=disable is rejected by pg_hba", { sslmode: "disable" }, false, noHba("app", "no encryption")),
      appExp("sslmode=allow tries plaintext, then SSL, and succeeds", { sslmode: "allow" }, true),
      appExp("sslmode=require works", { sslmode: "require" }, true),
      appExp("verify-full works", verifyFull(), true),
    ],
  },
  {
    name: "ssl-off-hostssl-only",
    description: "ssl = off with hostssl-only pg_hba: nothing can connect",
    spec: { name: "ssl-off-hostssl-only", ssl: false, hba: [`hostssl all all ${LOCAL} scram-sha-256`], users: [app] },
    expectations: [
      appExp("sslmode=disable is rejected by pg_hba", { sslmode: "disable" }, false, noHba("app", "no encryption")),
      appExp(
        "sslmode=prefer falls back to plaintext and is rejected",
        { sslmode: "prefer" },
        false,
        "no pg_hba.conf entry",
      ),
      appExp("sslmode=require: the server has SSL off", { sslmode: "require" }, false, NO_SSL),
    ],
  },
  certScenario("wrong-host", "the certificate names db.wrong.example only", "server-wrong-host", [
    appExp(
      "verify-full to localhost fails on the name",
      verifyFull("localhost"),
      false,
      hostMismatch("db.wrong.example", "localhost"),
    ),
    appExp(
      "verify-full to 127.0.0.1 fails; with no IP SAN libpq also tries the CN, hence two names",
      verifyFull("127.0.0.1"),
      false,
      'server certificate for "db.wrong.example" (and 1 other name) does not match host name "127.0.0.1"',
    ),
    appExp("verify-ca does not check the name", verifyCa(), true),
    appExp("require does not verify", { sslmode: "require" }, true),
  ]),
  certScenario("cn-only", "CN=localhost and no subjectAltName: libpq falls back to the CN", "server-cn-only", [
    appExp("verify-full to localhost matches the CN", verifyFull("localhost"), true),
    appExp(
      "verify-full to 127.0.0.1 does not match CN=localhost",
      verifyFull("127.0.0.1"),
      false,
      hostMismatch("localhost", "127.0.0.1"),
    ),
  ]),
  certScenario("expired", "the server certificate expired 30 days ago", "server-expired", [
    appExp("verify-ca fails", verifyCa(), false, VERIFY_FAILED),
    appExp("verify-full fails", verifyFull(), false, VERIFY_FAILED),
    appExp("require does not verify", { sslmode: "require" }, true),
  ]),
  certScenario("not-yet-valid", "the server certificate becomes valid in 30 days", "server-not-yet-valid", [
    appExp("verify-full fails", verifyFull(), false, VERIFY_FAILED),
    appExp("require does not verify", { sslmode: "require" }, true),
  ]),
  certScenario("self-signed", "a self-signed server certificate (SAN localhost, 127.0.0.1)", "server-self-signed", [
    appExp("verify-ca against the lab root fails", verifyCa(), false, VERIFY_FAILED),
    appExp("require does not verify", { sslmode: "require" }, true),
    appExp(
      "verify-full trusting the certificate itself works",
      verifyFull("localhost", certPath("server-self-signed.crt")),
      true,
    ),
  ]),
  certScenario(
    "intermediate-sent",
    "leaf signed by the intermediate CA; the server sends leaf + intermediate",
    "server-intermediate",
    [
      appExp("verify-full with only the root CA works", verifyFull(), true),
      appExp("verify-full by IP works", verifyFull("127.0.0.1"), true),
    ],
    { serverCert: certPath("server-intermediate-chain.crt") },
  ),
  certScenario(
    "intermediate-missing",
    "leaf signed by the intermediate CA; the server sends the leaf only",
    "server-intermediate",
    [
      appExp(
        "verify-full with only the root CA fails: the intermediate is missing",
        verifyFull(),
        false,
        VERIFY_FAILED,
      ),
      appExp(
        "verify-full with root + intermediate in sslrootcert works",
        verifyFull("localhost", ROOT_AND_INTERMEDIATE),
        true,
      ),
      appExp("require does not verify", { sslmode: "require" }, true),
    ],
  ),
  {
    name: "client-cert",
    description: "cert authentication: the client certificate's CN must be the user (dbdoctor); root.crl loaded",
    spec: {
      name: "client-cert",
      ...tls("server-good"),
      caFile: ROOT,
      crlFile: certPath("root.crl"),
      hba: [`hostssl all dbdoctor ${LOCAL} cert`],
      users: [certUser],
    },
    expectations: [
      {
        description: "client-good (CN=dbdoctor) is accepted",
        settings: { ...verifyFull(), ...clientCert("client-good") },
        user: "dbdoctor",
        ok: true,
      },
      {
        description: "no client certificate",
        settings: verifyFull(),
        user: "dbdoctor",
        ok: false,
        errorIncludes: "connection requires a valid client certificate",
      },
      {
        description: "a certificate for another CN",
        settings: { ...verifyFull(), ...clientCert("client-other-cn") },
        user: "dbdoctor",
        ok: false,
        errorIncludes: 'certificate authentication failed for user "dbdoctor"',
      },
      {
        description: "an expired client certificate is refused in the handshake",
        settings: { ...verifyFull(), ...clientCert("client-expired") },
        user: "dbdoctor",
        ok: false,
        errorIncludes: "certificate expired",
      },
      {
        description: "a client certificate from another CA is refused in the handshake",
        settings: { ...verifyFull(), ...clientCert("client-untrusted") },
        user: "dbdoctor",
        ok: false,
        errorIncludes: "unknown ca",
      },
      {
        description: "a revoked client certificate is refused (server ssl_crl_file)",
        settings: { ...verifyFull(), ...clientCert("client-revoked") },
        user: "dbdoctor",
        ok: false,
        errorIncludes: "certificate revoked",
      },
      {
        description: "plaintext never reaches the cert line",
        settings: { sslmode: "disable" },
        user: "dbdoctor",
        ok: false,
        errorIncludes: noHba("dbdoctor", "no encryption"),
      },
    ],
  },
  {
    name: "client-cert-scram",
    description: "SCRAM plus clientcert=verify-full: a certificate with CN = user and the password",
    spec: {
      name: "client-cert-scram",
      ...tls("server-good"),
      caFile: ROOT,
      hba: [`hostssl all dbdoctor ${LOCAL} scram-sha-256 clientcert=verify-full`],
      users: [{ name: "dbdoctor", password: LAB_PASSWORD, method: "scram-sha-256" }],
    },
    expectations: [
      {
        description: "certificate and password",
        settings: { ...verifyFull(), ...clientCert("client-good") },
        user: "dbdoctor",
        password: LAB_PASSWORD,
        ok: true,
      },
      {
        description: "password without a certificate",
        settings: verifyFull(),
        user: "dbdoctor",
        password: LAB_PASSWORD,
        ok: false,
        errorIncludes: "connection requires a valid client certificate",
      },
      {
        // The server checks the CN after the password and reports the failure as the method's own: the
        // client sees a password error although the password was right (the CN detail is in the server log).
        description: "a certificate for another CN, right password: reported as a password failure",
        settings: { ...verifyFull(), ...clientCert("client-other-cn") },
        user: "dbdoctor",
        password: LAB_PASSWORD,
        ok: false,
        errorIncludes: 'password authentication failed for user "dbdoctor"',
      },
      {
        description: "the right certificate and a wrong password",
        settings: { ...verifyFull(), ...clientCert("client-good") },
        user: "dbdoctor",
        password: WRONG_PASSWORD,
        ok: false,
        errorIncludes: 'password authentication failed for user "dbdoctor"',
      },
    ],
  },
  {
    name: "md5",
    description: "an md5 pg_hba line: an md5-hashed user, and a SCRAM-hashed user (md5 lines accept SCRAM)",
    spec: { name: "md5", ...tls("server-good"), hba: [`host all all ${LOCAL} md5`], users: [app, md5user] },
    expectations: [
      {
        description: "the md5 user with its password",
        settings: { sslmode: "require" },
        user: "md5user",
        password: LAB_PASSWORD,
        ok: true,
      },
      {
        description: "the md5 user with a wrong password",
        settings: { sslmode: "require" },
        user: "md5user",
        password: WRONG_PASSWORD,
        ok: false,
        errorIncludes: 'password authentication failed for user "md5user"',
      },
      appExp("a SCRAM-hashed user on the md5 line authenticates with SCRAM", { sslmode: "disable" }, true),
    ],
  },
  certScenario(
    "tls13-only",
    "ssl_min_protocol_version = TLSv1.3",
    "server-good",
    [
      appExp("a default client negotiates TLS 1.3", verifyFull(), true),
      appExp(
        "a client capped at TLS 1.2 fails",
        { ...verifyFull(), ssl_max_protocol_version: "TLSv1.2" },
        false,
        "protocol version",
      ),
    ],
    { settings: { ssl_min_protocol_version: "TLSv1.3" } },
  ),
  {
    name: "direct-ssl",
    description:
      "a PostgreSQL 17+ server over hostssl; it accepts sslnegotiation=direct (TLS first, ALPN postgresql) with no extra setting",
    minMajor: 17,
    spec: { name: "direct-ssl", ...tls("server-good"), hba: [`hostssl all all ${LOCAL} scram-sha-256`], users: [app] },
    expectations: [
      appExp("the classic SSLRequest negotiation still works", verifyFull(), true),
      { ...appExp("sslnegotiation=direct", { ...verifyFull(), sslnegotiation: "direct" }, true), minLibpq: 17 },
      {
        ...appExp(
          "libpq refuses sslnegotiation=direct with a weak sslmode",
          { sslmode: "prefer", sslnegotiation: "direct" },
          false,
          'weak sslmode "prefer" may not be used with sslnegotiation=direct',
        ),
        minLibpq: 17,
      },
    ],
  },
  {
    name: "too-many-clients",
    description: "max_connections = 3, no reserved slots, all three held by the lab",
    spec: {
      name: "too-many-clients",
      ...tls("server-good"),
      settings: { max_connections: "3", superuser_reserved_connections: "0", reserved_connections: "0" },
      hba: [`host all all ${LOCAL} scram-sha-256`],
      users: [app],
      holdConnections: 3,
    },
    expectations: [
      appExp("every slot is taken", { sslmode: "require" }, false, "sorry, too many clients already"),
      appExp("in plaintext as well", { sslmode: "disable" }, false, "sorry, too many clients already"),
    ],
  },
  certScenario("server-revoked", "a good server certificate that root.crl revokes", "server-revoked", [
    appExp("verify-full without a CRL accepts it", verifyFull(), true),
    appExp(
      "verify-full with sslcrl=root.crl refuses it",
      { ...verifyFull(), sslcrl: certPath("root.crl") },
      false,
      VERIFY_FAILED,
    ),
  ]),
  certScenario("ed25519", "an Ed25519 server key (TLS 1.3 signature scheme)", "server-ed25519", [
    appExp("verify-full works", verifyFull(), true),
  ]),
];

export function scenarioByName(name: string): Scenario | undefined {
  return SCENARIOS.find((s) => s.name === name);
}
