import path from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root, found from this file so the lab works from any cwd. */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
/** The lab PKI written by scripts/gen-certs.ts. */
export const CERTS_DIR = path.join(REPO_ROOT, "certs");
/** Gitignored: initdb templates, derived files and `lab up` state live here. */
export const LAB_DIR = path.join(REPO_ROOT, ".lab");
/** `lab up` writes it, `lab down` reads it; LAB_STATE_FILE moves it (tests use their own). */
export const STATE_FILE = process.env.LAB_STATE_FILE || path.join(LAB_DIR, "state.json");

export function certPath(file: string): string {
  return path.join(CERTS_DIR, file);
}

/** Files the lab derives from the PKI (e.g. a root+intermediate bundle) for client-side settings. */
export function derivedPath(file: string): string {
  return path.join(LAB_DIR, "derived", file);
}
