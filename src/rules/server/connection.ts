// Reaching the server: the host name resolves, and an address accepts the TCP connection (libpq tries them in
// getaddrinfo order).
import { endpointLabel } from "../../probe/label.js";
import { defineRule } from "../rule.js";
import { libpqSays, probedEndpoints } from "./text.js";

export default defineRule({
  id: "server/connection",
  family: "server",
  codes: {
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
  },
  check(facts, { report }) {
    for (const ep of probedEndpoints(facts)) {
      const s = endpointLabel(ep);
      const dns = ep.dns;
      if (dns && dns.addresses.length === 0) {
        report(
          "server.dns-failed",
          s,
          `Host name "${ep.hostaddr ?? ep.host}" does not resolve (${dns.outcome}).${libpqSays(dns.libpqMessage)}`,
          { evidence: { code: dns.code ?? null, durationMs: dns.durationMs } },
        );
        continue;
      }
      const attempts = ep.tcp ?? [];
      const ok = attempts.some((a) => a.outcome === "ok");
      for (const a of attempts) {
        if (a.outcome === "ok") continue;
        const at = `${a.family === 6 ? `[${a.address}]` : a.address}:${ep.port}`;
        const evidence = { address: a.address, code: a.code ?? null, durationMs: a.durationMs };
        if (ok) {
          report(
            "server.address-failed",
            s,
            `Address ${at} of ${ep.host} failed (${a.outcome}); another address worked.`,
            { evidence },
          );
          continue;
        }
        const code =
          a.outcome === "refused"
            ? "server.connection-refused"
            : a.outcome === "timeout"
              ? "server.connect-timeout"
              : "server.unreachable";
        const what =
          a.outcome === "refused"
            ? "refused the connection"
            : a.outcome === "timeout"
              ? `did not complete the TCP connection within ${a.durationMs} ms`
              : `could not be reached (${a.code ?? "error"})`;
        report(code, s, `${at} ${what}.${libpqSays(a.libpqMessage)}`, { evidence });
      }
    }
  },
});
