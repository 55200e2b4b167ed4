// What a scenario's expectation says for one particular client, and the concrete settings it dials.
import type { ClientCondition, ClientExpectation, ClientTraits, Scenario } from "./types.js";

export interface ResolvedExpectation {
  /** false when the expectation says nothing for this client (below its minLibpq, and no outcome for it). */
  applies: boolean;
  ok: boolean;
  errorIncludes?: string;
  ssl?: boolean;
  /** The client-specific reason, when an outcome of `clients` decided. */
  why?: string;
}

function atLeast32([major, minor]: [number, number]): boolean {
  return major > 3 || (major === 3 && minor >= 2);
}

export function conditionHolds(c: ClientCondition, t: ClientTraits): boolean {
  if (c.clients && !c.clients.includes(t.client)) return false;
  if (c.libpqMin !== undefined && t.libpq < c.libpqMin) return false;
  if (c.libpqMax !== undefined && t.libpq > c.libpqMax) return false;
  if (c.openssl === "<3.2" && atLeast32(t.openssl)) return false;
  if (c.openssl === ">=3.2" && !atLeast32(t.openssl)) return false;
  if (c.serverMajorMin !== undefined && t.serverMajor < c.serverMajorMin) return false;
  if (c.serverMajorMax !== undefined && t.serverMajor > c.serverMajorMax) return false;
  if (c.backends && !c.backends.includes(t.backend)) return false;
  return true;
}

/** The first matching client outcome wins; then the expectation's own ok/errorIncludes, unless below minLibpq. */
export function expectationFor(exp: ClientExpectation, traits: ClientTraits): ResolvedExpectation {
  const hit = exp.clients?.find((c) => conditionHolds(c, traits));
  if (hit) {
    return {
      applies: true,
      ok: hit.ok,
      ...(hit.errorIncludes !== undefined ? { errorIncludes: hit.errorIncludes } : {}),
      ...(hit.ssl !== undefined
        ? { ssl: hit.ssl }
        : exp.ssl !== undefined && hit.ok === exp.ok
          ? { ssl: exp.ssl }
          : {}),
      why: hit.why,
    };
  }
  return {
    applies: (exp.minLibpq ?? 0) <= traits.libpq,
    ok: exp.ok,
    ...(exp.errorIncludes !== undefined ? { errorIncludes: exp.errorIncludes } : {}),
    ...(exp.ssl !== undefined ? { ssl: exp.ssl } : {}),
  };
}

const PORT_REF = /\{port:([A-Za-z0-9_-]+)\}/g;

/**
 * The libpq settings an expectation dials: host 127.0.0.1, the entry's port and dbname postgres unless it says
 * otherwise, every `{port:NAME}` replaced by that server's (or pooler's) port.
 */
export function dialSettings(
  exp: ClientExpectation,
  ports: ReadonlyMap<string, number>,
  entry: string,
): Record<string, string> {
  const port = (name: string): string => {
    const p = ports.get(name);
    if (p === undefined) throw new Error(`{port:${name}}: no server or pooler named ${name} in this scenario`);
    return String(p);
  };
  const out: Record<string, string> = { host: "127.0.0.1", port: port(entry), dbname: "postgres", user: exp.user };
  for (const [k, v] of Object.entries(exp.settings)) out[k] = v.replace(PORT_REF, (_, name: string) => port(name));
  return out;
}

/** Every node of a scenario a client may dial, by name: its server, companions and poolers. */
export function scenarioNodes(s: Scenario): string[] {
  return [s.spec.name, ...(s.companions ?? []).map((c) => c.name), ...(s.poolers ?? []).map((p) => p.name)];
}

export function entryOf(s: Scenario): string {
  return s.entry ?? s.spec.name;
}
