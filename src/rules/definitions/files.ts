import type { CodeSpec } from "../rule.js";

/** Findings about certificate, key, CA and CRL files, and the offline verdict on a server certificate. */
export const FILES_FINDINGS = {
  // ---- files as libpq treats them
  "file.missing": {
    severity: "error",
    title: "A file libpq needs does not exist",
    description:
      "libpq stops with an error when this file is missing: the root certificate file under verify-ca/verify-full, or the private key once a client certificate was loaded.",
    hint: "Create the file at that path, or point the parameter at the right one.",
  },
  "file.missing-skipped": {
    severity: "warning",
    title: "A file is missing and libpq silently goes on without it",
    description:
      "libpq skips a missing sslcert (no client certificate is sent), ignores a missing CRL, and without a root file under require/prefer/allow it does not verify the server at all. Nothing is printed, so the setting looks in force when it is not.",
    hint: "Fix the path if the file is meant to be used; otherwise remove the parameter.",
  },
  "file.default-path": {
    severity: "info",
    title: "libpq uses a default file under ~/.postgresql/",
    description:
      "No parameter names this file, but libpq looks at its default path (root.crt, root.crl, postgresql.crt, postgresql.key in ~/.postgresql/) and uses it when it exists. A root.crt there turns on chain verification even under sslmode=require or prefer.",
    hint: "Set the parameter explicitly so the configuration does not depend on the home directory of whoever runs it.",
  },
  "file.unreadable": {
    severity: "error",
    title: "A file cannot be read",
    description: "The file exists but cannot be opened (permissions, a broken path); libpq fails on it.",
    hint: "Make the file readable by the user the client runs as.",
  },
  "file.not-regular": {
    severity: "error",
    title: "A path is not a regular file",
    description:
      "The path is a directory, a device, a FIFO or a socket; libpq refuses it or cannot read certificates from it.",
    hint: "Point the parameter at the certificate/key file itself.",
  },
  "file.empty": {
    severity: "error",
    title: "A file is empty",
    description: "The file has no content; OpenSSL finds no certificate, key or CRL in it.",
    hint: "Copy the real PEM file into place (an interrupted copy or a wrong redirect leaves an empty file).",
  },
  "file.too-big": {
    severity: "error",
    title: "A file is far too big for a certificate, key or CRL",
    description:
      "dbdoctor reads at most 32 MiB (a bundle of 10,000 certificates is 11 MiB; a certificate a few kilobytes). The path most likely names the wrong file.",
    hint: "Check the path; a file of that size is not what libpq expects here.",
  },
  "file.der-not-supported": {
    severity: "error",
    title: "A DER (binary) file where libpq reads PEM only",
    description:
      "libpq loads sslcert, sslrootcert and sslcrl as PEM. A DER certificate or CRL is not read: a root file fails, a client certificate fails, a CRL is silently ignored.",
    hint: "Convert it: openssl x509 -inform DER -in FILE -out FILE.pem (openssl crl -inform DER ... for a CRL).",
  },
  "file.wrong-content": {
    severity: "error",
    title: "A file holds something else than libpq expects",
    description:
      "A key where a certificate is expected, a certificate signing request, a PKCS#12 bundle, a Java keystore, or data that is no certificate at all. libpq cannot use it.",
    hint: "Extract the right object, e.g. openssl pkcs12 -in bundle.p12 -clcerts -nokeys -out client.crt (and -nocerts -nodes for the key).",
  },
  "file.truncated-pem": {
    severity: "error",
    title: "A PEM block has no END line",
    description: "The file was cut short (or hand-edited): OpenSSL fails to read the unterminated block.",
    hint: "Copy the file again in full.",
  },
  "file.trailing-garbage": {
    severity: "warning",
    title: "Text or bytes outside the PEM blocks",
    description:
      "OpenSSL skips text outside PEM blocks, so libpq works, but it often means two files were concatenated wrongly or a block was pasted with an editor's decoration.",
    hint: "Remove everything that is not a -----BEGIN/END----- block.",
  },
  "cert.bundle": {
    severity: "info",
    title: "What a certificate file holds",
    description: "Every certificate in the file with subject, issuer, validity and key, in file order.",
  },
  // ---- validity
  "cert.expired": {
    severity: "error",
    title: "A certificate has expired",
    description: "OpenSSL refuses an expired certificate anywhere in a chain (certificate has expired).",
    hint: "Renew the certificate and replace the file.",
  },
  "cert.not-yet-valid": {
    severity: "error",
    title: "A certificate is not valid yet",
    description: "Its notBefore lies in the future (a clock skew, or issued with a wrong date): OpenSSL refuses it.",
    hint: "Check the clocks of the issuing machine and this one; re-issue with the right start date.",
  },
  "cert.expiring": {
    severity: "warning",
    title: "A certificate expires soon",
    description: "The certificate is valid today but expires within --warn-days (default 30).",
    hint: "Renew it before the date shown.",
  },
  // ---- keys
  "key.permissions": {
    severity: "error",
    title: "The private key file has group or world access",
    description:
      "libpq refuses a key file with permissions beyond u=rw (0600) for its owner, or beyond u=rw,g=r (0640) when root owns it.",
    hint: "chmod 0600 the key file (or chown root and chmod 0640).",
  },
  "key.mismatch": {
    severity: "error",
    title: "The private key does not belong to the certificate",
    description: "libpq fails with 'certificate does not match private key file'.",
    hint: "Use the key the certificate was issued for (compare openssl x509 -noout -pubkey and openssl pkey -pubout).",
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
  "key.unused": {
    severity: "warning",
    title: "sslkey is set but no client certificate is loaded",
    description: "libpq only looks at the key after loading a certificate; without sslcert the key is never used.",
    hint: "Set sslcert to the client certificate, or drop sslkey.",
  },
  // ---- client certificate
  "cert.client-no-clientauth": {
    severity: "error",
    title: "The client certificate's extended key usage excludes clientAuth",
    description:
      "The server's OpenSSL verifies client certificates for the ssl_client purpose and rejects this one (unsupported certificate purpose).",
    hint: "Re-issue the certificate with extendedKeyUsage = clientAuth.",
  },
  "cert.client-cn-user": {
    severity: "warning",
    title: "The client certificate's CN differs from the database user",
    description:
      "With pg_hba 'cert' authentication (or clientcert=verify-full) the server compares the certificate's CN with the user name, unless a map= option maps it.",
    hint: "Connect as the CN's user, re-issue the certificate for the user, or add map= with a pg_ident.conf entry.",
  },
  "cert.client-chain-incomplete": {
    severity: "warning",
    title: "The client certificate's intermediate is not in sslcert",
    description:
      "libpq sends the certificates in sslcert (leaf first). A client certificate issued by an intermediate CA needs that intermediate in the same file unless the server's ssl_ca_file holds it.",
    hint: "Append the intermediate CA certificate to the sslcert file after the client certificate.",
  },
  "cert.client-wrong-order": {
    severity: "error",
    title: "The first certificate in sslcert does not match the key",
    description: "libpq uses the first certificate in sslcert as the client's; the key must belong to it.",
    hint: "Put the client certificate first, then its intermediates.",
  },
  // ---- weak crypto
  "cert.weak-key": {
    severity: "warning",
    title: "A certificate key is too weak for security level 2",
    description:
      "RSA below 2048 bits (or EC below 224) is refused by TLS libraries at security level 2 (the default of many distributions and of OpenSSL 3.2+); below 1024 bits even level 1 refuses it.",
    hint: "Re-issue with an RSA 2048+ or ECDSA P-256 key.",
  },
  "cert.weak-signature": {
    severity: "error",
    title: "A certificate is signed with SHA-1 or MD5",
    description:
      "OpenSSL 3 refuses SHA-1 and MD5 signatures in a chain from security level 1 on (CA signature digest algorithm too weak).",
    hint: "Re-issue the certificate with a SHA-256 signature.",
  },
  // ---- CA file
  "ca.not-ca": {
    severity: "error",
    title: "sslrootcert holds a certificate that is not a CA",
    description:
      "A certificate without basicConstraints CA:TRUE cannot issue others; unless the server presents exactly this self-signed certificate, it anchors nothing.",
    hint: "Put the CA certificate (the issuer of the server's certificate) in sslrootcert, not the server's own certificate.",
  },
  "ca.no-keycertsign": {
    severity: "error",
    title: "A CA certificate's key usage excludes keyCertSign",
    description: "OpenSSL does not accept it as the issuer of other certificates.",
    hint: "Re-issue the CA certificate with keyUsage keyCertSign, cRLSign.",
  },
  "ca.intermediate-only": {
    severity: "error",
    title: "sslrootcert holds no root CA",
    description:
      "libpq does not accept partial chains: the root file must contain the self-signed root. An intermediate alone anchors nothing (unable to get issuer certificate).",
    hint: "Add the root CA certificate that issued the intermediate to the sslrootcert file.",
  },
  "ca.summary": {
    severity: "info",
    title: "Roots and intermediates in sslrootcert",
    description: "Which certificates in the root file are self-signed roots and which are intermediates.",
  },
  "ca.client-not-anchored": {
    severity: "info",
    title: "sslrootcert does not anchor the client certificate",
    description:
      "The server checks client certificates against its own ssl_ca_file, not against sslrootcert; if the same CA is meant to sign both, this shows it does not.",
    hint: "Make sure the server's ssl_ca_file holds the CA that issued the client certificate.",
  },
  "ca.server-unknown": {
    severity: "info",
    title: "The server's certificate was not given",
    description:
      "Without --server-cert (or a live probe) dbdoctor cannot tell whether sslrootcert anchors the server's chain or whether its names match the host.",
    hint: "Pass --server-cert FILE --host HOST, or run dbdoctor check against the server.",
  },
  // ---- CRL
  "crl.ignored": {
    severity: "warning",
    title: "The CRL is not loaded and libpq says nothing",
    description:
      "libpq silently ignores a missing or unreadable sslcrl, and a failing sslcrl also switches off sslcrldir: revoked certificates are accepted.",
    hint: "Fix the CRL path or file (PEM), or drop the parameter.",
  },
  "crl.expired": {
    severity: "error",
    title: "The CRL's nextUpdate has passed",
    description: "With CRL checking on, OpenSSL fails every verification that needs this CRL (CRL has expired).",
    hint: "Fetch a fresh CRL from the CA and replace the file.",
  },
  "crl.not-yet-valid": {
    severity: "error",
    title: "The CRL's thisUpdate lies in the future",
    description: "OpenSSL fails verifications that need this CRL (CRL is not yet valid).",
    hint: "Check the clocks; fetch the CRL again.",
  },
  "crl.issuer-unknown": {
    severity: "warning",
    title: "The CRL was issued by a CA that is not in sslrootcert",
    description:
      "A CRL only counts for certificates of its issuer. With CRL checking on, libpq checks every certificate in the chain (CRL_CHECK_ALL): a CA without a CRL makes verification fail (unable to get certificate CRL).",
    hint: "Use the CRL of the CA that issued the server's certificate (and one for each intermediate).",
  },
  "crl.bad-signature": {
    severity: "error",
    title: "The CRL's signature does not verify",
    description: "OpenSSL rejects the CRL (CRL signature failure) and with it the verification.",
    hint: "Fetch the CRL again from the CA.",
  },
  "crl.revokes": {
    severity: "error",
    title: "The CRL revokes a certificate in these files",
    description: "A revoked certificate fails verification (certificate revoked).",
    hint: "Replace the revoked certificate with a newly issued one.",
  },
  "crl.summary": {
    severity: "info",
    title: "What the CRL says",
    description: "Issuer, thisUpdate/nextUpdate and the number of revoked serials.",
  },
  "crl.dir-unhashed": {
    severity: "warning",
    title: "sslcrldir holds CRLs under names OpenSSL does not look for",
    description: "OpenSSL looks up CRLs in a directory by '<issuer hash>.r<n>' only; other names are never read.",
    hint: "Run openssl rehash on the directory (or c_rehash).",
  },
  "crl.dir-no-crl": {
    severity: "error",
    title: "sslcrldir switches CRL checking on but holds no CRL for the chain",
    description:
      "A directory given as sslcrldir switches CRL checking on even when it does not exist; every certificate of the chain then needs a CRL, and verification fails (unable to get certificate CRL).",
    hint: "Put the CA's CRLs in the directory and run openssl rehash, or drop sslcrldir.",
  },
  // ---- server certificate verdict
  "tls.root-missing": {
    severity: "error",
    title: "verify-ca/verify-full without a root certificate file",
    description: "libpq fails before the handshake: root certificate file does not exist.",
    hint: "Provide sslrootcert (the CA that issued the server's certificate), or use sslrootcert=system for a public CA.",
  },
  "tls.not-verified": {
    severity: "warning",
    title: "The server's certificate is not verified at all",
    description:
      "Under require (or prefer/allow) without a root file libpq encrypts but accepts any certificate: anyone in the path can impersonate the server.",
    hint: "Provide sslrootcert and use sslmode=verify-full.",
  },
  "tls.require-verifies": {
    severity: "info",
    title: "sslmode=require verifies the chain because a root file is present",
    description:
      "For backwards compatibility libpq verifies the server's chain under require/prefer/allow whenever a root certificate file exists, exactly as verify-ca does.",
    hint: "Say what you mean: use sslmode=verify-full (or verify-ca).",
  },
  "tls.hostname-mismatch": {
    severity: "error",
    title: "The server certificate does not name the host",
    description:
      "Under verify-full libpq compares the host parameter with the certificate's SANs (or CN) and refuses the connection.",
    hint: "Connect with a host name the certificate names, or re-issue the certificate with the host in its subjectAltName.",
  },
  "tls.hostname-ok": {
    severity: "info",
    title: "The server certificate names the host",
    description: "libpq's verify-full host-name check passes.",
  },
  "tls.chain-ok": {
    severity: "info",
    title: "The server's chain verifies against sslrootcert",
    description: "The chain as the server sends it builds to a root in sslrootcert and passes OpenSSL's checks.",
  },
  "tls.chain-unknown-ca": {
    severity: "error",
    title: "The server's chain does not lead to a root in sslrootcert",
    description:
      "OpenSSL cannot build a chain from the server's certificate to a root in sslrootcert: the CA is not there, or the server does not send its intermediate.",
    hint: "Put the issuing root CA in sslrootcert; if the server's certificate comes from an intermediate, the server must send it (ssl_cert_file = leaf + intermediate).",
  },
  "tls.chain-self-signed": {
    severity: "error",
    title: "The server's certificate is self-signed and not trusted",
    description: "A self-signed certificate verifies only if that very certificate is in sslrootcert.",
    hint: "Put the server's certificate itself in sslrootcert, or better, issue it from a CA you trust.",
  },
  "tls.chain-expired": {
    severity: "error",
    title: "A certificate in the server's chain is expired or not yet valid",
    description: "OpenSSL checks the validity period of every certificate in the chain, the CAs included.",
    hint: "Renew the certificate named in the message.",
  },
  "tls.chain-revoked": {
    severity: "error",
    title: "A certificate in the server's chain is revoked",
    description: "The CRL lists the certificate's serial.",
    hint: "The server needs a newly issued certificate.",
  },
  "tls.chain-crl": {
    severity: "error",
    title: "CRL checking fails for the server's chain",
    description:
      "With sslcrl/sslcrldir loaded libpq checks every certificate of the chain: each issuer needs a current CRL (unable to get certificate CRL, CRL has expired).",
    hint: "Provide current CRLs for every CA in the chain (root and intermediates), or drop sslcrl/sslcrldir.",
  },
  "tls.chain-weak": {
    severity: "error",
    title: "The server's chain uses crypto OpenSSL refuses",
    description: "At the client's security level a key is too small or a signature uses SHA-1/MD5.",
    hint: "Re-issue the certificate with RSA 2048+/ECDSA and SHA-256.",
  },
  "tls.chain-invalid": {
    severity: "error",
    title: "The server's chain is invalid",
    description:
      "An issuer is not a CA, the certificate's purpose excludes serverAuth, or a signature does not verify.",
    hint: "Re-issue the certificate from a proper CA with extendedKeyUsage serverAuth.",
  },
  "tls.chain-root-unreadable": {
    severity: "error",
    title: "libpq cannot read the root certificate file",
    description: "libpq fails with 'could not read root certificate file'.",
    hint: "sslrootcert must be a PEM file with one or more CA certificates.",
  },
} satisfies Record<string, CodeSpec>;
