import type { CodeSpec } from "../rule.js";

/** Findings about the wire-level probe of the server (DNS, TCP, SSLRequest, TLS handshake, the chain it sent). */
export const SERVER_FINDINGS = {
  "server.dns-failed": {
    severity: "error",
    title: "Host name does not resolve",
    description: "getaddrinfo found no address for the host, so libpq cannot connect at all.",
    hint: "Check the spelling of host, the DNS zone, or /etc/hosts; from a container, check its resolver.",
  },
  "server.connection-refused": {
    severity: "error",
    title: "Connection refused",
    description: "Nothing listens on that address and port (or a firewall rejects the connection).",
    hint: "Check that PostgreSQL runs, that listen_addresses includes this interface and that port is right.",
  },
  "server.connect-timeout": {
    severity: "error",
    title: "TCP connect timed out",
    description:
      "The TCP connection did not complete within the timeout: a firewall dropping packets, or a wrong address.",
    hint: "Check security groups and firewalls between this host and the server, and the address itself.",
  },
  "server.unreachable": {
    severity: "error",
    title: "Address unreachable",
    description: "The network stack could not reach the address (no route, network down, or another socket error).",
    hint: "Check routing and the address; an IPv6 address without IPv6 connectivity fails like this.",
  },
  "server.address-failed": {
    severity: "info",
    title: "One address of the host failed",
    description:
      "The host resolves to several addresses; libpq tries them in order and one of them failed before another worked.",
    hint: "Each failed address costs a connect attempt (up to connect_timeout); remove stale DNS records.",
  },
  "server.no-reply": {
    severity: "error",
    title: "No answer to the SSLRequest",
    description: "The server accepted the TCP connection but did not answer the 8-byte SSLRequest within the timeout.",
    hint: "The port may belong to something that is not PostgreSQL (or a proxy that waits for the client); check host and port.",
  },
  "server.closed-during-ssl-request": {
    severity: "error",
    title: "Connection closed at the SSLRequest",
    description: "The server closed the connection instead of answering the SSLRequest.",
    hint: "Check the server log; a max_connections limit, a proxy or a non-PostgreSQL service on the port close like this.",
  },
  "server.ssl-not-supported": {
    severity: "error",
    title: "Server does not support SSL",
    description:
      "The server answered 'N' to the SSLRequest: ssl = off, or a build without SSL, or a pooler without TLS.",
    hint: "Enable TLS on the server (ssl = on with ssl_cert_file and ssl_key_file) or on the pooler in front of it.",
  },
  "server.ssl-error-response": {
    severity: "error",
    title: "Error response to the SSLRequest",
    description:
      "The server answered the SSLRequest with an ErrorResponse ('E'); very old servers and some proxies do.",
    hint: "Check what listens on the port; a PostgreSQL server since 7.1 answers 'S' or 'N'.",
  },
  "server.ssl-invalid-response": {
    severity: "error",
    title: "Invalid answer to the SSLRequest",
    description: "The first byte of the answer is neither 'S', 'N' nor 'E': the port speaks another protocol.",
    hint: "Point host and port at PostgreSQL (or at a PostgreSQL-aware pooler), not at an HTTP or other service.",
  },
  "server.unencrypted-data-after-ssl-response": {
    severity: "error",
    title: "Unencrypted data after 'S'",
    description:
      "Bytes arrived after the 'S' before any TLS was spoken. libpq (since 14.1/13.5/12.9) refuses this: it is the shape of a man-in-the-middle injection (CVE-2021-23222) or a broken proxy.",
    hint: "Check every proxy and load balancer between client and server; a correct server sends nothing after 'S'.",
  },
  "tls.handshake-failed": {
    severity: "error",
    title: "TLS handshake failed",
    description: "The server answered 'S' but the TLS handshake did not complete.",
    hint: "Read OpenSSL's reason: a protocol-version mismatch, no shared cipher, or a server that wants a client certificate.",
  },
  "server.cert-expired": {
    severity: "error",
    title: "Server certificate expired",
    description:
      "A certificate of the chain the server sent is past its notAfter; libpq refuses it whenever it verifies the chain.",
    hint: "Renew the server certificate and reload PostgreSQL (SELECT pg_reload_conf()).",
  },
  "server.cert-not-yet-valid": {
    severity: "error",
    title: "Server certificate not yet valid",
    description: "A certificate of the chain is before its notBefore (or this machine's clock is wrong).",
    hint: "Check the clock on both machines (NTP); otherwise issue the certificate with a current notBefore.",
  },
  "server.cert-untrusted": {
    severity: "error",
    title: "Server chain does not verify",
    description: "The chain the server sent does not lead to a trusted root in the effective sslrootcert.",
    hint: "Set sslrootcert to the CA that issued the server certificate.",
  },
  "server.cert-self-signed": {
    severity: "error",
    title: "Self-signed server certificate",
    description: "The server presents a self-signed certificate that the root file does not contain.",
    hint: "Put the server's certificate itself into sslrootcert, or give the server a certificate from your CA.",
  },
  "server.cert-chain-incomplete": {
    severity: "error",
    title: "Server chain incomplete (or another CA)",
    description:
      "The issuer of the top certificate the server sent is neither sent nor in the root file: the server omits an intermediate, or the root file holds another CA. The finding names both sides so you can tell which.",
    hint: "Append the intermediate CA to the server's ssl_cert_file after the server certificate, or set sslrootcert to the CA that issued it.",
  },
  "server.cert-revoked": {
    severity: "error",
    title: "Server certificate revoked",
    description: "A certificate of the chain is listed in the CRL libpq loads (sslcrl / sslcrldir).",
    hint: "Issue a new server certificate, or fix the CRL if the revocation is a mistake.",
  },
  "server.cert-too-weak": {
    severity: "error",
    title: "Server chain too weak for OpenSSL",
    description:
      "A key or signature in the chain is below the client OpenSSL's security level, so the verification libpq asks for fails.",
    hint: "Reissue the certificate with an RSA 2048+ or ECDSA P-256 key, signed with SHA-256 or better.",
  },
  "server.cert-no-root": {
    severity: "info",
    title: "No root certificate: chain not judged",
    description:
      "Without sslrootcert (or with a file that does not exist) libpq verifies nothing below verify-ca, and dbdoctor cannot judge the chain.",
    hint: "Give the CA with sslrootcert=/path/to/root.crt (or --sslrootcert) to have the chain judged.",
  },
  "server.cert-hostname-mismatch": {
    severity: "error",
    title: "Server certificate does not name the host",
    description:
      "Under sslmode=verify-full libpq would refuse: no SAN (or CN) of the leaf matches the host by libpq's rules.",
    hint: "Connect with a host name the certificate carries, or reissue the certificate with this name in its SAN.",
  },
  "tls.weak-key": {
    severity: "warning",
    title: "Weak key in the server chain",
    description: "A certificate the server sent has a key below today's floor (RSA/DSA under 2048 bits).",
    hint: "Reissue the certificate with an RSA 2048+ or ECDSA P-256 key; OpenSSL at security level 2 refuses it.",
  },
  "tls.weak-signature": {
    severity: "warning",
    title: "Weak signature in the server chain",
    description: "A certificate the server sent is signed with MD5 or SHA-1 (collisions make these forgeable).",
    hint: "Reissue the certificate signed with SHA-256 or better.",
  },
  "tls.old-protocol-accepted": {
    severity: "warning",
    title: "Server accepts TLS 1.0 or 1.1",
    description: "The server completes handshakes with deprecated protocol versions (RFC 8996).",
    hint: "Set ssl_min_protocol_version = 'TLSv1.2' in postgresql.conf (the default since PostgreSQL 14).",
  },
  "tls.version-range-unmet": {
    severity: "error",
    title: "No TLS version in common",
    description: "None of the TLS versions the client allows (ssl_min/max_protocol_version) is accepted by the server.",
    hint: "Widen ssl_min_protocol_version / ssl_max_protocol_version on the client, or the server's range.",
  },
  "tls.version-untestable": {
    severity: "info",
    title: "TLS version could not be tested",
    description: "Our own TLS library refuses to offer that version, so whether the server accepts it is unknown.",
    hint: "Test it with a TLS library that still speaks it, e.g. openssl s_client -tls1 -starttls postgres.",
  },
  "server.direct-ssl-unsupported": {
    severity: "error",
    title: "Direct SSL configured but not supported",
    description:
      "sslnegotiation=direct is set, but the server does not complete a direct TLS handshake with ALPN postgresql (it needs PostgreSQL 17+).",
    hint: "Remove sslnegotiation=direct (use the default postgres negotiation), or upgrade the server to PostgreSQL 17.",
  },
  "server.direct-ssl-unavailable": {
    severity: "info",
    title: "Direct SSL not available",
    description:
      "The server does not accept PG17 direct SSL (sslnegotiation=direct); the default negotiation works as before.",
    hint: "Nothing to do unless you want sslnegotiation=direct; that needs a PostgreSQL 17+ server with ssl = on.",
  },
} satisfies Record<string, CodeSpec>;
