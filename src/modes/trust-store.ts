// The certificates OpenSSL trusts for sslrootcert=system (SSL_CTX_set_default_verify_paths): the default file and
// the hashed default directory of the client's OpenSSL, or SSL_CERT_FILE / SSL_CERT_DIR instead (model/client.ts
// says which, per client). Node's own CA list is Mozilla's bundled one, which is no client's store, so the
// matrix hands these certificates to Node explicitly; an absent store is an empty list, and verification then fails
// as libpq's does ("certificate verify failed").
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import type { TrustStoreFacts } from "../model/client.js";

const PEM_CERT = /-----BEGIN (?:TRUSTED )?CERTIFICATE-----[\s\S]*?-----END (?:TRUSTED )?CERTIFICATE-----/g;
/** by_dir.c looks up "<subject hash>.<n>" (and ".r<n>" for CRLs) only; other files in the directory are ignored. */
const HASHED = /^[0-9a-f]{8}\.\d+$/;
/** A system bundle is a few hundred KiB; a cap keeps a hostile SSL_CERT_FILE from costing more. */
const MAX_BYTES = 32 * 1024 * 1024;

function pemsOf(path: string): string[] {
  try {
    const st = statSync(path);
    if (!st.isFile() || st.size > MAX_BYTES) return [];
    return (readFileSync(path, "latin1").match(PEM_CERT) ?? []).map((p) =>
      p.replace(/(BEGIN|END) TRUSTED CERTIFICATE/g, "$1 CERTIFICATE"),
    );
  } catch {
    return [];
  }
}

function dirPems(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => HASHED.test(n));
  } catch {
    return [];
  }
  return names.sort().flatMap((n) => pemsOf(join(dir, n)));
}

const memo = new Map<string, string[]>();

/** Every certificate the store holds, de-duplicated, memoised per store for the run. */
export function trustStorePems(store: TrustStoreFacts): string[] {
  const key = JSON.stringify([store.file, store.dirs]);
  let pems = memo.get(key);
  if (!pems) {
    pems = [...new Set([...pemsOf(store.file), ...store.dirs.flatMap(dirPems)])];
    memo.set(key, pems);
  }
  return pems;
}
