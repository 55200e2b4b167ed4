// libpq's other checks before any network traffic (pqConnectOptions2): list lengths, numbers, the TLS range,
// require_auth, and combinations it refuses.
import { defineRule } from "../rule.js";

function optionHint(message: string): string {
  if (message.startsWith("weak sslmode") && message.includes("sslrootcert=system"))
    return "With sslrootcert=system libpq insists on sslmode=verify-full (a public CA makes anything weaker meaningless); remove sslmode or set it to verify-full.";
  if (message.startsWith("weak sslmode") && message.includes("sslnegotiation=direct"))
    return "sslnegotiation=direct cannot fall back to plaintext: use sslmode=require, verify-ca or verify-full.";
  if (message.startsWith("could not match") && message.includes("port numbers"))
    return "Give one port for all hosts, or exactly one per host (host=a,b port=5432,5433).";
  if (message.startsWith("could not match"))
    return "Give exactly one host name per hostaddr (host=a,b hostaddr=10.0.0.1,10.0.0.2).";
  if (message.startsWith("invalid port number") || message.includes('"port"'))
    return "A port is a number from 1 to 65535.";
  if (message.includes("connect_timeout")) return "connect_timeout is a whole number of seconds, without a unit.";
  if (message.startsWith("invalid SSL protocol version range"))
    return "ssl_min_protocol_version must not be above ssl_max_protocol_version (the minimum defaults to TLSv1.2).";
  if (message.includes("require_auth"))
    return "require_auth is a comma list of password, md5, gss, sspi, scram-sha-256, none, either all plain or all negated with !.";
  return "Change the parameters named in the message.";
}

export default defineRule({
  id: "conninfo/option-error",
  family: "conninfo",
  codes: {
    "conninfo.option-error": {
      severity: "error",
      title: "libpq refuses the parameter combination",
      description:
        "Before any network traffic libpq checks host/hostaddr/port list lengths, port numbers, connect_timeout, the TLS protocol range and combinations such as a weak sslmode with sslrootcert=system or sslnegotiation=direct.",
      hint: "Change the parameters named in the message.",
    },
  },
  check({ conninfo }, { report }) {
    for (const e of conninfo?.errors ?? []) {
      if (e.stage !== "options" || e.enumValue !== undefined) continue;
      report("conninfo.option-error", e.keyword ?? "connection string", `${e.message}.`, {
        hint: optionHint(e.message),
      });
    }
  },
});
