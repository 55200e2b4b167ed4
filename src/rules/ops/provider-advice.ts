// What each managed PostgreSQL service asks of the client, for the endpoint recognised from the host name: which CA
// bundle its certificates chain to and where to get it, host-name and SNI quirks, poolers, and whether the configured
// sslmode falls short. Documentation is named by page title, not URL, so a moved page does not turn into a wrong link.
import type { ClientProfile } from "../../model/client.js";
import type { SslMode } from "../../model/sslmode.js";
import type { ProviderClient, ProviderFacts } from "../../ops/types.js";
import { systemRootAdvice } from "../client-advice.js";

/** The advice, already specific to this endpoint and client. */
export interface ProviderAdvice {
  /** Which CA bundle and where to get it. */
  ca: string;
  /** Host-name / certificate quirks. */
  names: string;
  /** SNI, pooler and other requirements of this endpoint. */
  notes: string[];
  /** The sslmode problem, when the configured mode misses what the provider needs. */
  sslmodeProblem?: { message: string; hint: string };
  /** A transaction-mode pooler on this port. */
  transactionPooler?: string;
}

/** Modes that may end in (or start with) plaintext. */
const WEAK: ReadonlySet<SslMode> = new Set(["disable", "allow", "prefer"]);

/** libpq sends SNI from 14 on unless sslsni=0 (fe-secure-openssl.c: only for a host name, never an address). */
function sendsSni(client: ProviderClient): boolean {
  return client.libpqMajor >= 14 && client.sslsni;
}

function verifyAdvice(mode: SslMode | null, what: string): { message: string; hint: string } | undefined {
  if (mode === null || mode === "verify-full") return undefined;
  if (WEAK.has(mode))
    return {
      message: `sslmode=${mode} lets libpq fall back to (or start with) plaintext, which ${what}`,
      hint: "Use sslmode=verify-full with the provider's CA bundle as sslrootcert.",
    };
  if (mode === "require")
    return {
      message: `sslmode=require encrypts but does not check the server's certificate, though ${what}`,
      hint: "Use sslmode=verify-full with the provider's CA bundle as sslrootcert.",
    };
  return undefined;
}

/** What this provider asks of the client at this endpoint, worded for the findings. */
export function adviceFor(p: ProviderFacts, client?: ClientProfile): ProviderAdvice {
  const { user, sslmode: mode, libpqMajor: major } = p.client;
  const rootSystem =
    major >= 16
      ? client && !client.trustStore.present
        ? `use ${systemRootAdvice(client, major)}`
        : "sslrootcert=system (libpq 16+) uses the operating system's trusted roots"
      : "libpq before 16 has no sslrootcert=system: point sslrootcert at the system bundle file (Debian/Ubuntu: /etc/ssl/certs/ca-certificates.crt)";
  const notes: string[] = [];
  let ca = "";
  let names = "";
  let sslmodeProblem: ProviderAdvice["sslmodeProblem"];
  let transactionPooler: string | undefined;
  switch (p.id) {
    case "aws-rds": {
      if (p.endpoint === "proxy") {
        ca =
          "RDS Proxy presents certificates from AWS Certificate Manager, which chain to the Amazon Trust Services roots (Amazon Root CA 1), not to the RDS CA bundle; trust those roots (" +
          rootSystem +
          ') — AWS page "Using TLS/SSL with RDS Proxy"';
        names =
          "the certificate names the proxy endpoint: connect by that name (not an IP or your own CNAME) for verify-full";
      } else {
        ca =
          'the RDS certificate bundle global-bundle.pem (or your region\'s bundle) as sslrootcert — AWS page "Using SSL/TLS to encrypt a connection to a DB instance or cluster"';
        names =
          'RDS certificates name the instance and cluster endpoints: a custom CNAME or an IP address fails verify-full with "server certificate for ... does not match host name"';
      }
      notes.push(
        "RDS for PostgreSQL 15 and later sets rds.force_ssl=1 by default, so plaintext is refused (no pg_hba.conf entry ..., no encryption)",
      );
      if (p.endpoint === "cluster-reader")
        notes.push("this is Aurora's read-only endpoint: SkillFlaw needs the writer (cluster) endpoint");
      sslmodeProblem = verifyAdvice(mode, "this server's certificate can be verified with the AWS bundle");
      break;
    }
    case "azure": {
      ca =
        "DigiCert Global Root G2 and Microsoft RSA Root Certificate Authority 2017 (older servers: DigiCert Global Root CA), concatenated into one sslrootcert file — see the TLS/SSL connectivity pages of the Azure Database for PostgreSQL flexible server documentation";
      names =
        "the certificate names <server>.postgres.database.azure.com: over a private endpoint keep using that name (private DNS zone), not the IP, for verify-full";
      notes.push("require_secure_transport is on by default, so plaintext is refused");
      if (p.endpoint === "pooler-pgbouncer") {
        transactionPooler = "port 6432 is Azure's built-in PgBouncer, which runs in transaction mode by default";
      }
      sslmodeProblem = verifyAdvice(mode, "Azure's certificate can be verified with the DigiCert/Microsoft roots");
      break;
    }
    case "google-cloud-sql": {
      if (p.endpoint === "auth-proxy") {
        ca =
          "none on this hop: the Cloud SQL Auth Proxy (or a Cloud SQL connector) encrypts and authenticates the connection to Cloud SQL itself, with its own certificates";
        names =
          'the local listener is plain TCP: libpq\'s SSL request is refused there, so require/verify-* fail with "server does not support SSL, but SSL was required"; sslmode=disable is right on loopback';
        notes.push(`recognised only from the IAM database user "${user ?? ""}" on a loopback address: a guess`);
        if (mode !== null && !WEAK.has(mode))
          sslmodeProblem = {
            message: `sslmode=${mode} asks the Auth Proxy's local listener for SSL, which it does not offer`,
            hint: "Use sslmode=disable towards the Auth Proxy on 127.0.0.1 (the proxy encrypts the hop to Cloud SQL), or connect to the instance directly with verify-full.",
          };
      } else {
        ca =
          "the instance's server CA certificate (server-ca.pem), from the console's Connections > Security page or `gcloud sql instances describe` — Google page \"Configure SSL/TLS certificates\"";
        names =
          "per-instance CA certificates name the instance (project:instance), not its IP; only instances with a Google-managed shared or customer-managed CA have DNS names (*.sql.goog) in the certificate, so verify-full works only by that DNS name";
        sslmodeProblem = verifyAdvice(mode, "the DNS name is in the instance's certificate");
      }
      break;
    }
    case "supabase": {
      ca =
        'the project\'s root certificate (prod-ca-2021.crt), downloaded under Database Settings > SSL Configuration — Supabase page "Postgres SSL Enforcement"';
      names =
        p.endpoint === "direct"
          ? "the direct host db.<project-ref>.supabase.co may resolve to IPv6 only; use the pooler's session mode (port 5432) from IPv4-only networks"
          : "the shared pooler expects the user as postgres.<project-ref>";
      if (p.endpoint !== "direct" && user !== null && !user.includes("."))
        notes.push(
          `the user "${user}" has no ".<project-ref>" suffix, which the shared pooler needs to find the project`,
        );
      notes.push("SSL enforcement is off unless enabled in the project, so plaintext may be accepted");
      if (p.endpoint === "pooler-transaction") transactionPooler = "port 6543 is Supabase's transaction-mode pooler";
      sslmodeProblem = verifyAdvice(
        mode,
        "the project's certificate can be verified with the Supabase root certificate",
      );
      break;
    }
    case "neon": {
      const endpointId = p.host.split(".")[0]?.replace(/-pooler$/, "") ?? "";
      ca = `publicly trusted certificates (Let's Encrypt): ${rootSystem} — Neon page "Connect to Neon securely"`;
      names = "connect by the endpoint's host name; Neon routes the connection by the name in SNI";
      if (!sendsSni(p.client) && !p.client.endpointOption) {
        const why = major < 14 ? `libpq ${major} sends no SNI (SNI came with libpq 14)` : "sslsni=0 turns SNI off";
        sslmodeProblem = {
          message: `${why}, so Neon cannot tell which endpoint is meant and refuses with "The endpoint ID is not specified"`,
          hint: `Use libpq 14 or later (psycopg[binary] bundles a recent libpq), or add options=endpoint%3D${endpointId} to the URL — Neon page "Connection errors".`,
        };
      } else
        sslmodeProblem = verifyAdvice(mode, "Neon requires SSL and its certificates verify against the public roots");
      notes.push("Neon requires SSL");
      if (p.endpoint === "pooler-transaction")
        transactionPooler = "the -pooler endpoint is PgBouncer in transaction mode";
      break;
    }
    case "heroku": {
      ca =
        "Heroku Postgres does not give you a CA to verify its server certificates, so verify-ca/verify-full cannot succeed; sslmode=require is what Heroku documents";
      names = "recognised from an EC2 host name (ec2-*.compute-1.amazonaws.com), which Heroku Postgres uses: a guess";
      notes.push(
        "Heroku's DATABASE_URL uses postgres://, which SkillFlaw rejects: write postgresql:// in SKILLFLAW_DATABASE_URL",
      );
      if (mode !== null && WEAK.has(mode))
        sslmodeProblem = {
          message: `sslmode=${mode} may end in plaintext, and Heroku Postgres requires SSL`,
          hint: "Use sslmode=require.",
        };
      break;
    }
    case "digitalocean": {
      ca =
        "the cluster's CA certificate (ca-certificate.crt), downloaded from the cluster's Overview page in the control panel — DigitalOcean page \"How to Connect to PostgreSQL Database Clusters\"";
      names = "the certificate names the cluster's host (private-... for the VPC host): connect by name, not IP";
      notes.push("SSL is required");
      if (p.endpoint === "pooler")
        notes.push(
          "port 25061 is a PgBouncer connection pool; its mode (transaction, session, statement) is chosen per pool",
        );
      sslmodeProblem = verifyAdvice(mode, "the cluster's certificate can be verified with its CA certificate");
      break;
    }
    case "crunchy-bridge": {
      ca =
        'the team\'s certificate, from the Crunchy Bridge dashboard or API (GET /teams/{team_id}.pem) — Crunchy Bridge page "Certificate" in the API reference';
      names = "clusters of one team share the certificate; connect by the p.<id>.db.postgresbridge.com name";
      notes.push("SSL is required");
      sslmodeProblem = verifyAdvice(mode, "the team certificate lets the client verify the server");
      break;
    }
  }
  return {
    ca,
    names,
    notes,
    ...(sslmodeProblem ? { sslmodeProblem } : {}),
    ...(transactionPooler ? { transactionPooler } : {}),
  };
}
