// Picks the reader for a file by its name: .env files, YAML, or plain text for everything else.
import { basename } from "node:path";
import { describeFailure, READ_CAPS, readCapped } from "../../io/read.js";
import type { ExtractResult, SourceKind } from "../types.js";
import { extractDotenvText } from "./dotenv.js";
import { extractTextUrls } from "./text.js";
import { extractYaml } from "./yaml.js";

export type FileKind = "dotenv" | "yaml" | "text";

/** `.env`, `.env.production`, `app.env`, `env` (a file SkillFlaw users pass to --env-file), `*.env.example`. */
export function kindOf(path: string): FileKind {
  const name = basename(path).toLowerCase();
  if (/\.ya?ml$/.test(name)) return "yaml";
  if (
    name === ".env" ||
    name === "env" ||
    name.startsWith(".env.") ||
    name.endsWith(".env") ||
    /\.env\.[\w-]+$/.test(name)
  )
    return "dotenv";
  return "text";
}

/** The text, or the reason it cannot be read. .env files must be strict UTF-8 (python-dotenv fails otherwise). */
function readText(abs: string, kind: FileKind): { text: string } | { error: string } {
  const r = readCapped(abs, READ_CAPS.audit);
  if (r.status !== "ok")
    return {
      error: r.status === "unreadable" && r.errno !== "EACCES" ? `cannot read it (${r.errno})` : describeFailure(r),
    };
  if (r.truncated) return { error: describeFailure({ status: "too-big", cap: READ_CAPS.audit }) };
  const bytes = r.data;
  if (kind === "text") return { text: bytes.toString("utf8") };
  try {
    return { text: new TextDecoder("utf-8", { fatal: true, ignoreBOM: kind === "dotenv" }).decode(bytes) };
  } catch {
    return {
      error:
        kind === "dotenv"
          ? "not valid UTF-8: python-dotenv stops with a UnicodeDecodeError"
          : "not valid UTF-8: YAML must be UTF-8",
    };
  }
}

export function extractFile(
  abs: string,
  display: string,
): ExtractResult & { kind: FileKind; source: SourceKind | "other" } {
  const kind = kindOf(abs);
  const read = readText(abs, kind);
  if ("error" in read)
    return {
      kind,
      source: "other",
      settings: [],
      problems: [{ file: display, kind: "unreadable", message: read.error }],
    };
  const r =
    kind === "dotenv"
      ? extractDotenvText(read.text, display)
      : kind === "yaml"
        ? extractYaml(read.text, display)
        : extractTextUrls(read.text, display);
  const first = r.settings[0]?.source;
  return { ...r, kind, source: first ?? (kind === "dotenv" ? "dotenv" : kind === "yaml" ? "yaml" : "other") };
}
