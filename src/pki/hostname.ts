// libpq's verify-full host-name rule (fe-secure-common.c / fe-secure-openssl.c), reproduced exactly, including
// its quirks: IP hosts also match dNSName text, the CN is used when no SAN of the host's type exists, a wildcard
// is only a whole leftmost "*." label, and IP SANs count only from libpq 15. Node's tls.checkServerIdentity
// differs on all of these and is never used for the verdict.

import type { LibpqMajor } from "../model/options.js";
import { parseCertificate } from "./x509.js";

export type HostnameResult = { ok: true; matched: string } | { ok: false; message: string };

/** glibc inet_aton: 1 to 4 parts, each decimal, octal (leading 0) or hex (0x); trailing whitespace ends it. */
export function inetAton(host: string): Buffer | null {
  const m = /^([^\s]*)(\s.*)?$/s.exec(host);
  const text = m?.[1] ?? "";
  if (text === "") return null;
  const parts = text.split(".");
  if (parts.length > 4) return null;
  const values: number[] = [];
  for (const p of parts) {
    let v: number;
    if (/^0[xX][0-9a-fA-F]*$/.test(p)) v = p.length === 2 ? 0 : Number.parseInt(p.slice(2), 16);
    else if (/^0[0-7]*$/.test(p)) v = Number.parseInt(p, 8);
    else if (/^[1-9][0-9]*$/.test(p)) v = Number.parseInt(p, 10);
    else return null;
    if (!Number.isFinite(v) || v > 0xffffffff) return null;
    values.push(v);
  }
  const n = values.length;
  const last = values[n - 1] as number;
  const max = [0, 0xffffffff, 0xffffff, 0xffff, 0xff][n] as number;
  if (last > max) return null;
  for (let i = 0; i < n - 1; i++) if ((values[i] as number) > 0xff) return null;
  let addr = last;
  for (let i = 0; i < n - 1; i++) addr += (values[i] as number) * 2 ** (8 * (3 - i));
  const out = Buffer.alloc(4);
  out.writeUInt32BE(addr >>> 0);
  return out;
}

/** inet_pton(AF_INET6): strict, with an optional trailing dotted IPv4. */
export function inetPton6(host: string): Buffer | null {
  if (!/^[0-9a-fA-F:.]+$/.test(host)) return null;
  let text = host;
  let v4: Buffer | null = null;
  const lastColon = text.lastIndexOf(":");
  if (text.includes(".")) {
    const tail = text.slice(lastColon + 1);
    if (!/^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.test(tail)) return null;
    const octets = tail.split(".").map(Number);
    if (octets.some((o) => o > 255) || tail.split(".").some((o) => o.length > 1 && o.startsWith("0"))) return null;
    v4 = Buffer.from(octets);
    text = `${text.slice(0, lastColon + 1)}0:0`;
  }
  const halves = text.split("::");
  if (halves.length > 2) return null;
  const parse = (s: string): number[] | null => {
    if (s === "") return [];
    const groups = s.split(":");
    const out: number[] = [];
    for (const g of groups) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return null;
      out.push(Number.parseInt(g, 16));
    }
    return out;
  };
  const head = parse(halves[0] as string);
  const tail = halves.length === 2 ? parse(halves[1] as string) : [];
  if (!head || !tail) return null;
  let words: number[];
  if (halves.length === 2) {
    const fill = 8 - head.length - tail.length;
    if (fill < 1) return null;
    words = [...head, ...new Array<number>(fill).fill(0), ...tail];
  } else {
    words = head;
  }
  if (words.length !== 8) return null;
  const out = Buffer.alloc(16);
  words.forEach((w, i) => {
    out.writeUInt16BE(w, i * 2);
  });
  if (v4) v4.copy(out, 12);
  return out;
}

/** The text libpq prints for a certificate's IP (pg_inet_net_ntop with a full-length mask). */
export function ipToText(bytes: Buffer): string {
  if (bytes.length === 4) return [...bytes].join(".");
  const words: number[] = [];
  for (let i = 0; i < 16; i += 2) words.push(bytes.readUInt16BE(i));
  let bestBase = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (words[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLen) {
      bestBase = i;
      bestLen = j - i;
    }
    i = j;
  }
  if (bestLen < 2) bestBase = -1;
  const parts: string[] = [];
  for (let i = 0; i < 8; i++) {
    if (bestBase !== -1 && i >= bestBase && i < bestBase + bestLen) {
      if (i === bestBase) parts.push(i === 0 ? ":" : "");
      continue;
    }
    // IPv4-compatible / -mapped addresses print their last 32 bits dotted.
    if (i === 6 && bestBase === 0 && (bestLen === 6 || (bestLen === 5 && words[5] === 0xffff))) {
      parts.push([...bytes.subarray(12)].join("."));
      break;
    }
    parts.push((words[i] as number).toString(16));
  }
  if (bestBase !== -1 && bestBase + bestLen === 8) parts.push("");
  return parts.join(":");
}

/** pg_strcasecmp: ASCII-only case folding. */
function asciiLower(s: string): string {
  return s.replace(/[A-Z]/g, (c) => c.toLowerCase());
}

/** wildcard_certificate_match from fe-secure-common.c. */
export function wildcardMatch(pattern: string, host: string): boolean {
  const lenpat = pattern.length;
  const lenstr = host.length;
  if (lenpat < 3 || pattern[0] !== "*" || pattern[1] !== ".") return false;
  if (lenpat > lenstr) return false;
  if (asciiLower(pattern.slice(1)) !== asciiLower(host.slice(lenstr - lenpat + 1))) return false;
  const firstDot = host.indexOf(".");
  if (firstDot !== -1 && firstDot < lenstr - lenpat) return false;
  return true;
}

type NameCheck = { rc: -1; message: string } | { rc: 0 | 1; name: string };

function checkName(raw: Buffer, host: string): NameCheck {
  if (raw.includes(0)) return { rc: -1, message: "SSL certificate's name contains embedded null" };
  const name = raw.toString("latin1");
  if (asciiLower(name) === asciiLower(host) || wildcardMatch(name, host)) return { rc: 1, name };
  return { rc: 0, name };
}

function checkIp(bytes: Buffer, host: string): NameCheck {
  let match = false;
  if (bytes.length === 4) {
    const addr = inetAton(host);
    match = addr?.equals(bytes) ?? false;
  } else if (bytes.length === 16) {
    const addr = inetPton6(host);
    match = addr?.equals(bytes) ?? false;
  } else {
    return { rc: -1, message: `certificate contains IP address with invalid length ${bytes.length}` };
  }
  return { rc: match ? 1 : 0, name: ipToText(bytes) };
}

/**
 * Would libpq's verify-full accept `host` for this certificate (DER)? The failure message is libpq's own text.
 * `host` is the `host` parameter (never hostaddr), as libpq uses it.
 */
export function matchHostname(certDer: Buffer, host: string, major: LibpqMajor): HostnameResult {
  if (host === "") return { ok: false, message: "host name must be specified for a verified SSL connection" };
  const cert = parseCertificate(certDer);
  const ipSans = major >= 15;
  const hostIsIp = ipSans && (inetAton(host) !== null || inetPton6(host) !== null);
  let examined = 0;
  let firstName: string | null = null;
  let checkCn = true;
  const note = (r: NameCheck): HostnameResult | null => {
    if (r.rc === -1) return { ok: false, message: r.message };
    if (firstName === null) firstName = r.name;
    return r.rc === 1 ? { ok: true, matched: r.name } : null;
  };
  for (const san of cert.san) {
    if (!ipSans && san.type !== "dns") continue;
    if ((san.type === "ip") === hostIsIp) checkCn = false;
    examined++;
    const r = san.type === "dns" ? checkName(san.raw, host) : checkIp(san.bytes, host);
    const done = note(r);
    if (done) return done;
  }
  // libpq <= 14 falls back to the CN whenever no dNSName was examined.
  if (!ipSans) checkCn = examined === 0;
  if (checkCn) {
    const cn = cert.commonNames[0];
    if (cn) {
      examined++;
      const done = note(checkName(cn, host));
      if (done) return done;
    }
  }
  if (examined === 0 || firstName === null) {
    return { ok: false, message: "could not get server's host name from server certificate" };
  }
  if (examined > 1) {
    const others = examined - 1;
    return {
      ok: false,
      message: `server certificate for "${firstName}" (and ${others} other name${others === 1 ? "" : "s"}) does not match host name "${host}"`,
    };
  }
  return { ok: false, message: `server certificate for "${firstName}" does not match host name "${host}"` };
}
