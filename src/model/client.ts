// The client a verdict predicts for. libpq's behaviour depends on its major, on the OpenSSL it runs with (how TLS
// alerts are worded) and on where that OpenSSL finds its default trust store (sslrootcert=system); and a driver may
// change libpq's plan (psycopg 3 tries the hosts of a multi-host string itself). Measured with the real clients
// (libpq.md "Clients in the wild", fixtures/clients/outcomes.json).
import { type ClientName, FIXED_CLIENTS, LIBPQ_MAJORS, type LibpqMajor } from "./options.js";

export type { ClientName } from "./options.js";

/** Every value --client takes. */
export const CLIENT_CHOICES: readonly string[] = [...FIXED_CLIENTS, ...LIBPQ_MAJORS.map((m) => `libpq-${m}`)];

/**
 * OpenSSL renamed the reason strings of TLS alerts in 3.2 (SSL_R_SSLV3_ALERT_*): "sslv3 alert certificate expired"
 * before, "ssl/tls alert certificate expired" from 3.2 on (both measured: Debian 12's 3.0.19, the wheels' 3.5.8).
 */
export type AlertWording = "sslv3" | "ssl/tls";

/** Where the client's OpenSSL looks for its default trust store (SSL_CTX_set_default_verify_paths). */
export interface TrustStoreFacts {
  /** OPENSSLDIR of the client's OpenSSL; the default file is OPENSSLDIR/cert.pem, the directory OPENSSLDIR/certs. */
  openssldir: string;
  defaultFile: string;
  defaultDir: string;
  /** SSL_CERT_FILE / SSL_CERT_DIR as the client would see them (they replace the defaults). */
  envFile?: string;
  envDir?: string;
  /** The file and directories OpenSSL will really read for sslrootcert=system, in its order. */
  file: string;
  dirs: string[];
  /** Whether that file or one of the directories exists on this machine (false: sslrootcert=system trusts nothing). */
  present: boolean;
}

export interface ClientProfile {
  name: ClientName;
  /** What the name means, e.g. "psycopg[binary] 3.3 wheel (bundled libpq 18, OpenSSL 3.5)". */
  description: string;
  libpq: LibpqMajor;
  /** The OpenSSL generation, e.g. "3.5" (bundled) or "3.0" (the system's). */
  openssl: string;
  opensslBundled: boolean;
  alertWording: AlertWording;
  /** The driver makes one libpq attempt per host of a multi-host string (psycopg/_conninfo_attempts.py). */
  triesHostsItself: boolean;
  trustStore: TrustStoreFacts;
  /** Why this client: "--client", "--libpq", SkillFlaw's driver, the local psql, or the fallback. */
  chosenBecause: string;
}

/** OpenSSL 3.2 renamed the alert reasons. */
export function alertWordingOf(openssl: string): AlertWording {
  const m = /^(\d+)\.(\d+)/.exec(openssl);
  if (!m) return "sslv3";
  const [maj, min] = [Number(m[1]), Number(m[2])];
  return maj > 3 || (maj === 3 && min >= 2) ? "ssl/tls" : "sslv3";
}

/**
 * The store OpenSSL's X509_get_default_cert_file/dir would name, with SSL_CERT_FILE / SSL_CERT_DIR (which replace
 * them, crypto/x509/x509_def.c) applied. SSL_CERT_DIR is a list separated by ':' (by_dir.c).
 */
export function trustStoreOf(
  openssldir: string,
  env: Readonly<Record<string, string | undefined>>,
  exists: (path: string) => boolean,
): TrustStoreFacts {
  const defaultFile = `${openssldir}/cert.pem`;
  const defaultDir = `${openssldir}/certs`;
  const envFile = env.SSL_CERT_FILE || undefined;
  const envDir = env.SSL_CERT_DIR || undefined;
  const file = envFile ?? defaultFile;
  const dirs = (envDir ?? defaultDir).split(":").filter((d) => d !== "");
  return {
    openssldir,
    defaultFile,
    defaultDir,
    ...(envFile ? { envFile } : {}),
    ...(envDir ? { envDir } : {}),
    file,
    dirs,
    present: exists(file) || dirs.some(exists),
  };
}

/**
 * The OPENSSLDIR compiled into the wheels' bundled OpenSSL (psycopg-binary 3.3.6 and psycopg2-binary 2.9.13, both
 * OpenSSL 3.5.8: `OpenSSL_version(OPENSSL_DIR)`): a directory of the machine that built them, absent everywhere
 * else, so sslrootcert=system finds no root unless SSL_CERT_FILE or SSL_CERT_DIR names one.
 */
export const WHEEL_OPENSSLDIR = "/host/tmp/libpq.build";

/** What the machine's own libpq would run with (detected by the engine: `openssl version`, `psql --version`). */
export interface SystemClientFacts {
  /** The local psql's libpq major, when psql is on PATH. */
  psqlMajor?: LibpqMajor;
  /** The system OpenSSL's version, e.g. "3.0.19", when known. */
  openssl?: string;
  /** The system OpenSSL's OPENSSLDIR (Debian: /usr/lib/ssl). */
  openssldir: string;
  /** Whether a path exists on this machine (the trust store's presence). */
  exists: (path: string) => boolean;
}

function wheel(
  name: "psycopg-binary" | "psycopg2-binary",
  sys: SystemClientFacts,
  libpq: LibpqMajor,
  description: string,
  triesHostsItself: boolean,
  env: Readonly<Record<string, string | undefined>>,
  chosenBecause: string,
): ClientProfile {
  return {
    name,
    description,
    libpq,
    openssl: "3.5",
    opensslBundled: true,
    alertWording: "ssl/tls",
    triesHostsItself,
    trustStore: trustStoreOf(WHEEL_OPENSSLDIR, env, sys.exists),
    chosenBecause,
  };
}

function systemLibpq(
  name: ClientName,
  libpq: LibpqMajor,
  description: string,
  sys: SystemClientFacts,
  env: Readonly<Record<string, string | undefined>>,
  chosenBecause: string,
): ClientProfile {
  const openssl = sys.openssl ? (/^\d+\.\d+/.exec(sys.openssl)?.[0] ?? sys.openssl) : "3.0";
  return {
    name,
    description,
    libpq,
    openssl,
    opensslBundled: false,
    alertWording: alertWordingOf(openssl),
    triesHostsItself: false,
    trustStore: trustStoreOf(sys.openssldir, env, sys.exists),
    chosenBecause,
  };
}

/** The profile of a named client. `libpq-N` and psql run with the system's OpenSSL. */
export function clientProfile(
  name: ClientName,
  sys: SystemClientFacts,
  env: Readonly<Record<string, string | undefined>>,
  chosenBecause: string,
): ClientProfile {
  switch (name) {
    case "psycopg-binary":
      return wheel(name, sys, 18, "psycopg[binary] 3 wheel (bundled libpq 18, OpenSSL 3.5)", true, env, chosenBecause);
    case "psycopg2-binary":
      return wheel(
        name,
        sys,
        17,
        "psycopg2-binary 2.9 wheel (bundled libpq 17, OpenSSL 3.5)",
        false,
        env,
        chosenBecause,
      );
    case "psql": {
      const major = sys.psqlMajor ?? 17;
      const how = sys.psqlMajor ? `libpq ${major}` : "no psql found: libpq 17 assumed";
      return systemLibpq(name, major, `the local psql (${how}, system OpenSSL)`, sys, env, chosenBecause);
    }
    default: {
      const major = Number(name.slice("libpq-".length)) as LibpqMajor;
      return systemLibpq(name, major, `libpq ${major} with the system OpenSSL`, sys, env, chosenBecause);
    }
  }
}

export function isClientName(s: string): s is ClientName {
  return CLIENT_CHOICES.includes(s);
}
