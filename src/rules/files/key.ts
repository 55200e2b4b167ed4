// The private key as libpq loads it after the client certificate: its permissions (libpq refuses an open key), its
// encoding and encryption, whether OpenSSL can load it, and whether it belongs to the certificate libpq sends first
// (measured in src/pki/client.ts).
import { defineRule } from "../rule.js";
import { kindsText } from "./text.js";

export default defineRule({
  id: "files/key",
  family: "files",
  codes: {
    "key.unused": {
      severity: "warning",
      title: "sslkey is set but no client certificate is loaded",
      description: "libpq only looks at the key after loading a certificate; without sslcert the key is never used.",
      hint: "Set sslcert to the client certificate, or drop sslkey.",
    },
    "key.permissions": {
      severity: "error",
      title: "The private key file has group or world access",
      description:
        "libpq refuses a key file with permissions beyond u=rw (0600) for its owner, or beyond u=rw,g=r (0640) when root owns it.",
      hint: "chmod 0600 the key file (or chown root and chmod 0640).",
    },
    "key.der": {
      severity: "info",
      title: "The private key is DER",
      description: "libpq tries PEM first and then DER for the key, so a DER key works (unlike a DER certificate).",
    },
    "key.extra-objects": {
      severity: "warning",
      title: "The key file also holds certificates",
      description:
        "OpenSSL picks the private key out of the file and skips the certificates, so libpq works, but the chain belongs in sslcert, not in sslkey.",
      hint: "Keep only the key in sslkey and put the certificate chain into sslcert.",
    },
    "key.encrypted-no-password": {
      severity: "error",
      title: "The private key is encrypted and no sslpassword is set",
      description:
        "Without sslpassword libpq leaves the passphrase to OpenSSL, which prompts 'Enter PEM pass phrase:' on a terminal; an application without a terminal fails to load the key.",
      hint: "Set sslpassword (in the connection string or a service file), or store the key unencrypted with 0600 permissions.",
    },
    "key.bad-decrypt": {
      severity: "error",
      title: "The sslpassword does not decrypt the private key",
      description: "libpq fails with 'could not load private key file \"...\": bad decrypt'.",
      hint: "Use the passphrase the key was encrypted with.",
    },
    "key.unsupported-encryption": {
      severity: "error",
      title: "The key's encryption is not supported",
      description: "OpenSSL cannot decrypt the key with the cipher or KDF it names, even with the right passphrase.",
      hint: "Re-encrypt it: openssl pkey -in old.key -aes256 -out new.key (or store it unencrypted with 0600).",
    },
    "key.unreadable": {
      severity: "error",
      title: "The private key cannot be loaded",
      description:
        "The key file holds no private key OpenSSL can read: libpq fails with 'could not load private key file'.",
      hint: "Point sslkey at the PEM (or DER) private key of the client certificate.",
    },
    "key.mismatch": {
      severity: "error",
      title: "The private key does not belong to the certificate",
      description: "libpq fails with 'certificate does not match private key file'.",
      hint: "Use the key the certificate was issued for (compare openssl x509 -noout -pubkey and openssl pkey -pubout).",
    },
    "cert.client-wrong-order": {
      severity: "error",
      title: "The first certificate in sslcert does not match the key",
      description: "libpq uses the first certificate in sslcert as the client's; the key must belong to it.",
      hint: "Put the client certificate first, then its intermediates.",
    },
  },
  check({ files: a }, { report }) {
    const key = a?.key;
    if (!a || !key) return;
    const kf = key.file;
    if (!a.clientCertLoaded) {
      if (kf.origin === "explicit" && kf.read.status !== "missing")
        report(
          "key.unused",
          "sslkey",
          `sslkey "${kf.path}" is set but no client certificate is loaded, so libpq never reads the key.`,
          { evidence: { path: kf.path } },
        );
      return;
    }
    // A missing or irregular key file: files/content says so in libpq's words.
    const p = key.permissions;
    if (p?.refused) {
      const octal = (p.mode & 0o777).toString(8).padStart(4, "0");
      report(
        "key.permissions",
        "sslkey",
        `private key file "${kf.path}" has group or world access; file must have permissions u=rw (0600) or less if owned by the current user, or permissions u=rw,g=r (0640) or less if owned by root (it has ${octal}, owner uid ${p.uid}).`,
        {
          hint: `chmod 0600 "${kf.path}"${p.uid === 0 ? "" : `   (or: chown root "${kf.path}" && chmod 0640 "${kf.path}")`}`,
          evidence: { path: kf.path, mode: octal, uid: p.uid },
        },
      );
    }
    if (!kf.usable) return;
    const load = key.load;
    if (key.der && load?.ok)
      report("key.der", "sslkey", `sslkey "${kf.path}" is DER; libpq falls back to DER for keys, so it loads.`, {
        evidence: { path: kf.path },
      });
    if (key.extraObjects.length > 0 && load && (load.ok || load.why !== "unreadable"))
      report(
        "key.extra-objects",
        "sslkey",
        `sslkey "${kf.path}" also holds ${kindsText(key.extraObjects)}; OpenSSL skips them and takes the key.`,
        { evidence: { path: kf.path } },
      );
    if (!load) return;
    if (!load.ok) {
      const kinds = kf.facts.holds ?? [];
      switch (load.why) {
        case "needs-password":
          report(
            "key.encrypted-no-password",
            "sslkey",
            `private key file "${kf.path}" is encrypted (${key.encryption === "pkcs8" ? "PKCS#8" : "traditional PEM"}) and no sslpassword is set: OpenSSL will prompt "Enter PEM pass phrase:" on a terminal, and a client without one fails with could not load private key file "${kf.path}".`,
            {
              hint: "Set sslpassword, or give it to dbdoctor through DBDOCTOR_SSLPASSWORD to check it.",
              evidence: { path: kf.path, encryption: key.encryption },
            },
          );
          break;
        case "bad-decrypt":
          report("key.bad-decrypt", "sslkey", `could not load private key file "${kf.path}": bad decrypt`, {
            hint: "The sslpassword is not the key's passphrase.",
            evidence: { path: kf.path, encryption: key.encryption },
          });
          break;
        case "unsupported":
          report(
            "key.unsupported-encryption",
            "sslkey",
            `private key file "${kf.path}": OpenSSL cannot decrypt it (${load.detail}).`,
            { evidence: { path: kf.path } },
          );
          break;
        case "unreadable":
          report(
            "key.unreadable",
            "sslkey",
            `could not load private key file "${kf.path}": it holds ${kinds.length ? kindsText(kinds) : "no private key"}${kinds.length && !kinds.some((k) => k.includes("private-key")) ? " and no private key" : ""}.`,
            { evidence: { path: kf.path } },
          );
          break;
      }
      return;
    }
    const m = a.keyMatch;
    const f = a.cert;
    const leaf = a.clientCerts?.[0];
    if (!m || m.leafMatches || !f || !leaf) return;
    const other = m.matchingIndex !== null ? a.clientCerts?.[m.matchingIndex] : undefined;
    if (other)
      report(
        "cert.client-wrong-order",
        "sslcert",
        `The key "${kf.path}" belongs to certificate ${(m.matchingIndex ?? 0) + 1} in "${f.path}" (${other.subject}), but libpq uses the first one (${leaf.subject}): certificate does not match private key file "${kf.path}".`,
        { evidence: { path: f.path, key: kf.path } },
      );
    else
      report(
        "key.mismatch",
        "sslkey",
        `certificate does not match private key file "${kf.path}": key values mismatch (the certificate is ${leaf.subject}).`,
        { evidence: { cert: f.path, key: kf.path } },
      );
  },
});
