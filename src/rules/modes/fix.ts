// The one concrete change that makes a failing attempt work, for each classified cause. Shared by the matrix
// rules and the verdict, so the fix in a finding and in the verdict line are the same sentence.
import type { Cause } from "../../model/mode.js";
import type { ConnectionTarget } from "../../modes/types.js";

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

/** An address the application reaches the server at on purpose (a tunnel, a port forward): keep it as hostaddr. */
export function pinnedAddress(host: string): string | null {
  if (IPV4.test(host) || host.includes(":")) return host;
  if (host === "localhost") return "127.0.0.1";
  return null;
}

/**
 * Through a tunnel (verify-full to 127.0.0.1 with a certificate for db.internal), "use host db.internal" would
 * leave the tunnel: libpq checks the certificate against `host` and connects to `hostaddr` when both are set
 * (fe-connect.c connectOptions2, fe-secure-common.c pq_verify_peer_name_matches_certificate), so the fix keeps
 * the address and names the certificate's host.
 */
/** The host=/hostaddr= pair of the tunnel fix, when it applies. */
export function tunnelFix(ctx: ConnectionTarget): { host: string; hostaddr: string } | null {
  const name = ctx.certNames.find((n) => !n.startsWith("*.") && pinnedAddress(n) === null);
  const address = pinnedAddress(ctx.host);
  return name !== undefined && address !== null ? { host: name, hostaddr: address } : null;
}

function hostnameFix(ctx: ConnectionTarget): string {
  const name = ctx.certNames.find((n) => !n.startsWith("*.") && pinnedAddress(n) === null) ?? ctx.certNames[0];
  if (name === undefined) return `Reissue the server certificate with "${ctx.host}" in its subjectAltName.`;
  const address = pinnedAddress(ctx.host);
  if (address !== null && pinnedAddress(name) === null && !name.startsWith("*."))
    return `Keep connecting to ${address} and check the certificate's name: host=${name} hostaddr=${address} (libpq verifies host, connects to hostaddr), or reissue the certificate with "${ctx.host}" in its subjectAltName.`;
  return `Use host ${name}, the name on the certificate, or reissue the certificate with "${ctx.host}" in its subjectAltName.`;
}

/**
 * Behind a pooler, what the client meets at the address is the pooler's TLS and authentication: their fixes go in its
 * settings (PgBouncer's client_tls_* and auth_type, pgpool's ssl and pool_hba.conf), not in postgresql.conf.
 */
function poolerFix(cause: Cause | undefined, pooler: { kind: string; name: string }): string | undefined {
  const bouncer = pooler.kind === "pgbouncer";
  switch (cause) {
    case "server-ssl-off":
      return bouncer
        ? "PgBouncer answers 'N': TLS to clients is off in pgbouncer.ini. Set client_tls_sslmode = require with client_tls_key_file and client_tls_cert_file there and reload PgBouncer; ssl = on in postgresql.conf does not reach the client."
        : `${pooler.name} answers 'N': TLS to clients is off in the pooler (pgpool-II: ssl = on with ssl_cert and ssl_key in pgpool.conf); ssl = on in postgresql.conf does not reach the client.`;
    case "hba-reject":
      return bouncer
        ? "PgBouncer refuses this connection: check client_tls_sslmode and auth_type (auth_hba_file with auth_type = hba) in pgbouncer.ini, or use an sslmode it accepts."
        : `${pooler.name} refuses this connection: check pool_hba.conf (pgpool-II) or the pooler's TLS settings, or use an sslmode it accepts.`;
    case "client-cert-rejected":
    case "client-cert-required":
      return bouncer
        ? "PgBouncer checks client certificates against client_tls_ca_file (client_tls_sslmode = verify-ca/verify-full): give sslcert/sslkey a certificate that CA issued."
        : undefined;
    default:
      return undefined;
  }
}

export function fixFor(cause: Cause | undefined, ctx: ConnectionTarget): string {
  const viaPooler = ctx.pooler ? poolerFix(cause, ctx.pooler) : undefined;
  if (viaPooler) return viaPooler;
  const issuer = ctx.certIssuer ? ` (${ctx.certIssuer})` : "";
  const fixes: Record<Cause, string> = {
    "client-config": "Fix the file named in libpq's message; `dbdoctor certs` shows what is wrong with it.",
    "auth-requirement":
      "The connection asks for an authentication the server does not do (channel_binding, require_auth or sslcertmode): align the setting with the server's pg_hba.conf method, or change the method there (scram-sha-256 over TLS gives channel binding; a server certificate signed with Ed25519/Ed448 cannot, so use channel_binding=disable or an RSA/ECDSA-signed certificate).",
    "dns-failure": `Check the spelling of host "${ctx.host}" and that this machine's DNS resolves it.`,
    refused: `Nothing listens on ${ctx.host}: check the port, the server's listen_addresses and any firewall in between.`,
    timeout: `${ctx.host} does not answer: a firewall drops the packets, or the host or port is wrong.`,
    unreachable: `No route to ${ctx.host}: check the address and the network in between.`,
    "server-ssl-off":
      "The server has SSL off: set ssl = on with ssl_cert_file and ssl_key_file in postgresql.conf and reload it.",
    "sslrequest-bad-reply":
      "Something at that address does not answer PostgreSQL's SSLRequest correctly (a proxy or pooler?): run `dbdoctor server` against it.",
    "unknown-ca": ctx.chainIncomplete
      ? `The server sends its certificate without the intermediate CA that issued it${issuer}: append that CA certificate to the server's ssl_cert_file after the leaf (or add it to the client's sslrootcert file).`
      : ctx.rootPath
        ? `The root file ${ctx.rootPath} does not hold the CA that issued the server's certificate${issuer}: add that CA to it.`
        : `Add sslrootcert=/path/to/ca.crt with the CA that issued the server's certificate${issuer}.`,
    "self-signed":
      "The server's certificate is self-signed: put that certificate (or better, a CA that signs it) into the sslrootcert file, or give the server a CA-issued certificate.",
    "missing-intermediate":
      "The server does not send its intermediate CA certificate: append it to the server's ssl_cert_file after the leaf certificate.",
    "cert-expired": "The server's certificate has expired: renew it on the server and reload PostgreSQL.",
    "cert-not-yet-valid":
      "The server's certificate is not valid yet: check the clocks of the server and this machine, or reissue it.",
    "cert-revoked": "The server's certificate is revoked by the CRL in use: issue the server a new certificate.",
    "crl-missing":
      "CRL checking is on (sslcrl/sslcrldir), and OpenSSL then needs a CRL for every CA in the chain: add the missing CRLs or drop sslcrl/sslcrldir.",
    "hostname-mismatch": hostnameFix(ctx),
    "tls-version":
      "The client's ssl_min_protocol_version/ssl_max_protocol_version and the server's ssl_min_protocol_version/ssl_max_protocol_version do not overlap: align them (TLSv1.2 or TLSv1.3).",
    "tls-handshake":
      "The TLS handshake failed: see libpq's reason; `dbdoctor server` shows the protocols and the chain.",
    "client-cert-rejected":
      "The server does not trust the client certificate: sign it with a CA listed in the server's ssl_ca_file, or add its CA there.",
    "client-cert-required":
      "The server requires a client certificate: set sslcert and sslkey to a certificate signed by a CA in the server's ssl_ca_file.",
    "client-cert-cn": `The client certificate's CN must be the database user "${ctx.user}", or pg_hba.conf needs map= with a pg_ident.conf mapping.`,
    "hba-reject": `pg_hba.conf has no line for this connection: add e.g. "hostssl ${ctx.database} ${ctx.user} <client address>/32 scram-sha-256", or use an sslmode that matches the lines it has.`,
    "wrong-password": `The password for user "${ctx.user}" is wrong: check the URL (percent-encoding!), PGPASSWORD and ~/.pgpass.`,
    "no-password": "The server asks for a password and none is configured: put it in the URL, PGPASSWORD or ~/.pgpass.",
    "role-missing": `Role "${ctx.user}" does not exist on the server: create it, or fix the user name.`,
    "database-missing": `Database "${ctx.database}" does not exist: create it, or fix the database name.`,
    "too-many-connections":
      "The server is out of connection slots: raise max_connections or lower the application's pool size (pool_size + max_overflow per worker).",
    "server-starting": "The server is starting up or shutting down: try again shortly.",
    "server-closed": "The server closed the connection: its log says why.",
    "server-error": "See the server's message; its log has the details.",
    "no-reply": `Something at ${ctx.host} accepts connections but stops answering: a hung or overloaded server, a pooler with no free server connection (PgBouncer with an exhausted pool), or a service that is not PostgreSQL; check the server, its pooler and the port.`,
    deadline: "Run dbdoctor again with a longer --deadline (or a shorter --timeout) to decide this.",
    "gss-out-of-scope":
      "Set gssencmode=disable (or prefer) so that SSL decides, or diagnose GSSAPI with your Kerberos tools.",
  };
  return (cause && fixes[cause]) || "See libpq's message.";
}
