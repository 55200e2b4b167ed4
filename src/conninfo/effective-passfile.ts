// libpq's password file (fe-connect.c passwordFromFile / pwdfMatchesString): whether a password would be found for
// a host, and where. The password itself only travels in the raw values for live sessions.

export interface PassfileStat {
  isFile: boolean;
  mode: number;
}

export type PassfileResult =
  | { status: "missing" }
  | { status: "not-regular" }
  /** libpq prints a WARNING and ignores a group/world accessible file. */
  | { status: "insecure"; mode: number }
  | { status: "no-match"; lines: number }
  | { status: "match"; line: number; password: string };

/** pwdfMatchesString: `*` alone matches anything; `\` escapes the next character; `:` ends the field. */
function matchField(buf: string, pos: number, token: string): number | null {
  if (buf[pos] === "*" && buf[pos + 1] === ":") return pos + 2;
  let t = 0;
  let bslash = false;
  let i = pos;
  while (i < buf.length) {
    if (buf[i] === "\\" && !bslash) {
      i++;
      bslash = true;
    }
    if (buf[i] === ":" && t === token.length && !bslash) return i + 1;
    bslash = false;
    if (t === token.length) return null;
    if (i < buf.length && buf[i] === token[t]) {
      i++;
      t++;
    } else return null;
  }
  return null;
}

/** The DEFAULT_PGSOCKET_DIR of the modelled libpq build (Debian/Ubuntu packages). */
export const DEFAULT_SOCKET_DIR = "/var/run/postgresql";

export interface PassfileQuery {
  host: string;
  port: string;
  dbname: string;
  user: string;
}

/** passwordFromFile for one host. `text` null means the file could not be stat()ed. */
export function passwordFromFile(q: PassfileQuery, stat: PassfileStat | null, text: string | null): PassfileResult {
  if (q.dbname === "" || q.user === "") return { status: "no-match", lines: 0 };
  // 'localhost' matches a pghost of '' or the default socket directory
  const host = q.host === "" || q.host === DEFAULT_SOCKET_DIR ? "localhost" : q.host;
  const port = q.port === "" ? "5432" : q.port;
  if (stat === null || text === null) return { status: "missing" };
  if (!stat.isFile) return { status: "not-regular" };
  if ((stat.mode & 0o077) !== 0) return { status: "insecure", mode: stat.mode & 0o777 };
  const lines = text.split("\n");
  for (let n = 0; n < lines.length; n++) {
    const raw = (lines[n] ?? "").replace(/[\r\n]+$/, "");
    if (raw.startsWith("#") || raw === "") continue;
    let p: number | null = 0;
    for (const token of [host, port, q.dbname, q.user]) {
      p = matchField(raw, p, token);
      if (p === null) break;
    }
    if (p === null) continue;
    let password = "";
    for (let i = p; i < raw.length && raw[i] !== ":"; i++) {
      if (raw[i] === "\\" && i + 1 < raw.length) i++;
      password += raw[i];
    }
    return { status: "match", line: n + 1, password };
  }
  return { status: "no-match", lines: lines.length };
}
