// The value checks libpq makes before touching the network: pqConnectOptions2 (fe-connect.c) in its order, then the
// per-host port parsing at the top of PQconnectPoll and connect_timeout in pqConnectDBComplete. libpq stops at the
// first error; this returns every error in libpq's order, so errors[0] is the one libpq prints (the oracle compares
// that one) and the rest tell the user what else to fix. Checks that depend on a value already reported invalid are
// skipped, as libpq never reaches them, and so are checks libpq makes only after network traffic has started (the
// ports of hosts after the first usable one).

import type { LibpqMajor } from "../model/options.js";
import type { ConninfoError } from "./types.js";

const SSL_MODES = ["disable", "allow", "prefer", "require", "verify-ca", "verify-full"];

function invalidValue(keyword: string, value: string): ConninfoError {
  return { stage: "options", keyword, message: `invalid ${keyword} value: "${value}"` };
}

/** count_comma_separated_elems */
function countElems(s: string): number {
  return s.split(",").length;
}

/**
 * pqParseIntParam: strtol base 10 (leading C-isspace and a sign allowed), trailing whitespace allowed, must fit
 * in an int.
 */
export function parseIntParam(value: string): number | null {
  const m = /^[ \t\n\v\f\r]*([+-]?[0-9]+)[ \t\n\v\f\r]*$/.exec(value);
  if (!m) return null;
  const v = Number(m[1]);
  if (v > 2147483647 || v < -2147483648) return null;
  return v;
}

function intError(value: string, keyword: string): ConninfoError {
  return {
    stage: "options",
    keyword,
    message: `invalid integer value "${value}" for connection option "${keyword}"`,
  };
}

/** sslVerifyProtocolVersion: empty means unset; otherwise TLSv1..TLSv1.3, case-insensitive. */
function tlsVersionValid(v: string | undefined): boolean {
  if (v === undefined || v === "") return true;
  return ["tlsv1", "tlsv1.1", "tlsv1.2", "tlsv1.3"].includes(v.toLowerCase());
}

/** sslVerifyProtocolRange */
function tlsRangeValid(min: string | undefined, max: string | undefined): boolean {
  if (!min || !max) return true;
  const lo = min.toLowerCase();
  const hi = max.toLowerCase();
  if (lo === "tlsv1") return true;
  if (hi === "tlsv1") return false;
  return lo <= hi;
}

const REQUIRE_AUTH_METHODS = ["password", "md5", "gss", "sspi", "scram-sha-256"];

/** The require_auth list parser of pqConnectOptions2 (16+; PG18 adds "oauth"). */
function checkRequireAuth(value: string, major: LibpqMajor): ConninfoError | null {
  const methods = major >= 18 ? [...REQUIRE_AUTH_METHODS, "oauth"] : REQUIRE_AUTH_METHODS;
  const err = (message: string): ConninfoError => ({ stage: "options", keyword: "require_auth", message });
  let negated = false;
  let authRequired = true;
  const allowed = new Set<string>();
  const parts = value.split(",");
  for (let k = 0; k < parts.length; k++) {
    const part = parts[k] as string;
    let method = part;
    if (method.startsWith("!")) {
      if (k === 0) {
        authRequired = false;
        for (const m of methods) allowed.add(m);
      } else if (!negated) {
        return err(`negative require_auth method "${method}" cannot be mixed with non-negative methods`);
      }
      negated = true;
      method = method.slice(1);
    } else if (negated) {
      return err(`require_auth method "${method}" cannot be mixed with negative methods`);
    }
    const duplicate = err(`require_auth method "${part}" is specified more than once`);
    if (method === "none") {
      if (negated) {
        if (authRequired) return duplicate;
        authRequired = true;
      } else {
        if (!authRequired) return duplicate;
        authRequired = false;
      }
      continue;
    }
    if (!methods.includes(method)) return err(`invalid require_auth value: "${method}"`);
    if (negated) {
      if (!allowed.has(method)) return duplicate;
      allowed.delete(method);
    } else {
      if (allowed.has(method)) return duplicate;
      allowed.add(method);
    }
  }
  return null;
}

/**
 * pqConnectOptions2's checks (plus port and connect_timeout parsing) on the effective values (connection string,
 * service file, environment and compiled defaults, as libpq's conninfo_add_defaults would have filled them).
 * Missing compiled defaults are applied here: sslmode prefer (verify-full with sslrootcert=system, 16+),
 * ssl_min_protocol_version TLSv1.2 (13+).
 */
export function validateOptions(effective: Record<string, string>, major: LibpqMajor): ConninfoError[] {
  const errors: ConninfoError[] = [];
  const get = (k: string): string | undefined => effective[k];
  const nonEmpty = (k: string): string | undefined => {
    const v = get(k);
    return v !== undefined && v !== "" ? v : undefined;
  };

  // Host slots: counted from hostaddr if given, else host.
  const hostaddr = nonEmpty("hostaddr");
  const host = nonEmpty("host");
  const nhosts = hostaddr ? countElems(hostaddr) : host ? countElems(host) : 1;
  let hostsOk = true;
  if (hostaddr && host && countElems(host) !== nhosts) {
    errors.push({
      stage: "options",
      keyword: "host",
      message: `could not match ${countElems(host)} host names to ${nhosts} hostaddr values`,
    });
    hostsOk = false;
  }
  const port = nonEmpty("port");
  let portsOk = true;
  if (hostsOk && port && countElems(port) !== 1 && countElems(port) !== nhosts) {
    errors.push({
      stage: "options",
      keyword: "port",
      message: `could not match ${countElems(port)} port numbers to ${nhosts} hosts`,
    });
    portsOk = false;
  }

  const requireAuth = nonEmpty("require_auth");
  if (major >= 16 && requireAuth) {
    const e = checkRequireAuth(requireAuth, major);
    if (e) errors.push(e);
  }

  const channelBinding = get("channel_binding");
  if (major >= 13 && channelBinding !== undefined && !["disable", "prefer", "require"].includes(channelBinding))
    errors.push(invalidValue("channel_binding", channelBinding));

  const sslrootcert = get("sslrootcert");
  let sslmode = get("sslmode");
  let sslmodeOk = true;
  if (sslmode !== undefined) {
    if (!SSL_MODES.includes(sslmode)) {
      errors.push(invalidValue("sslmode", sslmode));
      sslmodeOk = false;
    }
  } else {
    // conninfo_add_defaults (16+): sslrootcert=system strengthens the default to verify-full.
    sslmode = major >= 16 && sslrootcert === "system" ? "verify-full" : "prefer";
  }

  const sslnegotiation = get("sslnegotiation");
  if (major >= 17 && sslnegotiation !== undefined) {
    if (sslnegotiation !== "postgres" && sslnegotiation !== "direct")
      errors.push(invalidValue("sslnegotiation", sslnegotiation));
    else if (sslmodeOk && sslnegotiation === "direct" && !["require", "verify-ca", "verify-full"].includes(sslmode))
      errors.push({
        stage: "options",
        keyword: "sslnegotiation",
        message: `weak sslmode "${sslmode}" may not be used with sslnegotiation=direct (use "require", "verify-ca", or "verify-full")`,
      });
  }

  if (major >= 16 && sslmodeOk && sslrootcert === "system" && sslmode !== "verify-full")
    errors.push({
      stage: "options",
      keyword: "sslmode",
      message: `weak sslmode "${sslmode}" may not be used with sslrootcert=system (use "verify-full")`,
    });

  if (major >= 13) {
    const min = get("ssl_min_protocol_version") ?? "TLSv1.2";
    const max = get("ssl_max_protocol_version");
    // The 2025 tree quotes the keyword (`invalid "%s" value`); the 2024 PG17-dev tree and libpq 15 (oracle) do not.
    const tlsMessage = (kw: string, v: string): string =>
      major >= 18 ? `invalid "${kw}" value: "${v}"` : `invalid ${kw} value: "${v}"`;
    const minOk = tlsVersionValid(min);
    const maxOk = tlsVersionValid(max);
    if (!minOk)
      errors.push({
        stage: "options",
        keyword: "ssl_min_protocol_version",
        message: tlsMessage("ssl_min_protocol_version", min),
      });
    if (!maxOk)
      errors.push({
        stage: "options",
        keyword: "ssl_max_protocol_version",
        message: tlsMessage("ssl_max_protocol_version", max ?? ""),
      });
    if (minOk && maxOk && !tlsRangeValid(min, max))
      errors.push({
        stage: "options",
        keyword: "ssl_max_protocol_version",
        message: "invalid SSL protocol version range",
      });
  }

  const sslcertmode = get("sslcertmode");
  if (major >= 16 && sslcertmode !== undefined && !["disable", "allow", "require"].includes(sslcertmode))
    errors.push(invalidValue("sslcertmode", sslcertmode));

  const gssencmode = get("gssencmode");
  if (gssencmode !== undefined && !["disable", "prefer", "require"].includes(gssencmode))
    errors.push(invalidValue("gssencmode", gssencmode));

  // 12 and 13 know only any and read-write; read-only, primary, standby and prefer-standby came with 14.
  const tsa = get("target_session_attrs");
  const tsaValues =
    major >= 14 ? ["any", "read-write", "read-only", "primary", "standby", "prefer-standby"] : ["any", "read-write"];
  if (tsa !== undefined && !tsaValues.includes(tsa)) errors.push(invalidValue("target_session_attrs", tsa));

  const lbh = get("load_balance_hosts");
  if (major >= 16 && lbh !== undefined && !["disable", "random"].includes(lbh))
    errors.push(invalidValue("load_balance_hosts", lbh));

  // PG18 protocol versions. [UNVERIFIED against a real libpq 18: values "3.0", "3.2", "latest" per the PG18 docs;
  // the message follows the common `invalid %s value` form.]
  if (major >= 18) {
    for (const kw of ["min_protocol_version", "max_protocol_version"]) {
      const v = get(kw);
      if (v !== undefined && v !== "" && !["3.0", "3.2", "latest"].includes(v)) errors.push(invalidValue(kw, v));
    }
  }

  // PQconnectPoll, host by host before resolving it: a non-integer port aborts the whole attempt, an out-of-range
  // one is reported and the next host tried. The first host with a usable port starts network traffic, so the ports
  // of later hosts are only checked if that fails; they are not errors before the network.
  let attemptStarts = true;
  if (hostsOk && portsOk && port) {
    const ports = port.split(",");
    attemptStarts = false;
    for (let i = 0; i < nhosts; i++) {
      const p = ports.length === 1 ? (ports[0] as string) : (ports[i] ?? "");
      if (p === "") {
        attemptStarts = true;
        break;
      }
      const v = parseIntParam(p);
      if (v === null) {
        errors.push(intError(p, "port"));
        break;
      }
      if (v >= 1 && v <= 65535) {
        attemptStarts = true;
        break;
      }
      errors.push({ stage: "options", keyword: "port", message: `invalid port number: "${p}"` });
    }
  }

  // pqConnectDBComplete parses connect_timeout once a first connection attempt has started.
  const connectTimeout = get("connect_timeout");
  if (attemptStarts && connectTimeout !== undefined && parseIntParam(connectTimeout) === null)
    errors.push(intError(connectTimeout, "connect_timeout"));

  return errors;
}
