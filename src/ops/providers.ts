// Managed PostgreSQL services, recognised from the host name alone (never a network call to a provider). Each entry
// says only what can be known from the name; where the name is shared with others (Heroku on EC2) it is a guess.
// What the provider asks of the client (CA bundles, SNI, poolers) is advice, judged in src/rules/ops/.
import type { HostEntry } from "../conninfo/types.js";
import type { LibpqMajor } from "../model/options.js";
import type { SslMode } from "../model/sslmode.js";
import type { ProviderFacts, ProviderId } from "./types.js";

export interface ProviderInput {
  hosts: HostEntry[];
  values: Record<string, string | undefined>;
  major: LibpqMajor;
  configuredMode: SslMode | null;
}

interface Recognised {
  id: ProviderId;
  name: string;
  endpoint: string;
  guess: boolean;
  verifyFull?: ProviderFacts["verifyFull"];
}

function recognise(host: string, port: string, user: string): Recognised | null {
  const h = host.toLowerCase().replace(/\.$/, "");
  if (/\.rds\.amazonaws\.com(\.cn)?$/.test(h)) {
    const endpoint = /\.proxy-[a-z0-9]+\./.test(h)
      ? "proxy"
      : /\.cluster-ro-[a-z0-9]+\./.test(h)
        ? "cluster-reader"
        : /\.cluster-custom-[a-z0-9]+\./.test(h)
          ? "cluster-custom"
          : /\.cluster-[a-z0-9]+\./.test(h)
            ? "cluster"
            : "instance";
    return { id: "aws-rds", name: "Amazon RDS / Aurora PostgreSQL", endpoint, guess: false };
  }
  if (/\.postgres\.database\.(azure\.com|chinacloudapi\.cn|usgovcloudapi\.net)$/.test(h))
    return {
      id: "azure",
      name: "Azure Database for PostgreSQL",
      endpoint: port === "6432" ? "pooler-pgbouncer" : "server",
      guess: false,
    };
  if (/\.sql\.goog$/.test(h))
    return { id: "google-cloud-sql", name: "Google Cloud SQL", endpoint: "dns-name", guess: false };
  // The Cloud SQL Auth Proxy listens on loopback; only an IAM database user (name ending in .iam) hints at it.
  if ((h === "127.0.0.1" || h === "localhost" || h === "::1") && /\.iam$/.test(user))
    // The proxy's local listener is plain TCP: SSL towards it is refused, so verify-full cannot succeed.
    return { id: "google-cloud-sql", name: "Google Cloud SQL", endpoint: "auth-proxy", guess: true, verifyFull: "no" };
  // A pooler endpoint presents the pooler's certificate, not the project's: verify-full needs care there.
  if (/\.pooler\.supabase\.com$/.test(h))
    return {
      id: "supabase",
      name: "Supabase",
      endpoint: port === "6543" ? "pooler-transaction" : "pooler-session",
      guess: false,
      verifyFull: "with-care",
    };
  if (/\.supabase\.co$/.test(h))
    return {
      id: "supabase",
      name: "Supabase",
      endpoint: port === "6543" ? "pooler-transaction" : "direct",
      guess: false,
      ...(port === "6543" ? { verifyFull: "with-care" as const } : {}),
    };
  if (/\.neon\.tech$/.test(h))
    return {
      id: "neon",
      name: "Neon",
      endpoint: /^ep-[^.]*-pooler\./.test(h) ? "pooler-transaction" : "direct",
      guess: false,
    };
  if (
    /^ec2-[0-9-]+\.compute-1\.amazonaws\.com$/.test(h) ||
    /^ec2-[0-9-]+\.[a-z0-9-]+\.compute\.amazonaws\.com$/.test(h)
  )
    // Heroku gives no CA to verify its server certificates with.
    return { id: "heroku", name: "Heroku Postgres", endpoint: "server", guess: true, verifyFull: "no" };
  if (/\.db\.ondigitalocean\.com$/.test(h))
    return {
      id: "digitalocean",
      name: "DigitalOcean Managed PostgreSQL",
      endpoint: port === "25061" ? "pooler" : "direct",
      guess: false,
    };
  if (/\.db\.postgresbridge\.com$/.test(h))
    // One certificate per team, shared by its clusters.
    return { id: "crunchy-bridge", name: "Crunchy Bridge", endpoint: "server", guess: false, verifyFull: "with-care" };
  return null;
}

/** The provider of the first host that names one (libpq tries hosts in order; the first is the usual target). */
export function recogniseProvider(input: ProviderInput): ProviderFacts | null {
  const { values } = input;
  const user = values.user ?? "";
  for (const host of input.hosts) {
    if (host.kind === "unix-socket") continue;
    const port = host.port || "5432";
    const r = recognise(host.host, port, user);
    if (r)
      return {
        id: r.id,
        name: r.name,
        host: host.host,
        port,
        guess: r.guess,
        endpoint: r.endpoint,
        verifyFull: r.verifyFull ?? "yes",
        client: {
          user: values.user ?? null,
          sslmode: input.configuredMode,
          libpqMajor: input.major,
          sslsni: values.sslsni !== "0",
          endpointOption: /(^|\s)endpoint=/.test(values.options ?? ""),
        },
      };
  }
  return null;
}
