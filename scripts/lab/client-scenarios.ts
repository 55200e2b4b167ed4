// Scenarios whose outcome depends on the client: its libpq major, its OpenSSL, its trust store (issues 12 and 14).
// They are kept apart from SCENARIOS, which the existing psql-only tests and dbdoctor's matrix test run in full:
// these are judged by test/integration/clients-vs-lab.test.ts, against psql, psycopg[binary] and psycopg2-binary,
// on the embedded PostgreSQL 17 and on the distribution's PostgreSQL (15 on Debian 12).
//
// Every ok/errorIncludes here was measured with the real clients; where they differ, `clients` says for whom
// and why. A declaration that disagrees with a real client is the declaration's bug.
import { certPath } from "./paths.js";
import {
  app,
  appExp,
  clientCert,
  LAB_PASSWORD,
  LOCAL,
  md5user,
  NO_SSL,
  ROOT,
  tls,
  VERIFY_FAILED,
  verifyFull,
} from "./scenarios.js";
import type { ClientExpectation, ClientOutcome, LabUser, Scenario } from "./types.js";

/** A user on a `password` (cleartext) pg_hba line; stored as SCRAM, which a cleartext password is checked against. */
const pwuser: LabUser = { name: "pwuser", password: LAB_PASSWORD, method: "scram-sha-256" };
const trustuser: LabUser = { name: "trustuser", method: "trust" };

/** libpq before 16 has no require_auth, sslcertmode or sslrootcert=system: PQconnectdb rejects the keyword. */
function before16(keyword: string): ClientOutcome {
  return {
    libpqMax: 15,
    ok: false,
    errorIncludes: `invalid connection option "${keyword}"`,
    why: `${keyword} is a libpq 16 keyword`,
  };
}

/** A keyword that only libpq 18 knows (scram_client_key, min_protocol_version). */
function before18(keyword: string): ClientOutcome {
  return {
    libpqMax: 17,
    ok: false,
    errorIncludes: `invalid connection option "${keyword}"`,
    why: `${keyword} is a libpq 18 keyword`,
  };
}

/**
 * A TLS alert as the client's OpenSSL words it (the reason strings of SSL_R_SSLV3_ALERT_*): 3.0.19 says
 * "sslv3 alert certificate expired", 3.5.8 "ssl/tls alert certificate expired" (both measured here; issue 12
 * places the rename at 3.2, where trixie's and sid's psql already use the new text).
 */
function alertByOpenssl(alert: string): ClientOutcome[] {
  return [
    { openssl: "<3.2", ok: false, errorIncludes: `sslv3 alert ${alert}`, why: "OpenSSL < 3.2 alert text" },
    { openssl: ">=3.2", ok: false, errorIncludes: `ssl/tls alert ${alert}`, why: "OpenSSL 3.2+ alert text" },
  ];
}

function userExp(
  user: LabUser,
  description: string,
  settings: Record<string, string>,
  ok: boolean,
  more: Partial<ClientExpectation> = {},
): ClientExpectation {
  return {
    description,
    settings,
    user: user.name,
    ...(user.password !== undefined ? { password: user.password } : {}),
    ok,
    ...more,
  };
}

const requireAuth = (value: string, sslmode = "require") => ({ sslmode, require_auth: value });
const cb = (value: string, sslmode: string) => ({ sslmode, channel_binding: value });
const reqAuthFailed = (method: string, reason: string) =>
  `authentication method requirement "${method}" failed: ${reason}`;

const authMethods: Scenario = {
  name: "auth-methods",
  description: "SCRAM, md5, cleartext-password and trust users: channel_binding and require_auth against each",
  spec: {
    name: "auth-methods",
    ...tls("server-good"),
    hba: [
      `host all app ${LOCAL} scram-sha-256`,
      `host all md5user ${LOCAL} md5`,
      `host all pwuser ${LOCAL} password`,
      `host all trustuser ${LOCAL} trust`,
    ],
    users: [app, md5user, pwuser, trustuser],
  },
  expectations: [
    // SCRAM and channel binding
    userExp(app, "SCRAM, channel_binding=require over TLS (SCRAM-SHA-256-PLUS)", cb("require", "require"), true, {
      ssl: true,
    }),
    userExp(app, "SCRAM, channel_binding=require under sslmode=disable", cb("require", "disable"), false, {
      errorIncludes: "channel binding required, but SSL not in use",
    }),
    userExp(
      app,
      "SCRAM, channel_binding=require under sslmode=allow (plaintext first)",
      cb("require", "allow"),
      false,
      {
        errorIncludes: "channel binding required, but SSL not in use",
      },
    ),
    userExp(app, "SCRAM, channel_binding=require under sslmode=prefer", cb("require", "prefer"), true, { ssl: true }),
    userExp(app, "SCRAM, channel_binding=disable over TLS", cb("disable", "require"), true, { ssl: true }),
    userExp(app, "SCRAM, channel_binding=prefer in plaintext", cb("prefer", "disable"), true, { ssl: false }),
    // require_auth against SCRAM
    userExp(app, "require_auth=md5 against a SCRAM user", requireAuth("md5"), false, {
      errorIncludes: reqAuthFailed("md5", "server requested SASL authentication"),
      clients: [before16("require_auth")],
    }),
    userExp(app, "require_auth=scram-sha-256 against a SCRAM user", requireAuth("scram-sha-256"), true, {
      clients: [before16("require_auth")],
    }),
    userExp(app, "require_auth=!scram-sha-256 against a SCRAM user", requireAuth("!scram-sha-256"), false, {
      errorIncludes: reqAuthFailed("!scram-sha-256", "server requested SASL authentication"),
      clients: [
        before16("require_auth"),
        {
          libpqMin: 18,
          ok: false,
          errorIncludes: reqAuthFailed("!scram-sha-256", "server requested SCRAM-SHA-256-PLUS authentication"),
          why: "libpq 18 names the SASL mechanism it chose (PLUS: channel binding over TLS); 16/17 say SASL",
        },
      ],
    }),
    userExp(app, "require_auth=!md5,!password against a SCRAM user", requireAuth("!md5,!password"), true, {
      clients: [before16("require_auth")],
    }),
    userExp(app, "require_auth=none against a SCRAM user", requireAuth("none"), false, {
      errorIncludes: reqAuthFailed("none", "server requested SASL authentication"),
      clients: [before16("require_auth")],
    }),
    userExp(
      app,
      "require_auth mixing md5 and !password is refused before connecting",
      requireAuth("md5,!password"),
      false,
      {
        errorIncludes: 'negative require_auth method "!password" cannot be mixed with non-negative methods',
        clients: [before16("require_auth")],
      },
    ),
    userExp(
      app,
      "require_auth=scram-sha-256 with channel_binding=require",
      { ...requireAuth("scram-sha-256"), channel_binding: "require" },
      true,
      { clients: [before16("require_auth")] },
    ),
    // md5
    userExp(md5user, "md5 user, channel_binding=require", cb("require", "require"), false, {
      errorIncludes: "channel binding required but not supported by server's authentication request",
    }),
    userExp(md5user, "md5 user, channel_binding=prefer", cb("prefer", "require"), true),
    userExp(md5user, "md5 user, require_auth=md5", requireAuth("md5"), true, { clients: [before16("require_auth")] }),
    userExp(md5user, "md5 user, require_auth=scram-sha-256", requireAuth("scram-sha-256"), false, {
      errorIncludes: reqAuthFailed("scram-sha-256", "server requested a hashed password"),
      clients: [before16("require_auth")],
    }),
    userExp(md5user, "md5 user, require_auth=!md5", requireAuth("!md5"), false, {
      errorIncludes: reqAuthFailed("!md5", "server requested a hashed password"),
      clients: [before16("require_auth")],
    }),
    userExp(md5user, "md5 user, require_auth=password,md5", requireAuth("password,md5"), true, {
      clients: [before16("require_auth")],
    }),
    // cleartext password
    userExp(pwuser, "password user, require_auth=password", requireAuth("password"), true, {
      clients: [before16("require_auth")],
    }),
    userExp(pwuser, "password user, require_auth=md5", requireAuth("md5"), false, {
      errorIncludes: reqAuthFailed("md5", "server requested a cleartext password"),
      clients: [before16("require_auth")],
    }),
    userExp(pwuser, "password user, channel_binding=require", cb("require", "require"), false, {
      errorIncludes: "channel binding required but not supported by server's authentication request",
    }),
    // trust
    userExp(trustuser, "trust user, require_auth=none", requireAuth("none"), true, {
      clients: [before16("require_auth")],
    }),
    userExp(trustuser, "trust user, require_auth=scram-sha-256", requireAuth("scram-sha-256"), false, {
      errorIncludes: reqAuthFailed("scram-sha-256", "server did not complete authentication"),
      clients: [before16("require_auth")],
    }),
    userExp(trustuser, "trust user, require_auth=!none", requireAuth("!none"), false, {
      errorIncludes: reqAuthFailed("!none", "server did not complete authentication"),
      clients: [before16("require_auth")],
    }),
    userExp(trustuser, "trust user, channel_binding=require", cb("require", "require"), false, {
      errorIncludes: "channel binding required, but server authenticated client without channel binding",
    }),
  ],
};

const withCert = (sslmode: string, sslcertmode: string, cert = "client-good") => ({
  sslmode,
  sslcertmode,
  ...clientCert(cert),
});

const sslcertmodeNoRequest: Scenario = {
  name: "sslcertmode-no-request",
  description:
    "a server without ssl_ca_file: it sends no CertificateRequest, so no client certificate is ever asked for",
  spec: {
    name: "sslcertmode-no-request",
    ...tls("server-good"),
    hba: [`host all app ${LOCAL} scram-sha-256`],
    users: [app],
  },
  expectations: [
    appExp(
      "sslcertmode=require with a certificate configured",
      withCert("require", "require"),
      false,
      "server did not request an SSL certificate",
    ),
    appExp(
      "sslcertmode=require without a certificate",
      { sslmode: "require", sslcertmode: "require" },
      false,
      "server did not request an SSL certificate",
    ),
    appExp("sslcertmode=disable", withCert("require", "disable"), true),
    appExp("sslcertmode=allow (the default)", withCert("require", "allow"), true),
  ].map((e) => ({ ...e, clients: [before16("sslcertmode")] })),
};

const sslcertmodeRequest: Scenario = {
  name: "sslcertmode-request",
  description: "a server with ssl_ca_file: it asks every TLS client for a certificate (optional for SCRAM users)",
  spec: {
    name: "sslcertmode-request",
    ...tls("server-good"),
    caFile: ROOT,
    hba: [`hostssl all app ${LOCAL} scram-sha-256`, `hostssl all dbdoctor ${LOCAL} cert`],
    users: [app, { name: "dbdoctor", method: "cert" }],
  },
  expectations: [
    appExp("sslcertmode=require with a certificate", withCert("require", "require"), true),
    appExp(
      "sslcertmode=require without a certificate",
      { sslmode: "require", sslcertmode: "require" },
      false,
      "server accepted connection without a valid SSL certificate",
    ),
    appExp("sslcertmode=disable: SCRAM needs no certificate", withCert("require", "disable"), true),
    {
      description: "sslcertmode=disable for a cert-authenticated user",
      settings: withCert("require", "disable"),
      user: "dbdoctor",
      ok: false,
      errorIncludes: "connection requires a valid client certificate",
    },
    {
      description: "sslcertmode=allow for a cert-authenticated user",
      settings: withCert("require", "allow"),
      user: "dbdoctor",
      ok: true,
    },
  ].map((e) => ({ ...e, clients: [before16("sslcertmode")] })),
};

/** A server that verifies client certificates against the lab root but lets SCRAM users in with or without TLS. */
function clientCertReject(name: string, description: string, settings: Record<string, string>): Scenario {
  return {
    name,
    description,
    spec: {
      name,
      ...tls("server-good"),
      caFile: ROOT,
      hba: [`host all app ${LOCAL} scram-sha-256`],
      users: [app],
      settings,
    },
    expectations: [],
  };
}

const CC = (sslmode: string, cert: string) => ({ sslmode, ...clientCert(cert) });

const rejectTls13: Scenario = {
  ...clientCertReject(
    "client-cert-reject-tls13",
    "ssl_ca_file set; TLS 1.3: a bad client certificate is rejected after the client's handshake completed",
    {},
  ),
  expectations: [
    { ...appExp("a good client certificate under prefer", CC("prefer", "client-good"), true), ssl: true },
    {
      ...appExp("an expired client certificate under prefer: no fallback", CC("prefer", "client-expired"), false),
      clients: alertByOpenssl("certificate expired"),
    },
    {
      ...appExp("an expired client certificate under require", CC("require", "client-expired"), false),
      clients: alertByOpenssl("certificate expired"),
    },
    appExp(
      "an untrusted client certificate under prefer: no fallback",
      CC("prefer", "client-untrusted"),
      false,
      "tlsv1 alert unknown ca",
    ),
    {
      ...appExp("an expired client certificate under allow: plaintext first", CC("allow", "client-expired"), true),
      ssl: false,
    },
    { ...appExp("an expired client certificate under disable", CC("disable", "client-expired"), true), ssl: false },
  ],
};

const rejectTls12: Scenario = {
  ...clientCertReject(
    "client-cert-reject-tls12",
    "ssl_ca_file set and ssl_max_protocol_version=TLSv1.2: the rejection comes inside the handshake",
    { ssl_max_protocol_version: "TLSv1.2" },
  ),
  expectations: [
    { ...appExp("a good client certificate under prefer", CC("prefer", "client-good"), true), ssl: true },
    {
      ...appExp(
        "an expired client certificate under prefer: falls back to plaintext",
        CC("prefer", "client-expired"),
        true,
      ),
      ssl: false,
    },
    {
      ...appExp("an expired client certificate under require", CC("require", "client-expired"), false),
      clients: alertByOpenssl("certificate expired"),
    },
    {
      ...appExp(
        "an untrusted client certificate under prefer: falls back to plaintext",
        CC("prefer", "client-untrusted"),
        true,
      ),
      ssl: false,
    },
    appExp(
      "an untrusted client certificate under require",
      CC("require", "client-untrusted"),
      false,
      "tlsv1 alert unknown ca",
    ),
  ],
};

const NO_DIGEST = "could not find digest for NID UNDEF";
const ED_CA = certPath("ed25519-ca.crt");

const ed25519Signed: Scenario = {
  name: "ed25519-signed",
  description: "an RSA server certificate signed by an Ed25519 CA: tls-server-end-point channel binding has no hash",
  spec: {
    name: "ed25519-signed",
    ...tls("server-ed25519-signed"),
    hba: [`host all app ${LOCAL} scram-sha-256`, `host all md5user ${LOCAL} md5`],
    users: [app, md5user],
  },
  expectations: [
    appExp(
      "verify-full, SCRAM with the default channel_binding=prefer",
      verifyFull("localhost", ED_CA),
      false,
      NO_DIGEST,
    ),
    appExp("require, SCRAM with the default channel_binding=prefer", { sslmode: "require" }, false, NO_DIGEST),
    appExp("prefer: the failure comes after TLS, no fallback", { sslmode: "prefer" }, false, NO_DIGEST),
    { ...appExp("require with channel_binding=disable", cb("disable", "require"), true), ssl: true },
    { ...appExp("disable: no TLS, no channel binding", { sslmode: "disable" }, true), ssl: false },
    { ...userExp(md5user, "an md5 user over TLS (no SCRAM)", { sslmode: "require" }, true), ssl: true },
  ],
};

const SYSTEM_STORE = certPath("system-store");
const DEBIAN_BUNDLE = "/etc/ssl/certs/ca-certificates.crt";
/**
 * libpq 15 has no sslrootcert=system: it takes "system" as a file name (relative to the working directory),
 * finds none, and under the default sslmode=prefer (16+ would make it verify-full) connects without verifying.
 */
const SYSTEM_AS_FILE: ClientOutcome = {
  libpqMax: 15,
  ok: true,
  ssl: true,
  why: "libpq 15: no file named system, so no verification under the default prefer (16+ default to verify-full)",
};
const systemRoot = { sslrootcert: "system", host: "localhost" };

const systemStore: Scenario = {
  name: "system-store",
  description: "sslrootcert=system against a server signed by the lab root: the client's OpenSSL default store decides",
  spec: { name: "system-store", ...tls("server-good"), hba: [`host all app ${LOCAL} scram-sha-256`], users: [app] },
  expectations: [
    {
      ...appExp("sslrootcert=system, the machine's store (no lab root in it)", systemRoot, false, VERIFY_FAILED),
      clients: [SYSTEM_AS_FILE],
    },
    {
      ...appExp("sslrootcert=system with SSL_CERT_FILE = the lab root", systemRoot, true),
      env: { SSL_CERT_FILE: ROOT },
      clients: [SYSTEM_AS_FILE],
    },
    {
      ...appExp("sslrootcert=system with SSL_CERT_DIR = a hashed directory with the lab root", systemRoot, true),
      env: { SSL_CERT_DIR: SYSTEM_STORE },
      clients: [SYSTEM_AS_FILE],
    },
    {
      ...appExp(
        "sslrootcert=system, lab root in /etc/ssl/certs (private mount), no variable",
        systemRoot,
        false,
        VERIFY_FAILED,
      ),
      systemStore: SYSTEM_STORE,
      clients: [
        SYSTEM_AS_FILE,
        {
          clients: ["psql"],
          ok: true,
          why: "Debian's libpq/OpenSSL reads its default store under /usr/lib/ssl, which links to /etc/ssl/certs",
        },
      ],
    },
    {
      ...appExp(
        "sslrootcert=system, lab root in /etc/ssl/certs (private mount), SSL_CERT_FILE names Debian's bundle",
        systemRoot,
        true,
      ),
      systemStore: SYSTEM_STORE,
      env: { SSL_CERT_FILE: DEBIAN_BUNDLE },
      clients: [SYSTEM_AS_FILE],
    },
    {
      ...appExp(
        "sslrootcert=system with sslmode=verify-full, the machine's store",
        { ...systemRoot, sslmode: "verify-full" },
        false,
        VERIFY_FAILED,
      ),
      clients: [
        {
          libpqMax: 15,
          ok: false,
          errorIncludes: 'root certificate file "system" does not exist',
          why: "libpq 15 looks for a file named system, which verify-full requires",
        },
      ],
    },
    {
      ...appExp(
        "sslrootcert=system with sslmode=require",
        { ...systemRoot, sslmode: "require" },
        false,
        'weak sslmode "require" may not be used with sslrootcert=system (use "verify-full")',
      ),
      clients: [{ libpqMax: 15, ok: true, why: "libpq 15: no file named system, and require does not verify" }],
    },
  ],
};

const multiHostPorts = "{port:multi-host-ssl-off-node},{port:multi-host}";
const multiHost: Scenario = {
  name: "multi-host",
  description: "two hosts in one string, the first with ssl = off, the second a good TLS server",
  spec: { name: "multi-host", ...tls("server-good"), hba: [`host all app ${LOCAL} scram-sha-256`], users: [app] },
  companions: [
    { name: "multi-host-ssl-off-node", ssl: false, hba: [`host all app ${LOCAL} scram-sha-256`], users: [app] },
  ],
  expectations: [
    {
      ...appExp(
        "sslmode=require, the SSL-off host first",
        { host: "127.0.0.1,127.0.0.1", port: multiHostPorts, sslmode: "require" },
        false,
        NO_SSL,
      ),
      clients: [
        {
          clients: ["psycopg-binary"],
          ok: true,
          ssl: true,
          why:
            "libpq (15.18, 17.11 and 18.6 alike) ends the whole attempt at a host that answers N under require; psycopg 3 " +
            "makes one libpq attempt per host itself (psycopg/_conninfo_attempts.py) and so reaches the second host",
        },
      ],
    },
    {
      ...appExp(
        "sslmode=prefer, the SSL-off host first: plaintext there",
        { host: "127.0.0.1,127.0.0.1", port: multiHostPorts, sslmode: "prefer" },
        true,
      ),
      ssl: false,
    },
    {
      ...appExp(
        "sslmode=require, the TLS host first",
        { host: "127.0.0.1,127.0.0.1", port: "{port:multi-host},{port:multi-host-ssl-off-node}", sslmode: "require" },
        true,
      ),
      ssl: true,
    },
  ],
};

const readOnly: Scenario = {
  name: "connect-options",
  description: "a primary (and a read-only companion): target_session_attrs and options libpq checks at connect time",
  spec: { name: "connect-options", ...tls("server-good"), hba: [`host all app ${LOCAL} scram-sha-256`], users: [app] },
  companions: [
    {
      name: "connect-options-read-only",
      ...tls("server-good"),
      settings: { default_transaction_read_only: "on" },
      hba: [`host all app ${LOCAL} scram-sha-256`],
      users: [app],
    },
  ],
  expectations: [
    appExp(
      "target_session_attrs=read-only against a primary",
      { sslmode: "require", target_session_attrs: "read-only" },
      false,
      "session is not read-only",
    ),
    appExp(
      "target_session_attrs=read-write against a primary",
      { sslmode: "require", target_session_attrs: "read-write" },
      true,
    ),
    appExp(
      "target_session_attrs=standby against a primary",
      { sslmode: "require", target_session_attrs: "standby" },
      false,
      "server is not in hot standby mode",
    ),
    appExp(
      "target_session_attrs=prefer-standby against a primary",
      { sslmode: "require", target_session_attrs: "prefer-standby" },
      true,
    ),
    appExp(
      "target_session_attrs=read-only: the primary, then a read-only server",
      {
        sslmode: "require",
        host: "127.0.0.1,127.0.0.1",
        port: "{port:connect-options},{port:connect-options-read-only}",
        target_session_attrs: "read-only",
      },
      true,
    ),
    appExp(
      "target_session_attrs=read-write against a default_transaction_read_only server",
      { sslmode: "require", port: "{port:connect-options-read-only}", target_session_attrs: "read-write" },
      false,
      "session is read-only",
    ),
    appExp(
      "keepalives=x",
      { sslmode: "require", keepalives: "x" },
      false,
      'invalid integer value "x" for connection option "keepalives"',
    ),
    appExp(
      "tcp_user_timeout=abc",
      { sslmode: "require", tcp_user_timeout: "abc" },
      false,
      'invalid integer value "abc" for connection option "tcp_user_timeout"',
    ),
    appExp(
      "client_encoding=nosuch",
      { sslmode: "require", client_encoding: "nosuch" },
      false,
      'invalid value for parameter "client_encoding": "nosuch"',
    ),
    {
      ...appExp(
        "scram_client_key=abc",
        { sslmode: "require", scram_client_key: "abc" },
        false,
        "invalid SCRAM client key",
      ),
      clients: [before18("scram_client_key")],
    },
    {
      ...appExp(
        "min_protocol_version=3.2 against a 3.0 server",
        { sslmode: "require", min_protocol_version: "3.2" },
        false,
        "protocol version",
      ),
      clients: [before18("min_protocol_version")],
    },
    {
      ...appExp(
        "gssencmode=require without a credential cache",
        { sslmode: "prefer", gssencmode: "require" },
        false,
        "GSSAPI encryption required but no credential cache",
      ),
      clients: [
        {
          libpqMax: 15,
          ok: false,
          errorIncludes:
            "GSSAPI encryption required but was impossible (possibly no credential cache, no server support, or using a local socket)",
          why: "libpq 15's wording; 17 and 18 name the missing credential cache",
        },
      ],
    },
  ],
};

/** A server certificate (chain) of issue 14's edge cases, verified against `root`. */
function edgeCert(
  name: string,
  description: string,
  cert: string,
  root: string,
  verifyOk: boolean,
  serverCert = certPath(`${cert}.crt`),
): Scenario {
  return {
    name,
    description,
    spec: {
      name,
      ...tls(cert),
      serverCert,
      hba: [`host all app ${LOCAL} scram-sha-256`],
      users: [app],
    },
    expectations: [
      appExp("verify-full", verifyFull("localhost", root), verifyOk, verifyOk ? undefined : VERIFY_FAILED),
      appExp("verify-ca", { sslmode: "verify-ca", sslrootcert: root }, verifyOk, verifyOk ? undefined : VERIFY_FAILED),
      { ...appExp("require without a root file does not verify", { sslmode: "require" }, true), ssl: true },
    ],
  };
}

/**
 * No TLS 1.3 signature scheme exists for a Brainpool key in the servers' OpenSSL (1.1.1, 3.0: RFC 8734's
 * schemes came in 3.2), and TLS 1.2's ECDSA needs the curve among the client's groups, which no default list
 * has: the server finds no certificate it can use and sends a handshake_failure alert, whatever the sslmode.
 */
const brainpool: Scenario = {
  ...edgeCert("brainpool", "a server key on brainpoolP256r1", "server-brainpool", ROOT, false),
  expectations: [
    { ...appExp("verify-full", verifyFull(), false), clients: alertByOpenssl("handshake failure") },
    { ...appExp("require", { sslmode: "require" }, false), clients: alertByOpenssl("handshake failure") },
    {
      ...appExp("prefer: a handshake alert, so libpq falls back to plaintext", { sslmode: "prefer" }, true),
      ssl: false,
    },
  ],
};

const edgeCases: Scenario[] = [
  edgeCert(
    "intermediate-no-bc",
    "the server sends leaf + an intermediate without basicConstraints (OpenSSL: invalid CA certificate)",
    "server-no-bc-intermediate",
    ROOT,
    false,
    certPath("server-no-bc-intermediate-chain.crt"),
  ),
  edgeCert(
    "root-v3-noext",
    "the leaf's root is an X.509 v3 certificate without extensions",
    "server-v3-noext-root",
    certPath("root-v3-noext.crt"),
    false,
  ),
  edgeCert("expiring-leaf", "a good server certificate that expires in 10 days", "server-expiring", ROOT, true),
  brainpool,
];

export const CLIENT_SCENARIOS: Scenario[] = [
  authMethods,
  sslcertmodeNoRequest,
  sslcertmodeRequest,
  rejectTls13,
  rejectTls12,
  ed25519Signed,
  systemStore,
  multiHost,
  readOnly,
  ...edgeCases,
];
