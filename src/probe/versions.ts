// Which TLS versions libpq would offer (ssl_min/max_protocol_version, PG13+) and whether they meet the server's.
// Pure.
import type { EffectiveParam } from "../conninfo/types.js";
import type { LibpqMajor } from "../model/options.js";
import { TLS_VERSIONS, type TlsVersion, type VersionFacts, type VersionStatus } from "./types.js";

/** libpq compares with pg_strcasecmp against these spellings. */
export function parseLibpqTlsVersion(value: string): TlsVersion | null {
  const v = TLS_VERSIONS.find((t) => t.toLowerCase() === value.toLowerCase());
  return v ?? null;
}

export interface ClientRange {
  min: TlsVersion;
  max: TlsVersion | null;
  source: string;
  /** A value libpq would reject before connecting (the conninfo stage reports it; here it only stops the judgment). */
  invalid?: string;
}

/** The versions libpq would allow, from the effective parameters. */
export function clientTlsRange(effective: Record<string, EffectiveParam | undefined>, major: LibpqMajor): ClientRange {
  if (major < 13)
    return {
      min: "TLSv1",
      max: null,
      source: `libpq ${major} has no ssl_min_protocol_version: OpenSSL's defaults apply`,
    };
  const minRaw = effective.ssl_min_protocol_version?.value;
  const maxRaw = effective.ssl_max_protocol_version?.value;
  const parts: string[] = [];
  let min: TlsVersion = "TLSv1.2";
  let max: TlsVersion | null = null;
  let invalid: string | undefined;
  if (minRaw === undefined) parts.push("ssl_min_protocol_version=TLSv1.2 (libpq default)");
  else if (minRaw === "") {
    min = "TLSv1";
    parts.push("ssl_min_protocol_version empty (OpenSSL's minimum)");
  } else {
    const v = parseLibpqTlsVersion(minRaw);
    if (v === null) invalid = `invalid "ssl_min_protocol_version" value: "${minRaw}"`;
    else min = v;
    parts.push(`ssl_min_protocol_version=${minRaw}`);
  }
  if (maxRaw !== undefined && maxRaw !== "") {
    const v = parseLibpqTlsVersion(maxRaw);
    if (v === null) invalid ??= `invalid "ssl_max_protocol_version" value: "${maxRaw}"`;
    else max = v;
    parts.push(`ssl_max_protocol_version=${maxRaw}`);
  }
  if (!invalid && max !== null && TLS_VERSIONS.indexOf(max) < TLS_VERSIONS.indexOf(min))
    invalid = "invalid SSL protocol version range";
  const range: ClientRange = { min, max, source: parts.join(", ") };
  if (invalid) range.invalid = invalid;
  return range;
}

export function versionsInRange(range: Pick<ClientRange, "min" | "max">): TlsVersion[] {
  const lo = TLS_VERSIONS.indexOf(range.min);
  const hi = range.max === null ? TLS_VERSIONS.length - 1 : TLS_VERSIONS.indexOf(range.max);
  return TLS_VERSIONS.filter((_, i) => i >= lo && i <= hi);
}

/**
 * The versions both sides accept. null when undecidable: a version in the client's range could not be tested
 * (or errored) and no tested version in the range was accepted.
 */
export function commonVersions(
  results: Record<TlsVersion, { status: VersionStatus }>,
  range: ClientRange,
): TlsVersion[] | null {
  if (range.invalid) return [];
  const wanted = versionsInRange(range);
  const accepted = wanted.filter((v) => results[v].status === "accepted");
  if (accepted.length > 0) return accepted;
  return wanted.every((v) => results[v].status === "refused") ? [] : null;
}

/**
 * libpq's hint on a handshake protocol error (fe-secure-openssl.c open_client_SSL, PG13+): the raw parameter
 * values, or MIN/MAX_OPENSSL_TLS_VERSION ("TLSv1", "TLSv1.3") when unset.
 */
export function libpqProtocolRangeHint(
  effective: Record<string, EffectiveParam | undefined>,
  major: LibpqMajor,
): string | undefined {
  if (major < 13) return undefined;
  const min = effective.ssl_min_protocol_version?.value ?? "TLSv1.2";
  const max = effective.ssl_max_protocol_version?.value ?? "TLSv1.3";
  return `This may indicate that the server does not support any SSL protocol version between ${min} and ${max}.`;
}

export function versionFacts(results: VersionFacts["results"], range: ClientRange): VersionFacts {
  return {
    results,
    client: { min: range.min, max: range.max, source: range.source },
    common: commonVersions(results, range),
  };
}
