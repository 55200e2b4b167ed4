// Texts the files rules share: what a file holds, in words.
import type { ReadFile } from "../../pki/analyze.js";
import { describeKind, type ObjectKind } from "../../pki/content.js";

export function kindsText(kinds: readonly string[]): string {
  return [...new Set(kinds as ObjectKind[])].map(describeKind).join(" and ");
}

/** What a PKCS#12 bundle holds, when node-forge could open it. */
export function p12Text(f: ReadFile): string {
  const p = f.pkcs12;
  if (!p) return "";
  if (p.passwordProtected) return " (protected by a password)";
  const parts = [
    ...p.certificates.map((c) => `certificate ${c}`),
    ...(p.keys ? [`${p.keys} private key${p.keys === 1 ? "" : "s"}`] : []),
  ];
  return parts.length ? ` holding ${parts.join(", ")}` : "";
}

export const day = (d: Date) => d.toISOString().slice(0, 10);
