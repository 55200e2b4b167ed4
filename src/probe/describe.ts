// Display rows for the probe facts the renderers' headline rows do not cover: the TLS version scan and
// PG17 direct SSL. Plain text, [label, ok, text], ok null for neutral.
import { TLS_VERSIONS } from "./types.js";

type Row = [string, boolean | null, string];

/** Read defensively: the renderers hand over the endpoint as a plain object. */
export function probeDetailRows(endpoint: object): Row[] {
  const rows: Row[] = [];
  const ep = endpoint as {
    versions?: {
      results?: Record<string, { status?: string }>;
      client?: { min?: string; max?: string | null };
      common?: string[] | null;
    };
    direct?: { supported?: boolean | null; alpn?: string | null; libpqMessage?: string; detail?: string };
  };
  const v = ep.versions;
  if (v?.results) {
    const parts = TLS_VERSIONS.map((t) => `${t} ${v.results?.[t]?.status ?? "?"}`);
    const client = v.client ? `; the client allows ${v.client.min ?? "?"} to ${v.client.max ?? "TLSv1.3"}` : "";
    rows.push([
      "versions",
      v.common === null || v.common === undefined ? null : v.common.length > 0,
      `${parts.join(", ")}${client}`,
    ]);
  }
  const d = ep.direct;
  if (d && "supported" in d) {
    rows.push([
      "direct SSL",
      d.supported ?? null,
      d.supported === true
        ? `supported (ALPN ${d.alpn ?? "?"})`
        : d.supported === false
          ? `not supported: ${d.libpqMessage ?? d.detail ?? "handshake failed"}`
          : `undecided: ${d.detail ?? "no answer"}`,
    ]);
  }
  return rows;
}
