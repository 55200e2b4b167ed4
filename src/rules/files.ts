// Judges the file facts the way libpq will: what makes it fail (errors), what it silently ignores (warnings),
// and what is merely worth knowing (info). Messages quote libpq's own texts where libpq prints one.

import { createPublicKey } from "node:crypto";
import { READ_CAPS } from "../io/read.js";
import type { Analysis, ReadFile } from "../pki/analyze.js";
import { type ChainResult, verifyWithTrust } from "../pki/chain.js";
import { describeKind, type ObjectKind } from "../pki/content.js";
import { crlIssuedBy, crlRevokes, normaliseSerial } from "../pki/crl.js";
import { rootMissingMessage } from "../pki/libpq-messages.js";
import { type CertInfo, daysBetween, EKU, isCa, keySecurityBits, shortName, sigHashBits } from "../pki/x509.js";
import type { Finding } from "./registry.js";
import { type FindingCode, finding } from "./registry.js";

export interface JudgeOptions {
  /** `dbdoctor certs` without --server-cert says what it could not check; `check` has the live probe for that. */
  mentionServerUnknown?: boolean;
}

const day = (d: Date) => d.toISOString().slice(0, 10);

/** Problems every role shares: existence, type, size, encoding, stray content. Returns false when unusable. */
function fileBasics(out: Finding[], f: ReadFile, what: string): boolean {
  const r = f.read;
  if (r.status === "unreadable") {
    out.push(
      finding("file.unreadable", f.role, `${f.role} "${f.path}" cannot be read: ${r.message}.`, {
        hint: `Make "${f.path}" readable by the user the client runs as (ls -l "${f.path}").`,
        evidence: { path: f.path, errno: r.errno },
      }),
    );
    return false;
  }
  if (r.status === "not-regular") {
    out.push(
      finding("file.not-regular", f.role, `${f.role} "${f.path}" is ${r.what}, not a file holding ${what}.`, {
        hint: `Point ${f.role} at the ${what} file itself.`,
        evidence: { path: f.path },
      }),
    );
    return false;
  }
  if (r.status !== "ok") return false;
  if (r.truncated) {
    out.push(
      finding(
        "file.too-big",
        f.role,
        `${f.role} "${f.path}" is larger than ${READ_CAPS.certificate / 2 ** 20} MiB; it cannot be ${what}.`,
        {
          evidence: { path: f.path, size: r.stat.size },
        },
      ),
    );
    return false;
  }
  const d = f.decoded;
  if (!d || d.format === "empty") {
    out.push(
      finding("file.empty", f.role, `${f.role} "${f.path}" is empty: OpenSSL finds no ${what} in it.`, {
        evidence: { path: f.path },
      }),
    );
    return false;
  }
  if (f.origin === "default") {
    out.push(
      finding(
        "file.default-path",
        f.role,
        `libpq uses "${f.path}" as ${f.role} although no parameter names it (its default under ~/.postgresql/).`,
        {
          hint: `Set ${f.role}=${f.path} explicitly (or remove the file if it is a leftover).`,
          evidence: { path: f.path },
        },
      ),
    );
  }
  if (d.format === "jks") {
    out.push(
      finding("file.wrong-content", f.role, `${f.role} "${f.path}" is a Java keystore (JKS/JCEKS), not ${what}.`, {
        hint: `Export it: keytool -exportcert -rfc -alias ALIAS -keystore "${f.path}" -file cert.pem (keys via keytool -importkeystore to PKCS#12, then openssl pkcs12).`,
        evidence: { path: f.path },
      }),
    );
    return false;
  }
  if (d.format === "binary" || d.format === "text") {
    out.push(
      finding(
        "file.wrong-content",
        f.role,
        `${f.role} "${f.path}" holds no PEM block and no DER object: it is not ${what}.`,
        {
          evidence: { path: f.path },
        },
      ),
    );
    return false;
  }
  if (d.format === "der" && d.der?.kind === "pkcs12") {
    out.push(
      finding(
        "file.wrong-content",
        f.role,
        `${f.role} "${f.path}" is ${describeKind("pkcs12")}${p12Text(f)}, which libpq cannot read.`,
        {
          hint: `Extract PEM files: openssl pkcs12 -in "${f.path}" -clcerts -nokeys -out client.crt; openssl pkcs12 -in "${f.path}" -nocerts -nodes -out client.key; chmod 0600 client.key.`,
          evidence: { path: f.path },
        },
      ),
    );
    return false;
  }
  if (d.unterminated) {
    out.push(
      finding(
        "file.truncated-pem",
        f.role,
        `${f.role} "${f.path}": the block "-----BEGIN ${d.unterminated.label}-----" at line ${d.unterminated.line} has no END line; OpenSSL fails to read the file.`,
        {
          evidence: { path: f.path, line: d.unterminated.line },
          location: { file: f.path, line: d.unterminated.line },
        },
      ),
    );
  }
  const stray = d.strayText[0];
  if (stray) {
    out.push(
      finding(
        "file.trailing-garbage",
        f.role,
        `${f.role} "${f.path}" has text outside its PEM blocks (line ${stray.line}: "${stray.preview}"); OpenSSL skips it.`,
        {
          evidence: { path: f.path, line: stray.line, lines: d.strayText.length },
          location: { file: f.path, line: stray.line },
        },
      ),
    );
  }
  if (d.format === "der" && d.der && d.der.trailingBytes > 0) {
    out.push(
      finding(
        "file.trailing-garbage",
        f.role,
        `${f.role} "${f.path}" has ${d.der.trailingBytes} bytes after its DER object.`,
        {
          evidence: { path: f.path, trailingBytes: d.der.trailingBytes },
        },
      ),
    );
  }
  if (f.badCerts > 0) {
    out.push(
      finding(
        "file.wrong-content",
        f.role,
        `${f.role} "${f.path}" has ${f.badCerts} CERTIFICATE block(s) that do not parse as X.509.`,
        {
          hint: "The base64 is damaged or the block is not a certificate; copy the file again.",
          evidence: { path: f.path },
        },
      ),
    );
  }
  return true;
}

function p12Text(f: ReadFile): string {
  const p = f.pkcs12;
  if (!p) return "";
  if (p.passwordProtected) return " (protected by a password)";
  const parts = [
    ...p.certificates.map((c) => `certificate ${c}`),
    ...(p.keys ? [`${p.keys} private key${p.keys === 1 ? "" : "s"}`] : []),
  ];
  return parts.length ? ` holding ${parts.join(", ")}` : "";
}

function kindsText(kinds: ObjectKind[]): string {
  const uniq = [...new Set(kinds)];
  return uniq.map(describeKind).join(" and ");
}

function validity(out: Finding[], f: ReadFile, a: Analysis): void {
  f.certs.forEach((c, i) => {
    const where = `${f.role} "${f.path}"${f.certs.length > 1 ? ` (certificate ${i + 1} of ${f.certs.length})` : ""}`;
    const evidence = {
      path: f.path,
      subject: c.subject,
      notBefore: c.notBefore.toISOString(),
      notAfter: c.notAfter.toISOString(),
    };
    if (c.notAfter < a.now) {
      out.push(
        finding(
          "cert.expired",
          f.role,
          `${where}: ${c.subject} expired on ${day(c.notAfter)} (${daysBetween(c.notAfter, a.now)} days ago).`,
          {
            hint: `Renew ${shortName(c)} and replace "${f.path}".`,
            evidence,
          },
        ),
      );
    } else if (c.notBefore > a.now) {
      out.push(
        finding(
          "cert.not-yet-valid",
          f.role,
          `${where}: ${c.subject} is valid only from ${day(c.notBefore)} (in ${daysBetween(a.now, c.notBefore) + 1} days).`,
          {
            evidence,
          },
        ),
      );
    } else {
      const left = daysBetween(a.now, c.notAfter);
      if (left < a.warnDays)
        out.push(
          finding(
            "cert.expiring",
            f.role,
            `${where}: ${c.subject} expires on ${day(c.notAfter)}, in ${left} days (--warn-days ${a.warnDays}).`,
            {
              hint: `Renew ${shortName(c)} before ${day(c.notAfter)}.`,
              evidence: { ...evidence, daysLeft: left },
            },
          ),
        );
    }
  });
}

function weakCrypto(out: Finding[], f: ReadFile): void {
  for (const c of f.certs) {
    const bits = keySecurityBits(c.keyType, c.keyBits);
    if (bits < 112)
      out.push(
        finding(
          "cert.weak-key",
          f.role,
          `${f.role} "${f.path}": ${c.subject} has a ${c.keyType.toUpperCase()} ${c.keyBits ?? "?"}-bit key (${bits} bits of security); TLS libraries at security level 2 refuse it${bits < 80 ? ", and level 1 too" : ""}.`,
          { evidence: { path: f.path, subject: c.subject, keyBits: c.keyBits ?? 0 } },
        ),
      );
    // A root's self-signature is never checked, so its hash does not matter.
    if (!c.selfIssued && sigHashBits(c.sigHash) < 80)
      out.push(
        finding(
          "cert.weak-signature",
          f.role,
          `${f.role} "${f.path}": ${c.subject} is signed with ${c.sigAlgName}; OpenSSL 3 refuses it (CA signature digest algorithm too weak).`,
          { evidence: { path: f.path, subject: c.subject, signature: c.sigAlgName } },
        ),
      );
  }
}

function bundleInfo(out: Finding[], f: ReadFile): void {
  if (f.certs.length === 0) return;
  const list = f.certs.map(
    (c, i) =>
      `${i + 1}. ${c.subject} (issuer ${c.issuer}; ${day(c.notBefore)} to ${day(c.notAfter)}; ${c.keyType}${c.keyBits ? ` ${c.keyBits}` : ""}, ${c.sigAlgName})`,
  );
  out.push(
    finding(
      "cert.bundle",
      f.role,
      `${f.role} "${f.path}" holds ${f.certs.length} certificate${f.certs.length === 1 ? "" : "s"}: ${list.join("; ")}.`,
      {
        evidence: { path: f.path, subjects: f.certs.map((c) => c.subject) },
      },
    ),
  );
}

function spki(k: { export(o: { format: "der"; type: "spki" }): Buffer }): Buffer {
  return k.export({ format: "der", type: "spki" });
}

function judgeRoot(out: Finding[], a: Analysis, o: JudgeOptions): void {
  const verify = a.sslmode === "verify-ca" || a.sslmode === "verify-full";
  // Under disable libpq never starts TLS: the root file is not read at all (sslmode.files-ignored says so).
  if (a.rootSystem || a.sslmode === "disable") return;
  const f = a.root;
  if (!f) return;
  if (f.read.status === "missing") {
    if (verify)
      out.push(
        finding("tls.root-missing", "sslrootcert", rootMissingMessage(f.path, a.libpq), {
          hint: `Put the CA certificate that issued the server's certificate at "${f.path}" (or set sslrootcert), or use sslrootcert=system for a public CA.`,
          evidence: { path: f.path, sslmode: a.sslmode },
        }),
      );
    else if (f.origin === "explicit")
      out.push(
        finding(
          "file.missing-skipped",
          "sslrootcert",
          `sslrootcert "${f.path}" does not exist; under sslmode=${a.sslmode} libpq then does not verify the server's certificate at all.`,
          {
            hint: `Fix the path; with the file in place libpq verifies the chain even under ${a.sslmode}.`,
            evidence: { path: f.path },
          },
        ),
      );
    else if (a.sslmode === "require")
      out.push(
        finding(
          "tls.not-verified",
          "sslmode",
          `sslmode=require and no root certificate file ("${f.path}" does not exist): any server certificate is accepted.`,
          {
            evidence: { path: f.path },
          },
        ),
      );
    return;
  }
  if (!fileBasics(out, f, "CA certificates")) return;
  if (f.decoded?.format === "der") {
    out.push(
      finding(
        "file.der-not-supported",
        "sslrootcert",
        `sslrootcert "${f.path}" is DER; libpq reads it as PEM and fails: could not read root certificate file "${f.path}".`,
        {
          hint: `openssl x509 -inform DER -in "${f.path}" -out root.crt, then sslrootcert=root.crt.`,
          evidence: { path: f.path },
        },
      ),
    );
    return;
  }
  if (f.certs.length === 0) {
    const kinds = f.facts.holds as ObjectKind[];
    out.push(
      finding(
        "file.wrong-content",
        "sslrootcert",
        `sslrootcert "${f.path}" holds ${kinds.length ? kindsText(kinds) : "no PEM object"} and no certificate; libpq fails: could not read root certificate file "${f.path}".`,
        { hint: "sslrootcert must hold the CA certificate(s) in PEM.", evidence: { path: f.path } },
      ),
    );
    return;
  }
  validity(out, f, a);
  weakCrypto(out, f);
  const roots = f.certs.filter((c) => c.selfIssued);
  const intermediates = f.certs.filter((c) => !c.selfIssued && isCa(c));
  for (const c of f.certs) {
    if (!c.selfIssued && !isCa(c) && !c.keyUsage?.includes("keyCertSign"))
      out.push(
        finding(
          "ca.not-ca",
          "sslrootcert",
          `sslrootcert "${f.path}" holds ${c.subject}, which is not a CA (no basicConstraints CA:TRUE) and not self-signed: it anchors nothing.`,
          {
            evidence: { path: f.path, subject: c.subject },
          },
        ),
      );
    if (isCa(c) && c.keyUsage && !c.keyUsage.includes("keyCertSign"))
      out.push(
        finding(
          "ca.no-keycertsign",
          "sslrootcert",
          `CA certificate ${c.subject} in "${f.path}" has keyUsage ${c.keyUsage.join(", ")} without keyCertSign; OpenSSL does not accept it as an issuer.`,
          {
            evidence: { path: f.path, subject: c.subject },
          },
        ),
      );
  }
  if (roots.length === 0 && intermediates.length > 0)
    out.push(
      finding(
        "ca.intermediate-only",
        "sslrootcert",
        `sslrootcert "${f.path}" holds only intermediate CA certificate(s) (${intermediates.map((c) => c.subject).join("; ")}) and no self-signed root; libpq does not accept partial chains, so verification fails with "unable to get issuer certificate".`,
        { hint: `Append the root CA (${intermediates[0]?.issuer}) to "${f.path}".`, evidence: { path: f.path } },
      ),
    );
  out.push(
    finding(
      "ca.summary",
      "sslrootcert",
      `sslrootcert "${f.path}": ${roots.length} root${roots.length === 1 ? "" : "s"}${roots.length ? ` (${roots.map((c) => c.subject).join("; ")})` : ""}, ${intermediates.length} intermediate${intermediates.length === 1 ? "" : "s"}${intermediates.length ? ` (${intermediates.map((c) => c.subject).join("; ")})` : ""}.`,
      {
        evidence: {
          path: f.path,
          roots: roots.map((c) => c.subject),
          intermediates: intermediates.map((c) => c.subject),
        },
      },
    ),
  );
  if (!a.server && o.mentionServerUnknown)
    out.push(
      finding(
        "ca.server-unknown",
        "sslrootcert",
        `Without the server's certificate dbdoctor cannot tell whether "${f.path}" anchors the server's chain or whether the certificate names the host.`,
        { evidence: { path: f.path } },
      ),
    );
}

function judgeClient(out: Finding[], a: Analysis): void {
  const f = a.cert;
  const key = a.key;
  let certLoaded = false;
  if (f) {
    if (f.read.status === "missing") {
      if (f.origin === "explicit")
        out.push(
          finding(
            "file.missing-skipped",
            "sslcert",
            `sslcert "${f.path}" does not exist; libpq silently connects without a client certificate.`,
            {
              hint: "Fix the path if the server expects a client certificate (pg_hba cert or clientcert=verify-*).",
              evidence: { path: f.path },
            },
          ),
        );
    } else if (fileBasics(out, f, "a client certificate")) {
      if (f.decoded?.format === "der") {
        out.push(
          finding(
            "file.der-not-supported",
            "sslcert",
            `sslcert "${f.path}" is DER; libpq reads it as PEM and fails: could not read certificate file "${f.path}".`,
            {
              hint: `openssl x509 -inform DER -in "${f.path}" -out client.crt, then sslcert=client.crt.`,
              evidence: { path: f.path },
            },
          ),
        );
      } else if (f.certs.length === 0) {
        const kinds = f.facts.holds as ObjectKind[];
        out.push(
          finding(
            "file.wrong-content",
            "sslcert",
            `sslcert "${f.path}" holds ${kinds.length ? kindsText(kinds) : "no PEM object"} and no certificate; libpq fails: could not read certificate file "${f.path}".`,
            {
              hint: kinds.includes("csr")
                ? "A CSR is the request, not the certificate: have the CA sign it and use the certificate it returns."
                : "sslcert must hold the client certificate (then its intermediates) in PEM.",
              evidence: { path: f.path },
            },
          ),
        );
      } else {
        certLoaded = !f.decoded?.unterminated;
        const others = (f.facts.holds ?? []).filter((k) => k !== "certificate") as ObjectKind[];
        if (others.length > 0)
          out.push(
            finding(
              "file.trailing-garbage",
              "sslcert",
              `sslcert "${f.path}" also holds ${kindsText(others)}; OpenSSL skips it here.`,
              {
                hint: "Keep only certificates in sslcert (client first, then intermediates); the key belongs in sslkey.",
                evidence: { path: f.path },
              },
            ),
          );
        bundleInfo(out, f);
        validity(out, f, a);
        weakCrypto(out, f);
        judgeClientCert(out, a, f);
      }
    }
  }
  if (!key) return;
  const kf = key.file;
  if (!certLoaded) {
    if (kf.origin === "explicit" && kf.read.status !== "missing")
      out.push(
        finding(
          "key.unused",
          "sslkey",
          `sslkey "${kf.path}" is set but no client certificate is loaded, so libpq never reads the key.`,
          {
            evidence: { path: kf.path },
          },
        ),
      );
    return;
  }
  if (kf.read.status === "missing") {
    out.push(
      finding("file.missing", "sslkey", `certificate present, but not private key file "${kf.path}"`, {
        hint: `Put the client certificate's private key at "${kf.path}" (or set sslkey), chmod 0600.`,
        evidence: { path: kf.path },
      }),
    );
    return;
  }
  if (kf.read.status === "not-regular") {
    out.push(
      finding("file.not-regular", "sslkey", `private key file "${kf.path}" is not a regular file`, {
        evidence: { path: kf.path },
      }),
    );
    return;
  }
  if (kf.read.status === "ok") {
    const mode = kf.read.stat.mode;
    const uid = kf.read.stat.uid;
    const bad = uid === 0 ? mode & 0o037 : mode & 0o077;
    if (bad && process.platform !== "win32") {
      const octal = (mode & 0o777).toString(8).padStart(4, "0");
      out.push(
        finding(
          "key.permissions",
          "sslkey",
          `private key file "${kf.path}" has group or world access; file must have permissions u=rw (0600) or less if owned by the current user, or permissions u=rw,g=r (0640) or less if owned by root (it has ${octal}, owner uid ${uid}).`,
          {
            hint: `chmod 0600 "${kf.path}"${uid === 0 ? "" : `   (or: chown root "${kf.path}" && chmod 0640 "${kf.path}")`}`,
            evidence: { path: kf.path, mode: octal, uid },
          },
        ),
      );
    }
  }
  if (!fileBasics(out, kf, "a private key")) return;
  if (key.der && key.load?.ok)
    out.push(
      finding("key.der", "sslkey", `sslkey "${kf.path}" is DER; libpq falls back to DER for keys, so it loads.`, {
        evidence: { path: kf.path },
      }),
    );
  if (key.extraObjects.length > 0 && key.load && (key.load.ok || key.load.why !== "unreadable"))
    out.push(
      finding(
        "key.extra-objects",
        "sslkey",
        `sslkey "${kf.path}" also holds ${kindsText(key.extraObjects)}; OpenSSL skips them and takes the key.`,
        {
          evidence: { path: kf.path },
        },
      ),
    );
  const load = key.load;
  if (!load) return;
  if (!load.ok) {
    const kinds = (kf.facts.holds ?? []) as ObjectKind[];
    switch (load.why) {
      case "needs-password":
        out.push(
          finding(
            "key.encrypted-no-password",
            "sslkey",
            `private key file "${kf.path}" is encrypted (${key.encryption === "pkcs8" ? "PKCS#8" : "traditional PEM"}) and no sslpassword is set: OpenSSL will prompt "Enter PEM pass phrase:" on a terminal, and a client without one fails with could not load private key file "${kf.path}".`,
            {
              hint: "Set sslpassword, or give it to dbdoctor through DBDOCTOR_SSLPASSWORD to check it.",
              evidence: { path: kf.path, encryption: key.encryption },
            },
          ),
        );
        break;
      case "bad-decrypt":
        out.push(
          finding("key.bad-decrypt", "sslkey", `could not load private key file "${kf.path}": bad decrypt`, {
            hint: "The sslpassword is not the key's passphrase.",
            evidence: { path: kf.path, encryption: key.encryption },
          }),
        );
        break;
      case "unsupported":
        out.push(
          finding(
            "key.unsupported-encryption",
            "sslkey",
            `private key file "${kf.path}": OpenSSL cannot decrypt it (${load.detail}).`,
            {
              evidence: { path: kf.path },
            },
          ),
        );
        break;
      case "unreadable":
        out.push(
          finding(
            "key.unreadable",
            "sslkey",
            `could not load private key file "${kf.path}": it holds ${kinds.length ? kindsText(kinds) : "no private key"}${kinds.length && !kinds.some((k) => k.includes("private-key")) ? " and no private key" : ""}.`,
            { evidence: { path: kf.path } },
          ),
        );
        break;
    }
    return;
  }
  const leaf = f?.certs[0];
  if (!leaf || !f) return;
  const pub = spki(createPublicKey(load.key));
  if (!spki(leaf.x509.publicKey).equals(pub)) {
    const other = f.certs.findIndex((c) => spki(c.x509.publicKey).equals(pub));
    if (other > 0)
      out.push(
        finding(
          "cert.client-wrong-order",
          "sslcert",
          `The key "${kf.path}" belongs to certificate ${other + 1} in "${f.path}" (${f.certs[other]?.subject}), but libpq uses the first one (${leaf.subject}): certificate does not match private key file "${kf.path}".`,
          { evidence: { path: f.path, key: kf.path } },
        ),
      );
    else
      out.push(
        finding(
          "key.mismatch",
          "sslkey",
          `certificate does not match private key file "${kf.path}": key values mismatch (the certificate is ${leaf.subject}).`,
          {
            evidence: { cert: f.path, key: kf.path },
          },
        ),
      );
  }
}

function judgeClientCert(out: Finding[], a: Analysis, f: ReadFile): void {
  const leaf = f.certs[0];
  if (!leaf) return;
  if (leaf.extKeyUsage && !leaf.extKeyUsage.includes(EKU.clientAuth))
    out.push(
      finding(
        "cert.client-no-clientauth",
        "sslcert",
        `Client certificate ${leaf.subject} has extendedKeyUsage ${leaf.extKeyUsage.join(", ")} without clientAuth; the server rejects it (unsupported certificate purpose).`,
        {
          evidence: { path: f.path, extKeyUsage: leaf.extKeyUsage },
        },
      ),
    );
  const cn = leaf.commonNames[0]?.toString("utf8");
  if (a.user && cn !== undefined && cn !== a.user)
    out.push(
      finding(
        "cert.client-cn-user",
        "sslcert",
        `The client certificate's CN is "${cn}" but the database user is "${a.user}"; pg_hba "cert" authentication (and clientcert=verify-full) fails with certificate authentication failed for user "${a.user}" unless a map= entry maps "${cn}" to "${a.user}".`,
        {
          hint: `Connect as user "${cn}", or add map=certmap to the pg_hba line and "certmap ${cn} ${a.user}" to pg_ident.conf.`,
          evidence: { path: f.path, cn, user: a.user },
        },
      ),
    );
  const anchors = a.trust?.anchors ?? [];
  if (anchors.length === 0) return;
  // libpq sends exactly what sslcert holds: an intermediate issuer must be in the file, not only in sslrootcert.
  const issuerInFile = f.certs.slice(1).some((c) => c.subjectDer.equals(leaf.issuerDer));
  const knownIssuer = anchors.find((c) => c.subjectDer.equals(leaf.issuerDer));
  if (!leaf.selfIssued && !issuerInFile && knownIssuer && !knownIssuer.selfIssued) {
    out.push(
      finding(
        "cert.client-chain-incomplete",
        "sslcert",
        `Client certificate ${leaf.subject} is issued by the intermediate ${knownIssuer.subject}, which is not in sslcert "${f.path}"; libpq sends only what sslcert holds.`,
        {
          hint: `cat "${f.path}" intermediate.crt > client-chain.crt and set sslcert=client-chain.crt.`,
          evidence: { path: f.path, issuer: knownIssuer.subject },
        },
      ),
    );
    return;
  }
  const trust = { anchors, crls: [], crlCheck: false };
  const r: ChainResult = verifyWithTrust(f.certs, trust, { now: a.now, purpose: "ssl_client", securityLevel: 0 });
  if (r.ok) return;
  if (r.reason === "unknown-ca" || r.reason === "self-signed")
    out.push(
      finding(
        "ca.client-not-anchored",
        "sslcert",
        `sslrootcert does not anchor the client certificate ${leaf.subject} (${r.message}); the server needs the issuing CA (${leaf.issuer}) in its ssl_ca_file.`,
        { evidence: { path: f.path } },
      ),
    );
}

function judgeCrl(out: Finding[], a: Analysis): void {
  const f = a.crl;
  const trust = a.trust;
  const revocable: { cert: CertInfo; where: string }[] = [];
  for (const file of [a.cert, a.server?.file])
    for (const c of file?.certs ?? []) revocable.push({ cert: c, where: `${file?.role} "${file?.path}"` });

  const crls = [...(f?.crls ?? [])];
  if (f) {
    if (f.read.status === "missing") {
      if (f.origin === "explicit")
        out.push(
          finding(
            "crl.ignored",
            "sslcrl",
            `sslcrl "${f.path}" does not exist; libpq silently checks no CRL${a.crlDir ? `, and because sslcrl fails, sslcrldir "${a.crlDir.path}" is not used either` : ""}.`,
            { evidence: { path: f.path } },
          ),
        );
    } else if (fileBasics(out, f, "a CRL")) {
      if (f.decoded?.format === "der" || f.crls.length === 0) {
        const what =
          f.decoded?.format === "der"
            ? "is DER (libpq reads PEM only)"
            : `holds ${kindsText((f.facts.holds ?? []) as ObjectKind[]) || "no CRL"}`;
        out.push(
          finding(
            "crl.ignored",
            "sslcrl",
            `sslcrl "${f.path}" ${what}; libpq silently checks no CRL${a.crlDir ? ` (and ignores sslcrldir "${a.crlDir.path}" too)` : ""}.`,
            {
              hint:
                f.decoded?.format === "der"
                  ? `openssl crl -inform DER -in "${f.path}" -out root.crl`
                  : "sslcrl must be a PEM CRL from the CA.",
              evidence: { path: f.path },
            },
          ),
        );
      }
    }
  }
  const dir = a.crlDir;
  if (dir) {
    if (!dir.exists || !dir.isDir) {
      if (trust?.crlCheck)
        out.push(
          finding(
            "crl.dir-no-crl",
            "sslcrldir",
            `sslcrldir "${dir.path}" ${dir.exists ? "is not a directory" : "does not exist"}, yet it switches CRL checking on: every certificate of the server's chain then needs a CRL, and verification fails (unable to get certificate CRL).`,
            { evidence: { path: dir.path } },
          ),
        );
    } else {
      const unhashed = dir.entries.filter((e) => !dir.hashedEntries.includes(e) && /\.(crl|pem|r\d+)$/i.test(e));
      if (unhashed.length > 0)
        out.push(
          finding(
            "crl.dir-unhashed",
            "sslcrldir",
            `sslcrldir "${dir.path}" holds ${unhashed.join(", ")}, which OpenSSL never reads (it looks only for <hash>.r<n>).`,
            {
              hint: `openssl rehash "${dir.path}"`,
              evidence: { path: dir.path, files: unhashed },
            },
          ),
        );
      if (dir.hashedEntries.length === 0 && trust?.crlCheck)
        out.push(
          finding(
            "crl.dir-no-crl",
            "sslcrldir",
            `sslcrldir "${dir.path}" holds no rehashed CRL, yet it switches CRL checking on: verification of any chain fails (unable to get certificate CRL).`,
            {
              hint: `Copy the CRLs into "${dir.path}" and run openssl rehash "${dir.path}".`,
              evidence: { path: dir.path },
            },
          ),
        );
    }
  }
  if (trust?.crlCheck && dir?.isDir) crls.push(...trust.crls.filter((c) => !crls.includes(c)));
  for (const crl of crls) {
    const subject = f?.crls.includes(crl) ? "sslcrl" : "sslcrldir";
    out.push(
      finding(
        "crl.summary",
        subject,
        `CRL by ${crl.issuer}: thisUpdate ${day(crl.thisUpdate)}, nextUpdate ${crl.nextUpdate ? day(crl.nextUpdate) : "none"}, ${crl.revoked.length} revoked serial${crl.revoked.length === 1 ? "" : "s"}.`,
        { evidence: { issuer: crl.issuer, revoked: crl.revoked.length } },
      ),
    );
    if (crl.nextUpdate && crl.nextUpdate < a.now)
      out.push(
        finding(
          "crl.expired",
          subject,
          `The CRL by ${crl.issuer} expired on ${day(crl.nextUpdate)} (nextUpdate); with CRL checking on, verification fails: CRL has expired.`,
          {
            evidence: { issuer: crl.issuer, nextUpdate: crl.nextUpdate.toISOString() },
          },
        ),
      );
    if (crl.thisUpdate > a.now)
      out.push(
        finding(
          "crl.not-yet-valid",
          subject,
          `The CRL by ${crl.issuer} is valid only from ${day(crl.thisUpdate)}: CRL is not yet valid.`,
          { evidence: { issuer: crl.issuer } },
        ),
      );
    const anchors = trust?.anchors ?? [];
    const issuer = anchors.find((c) => c.subjectDer.equals(crl.issuerDer));
    if (anchors.length > 0 && !issuer)
      out.push(
        finding(
          "crl.issuer-unknown",
          subject,
          `The CRL is issued by ${crl.issuer}, which is not in sslrootcert; it cannot serve the CAs there, and with CRL checking on their certificates fail (unable to get certificate CRL).`,
          { evidence: { issuer: crl.issuer } },
        ),
      );
    else if (issuer && !crlIssuedBy(crl, issuer))
      out.push(
        finding(
          "crl.bad-signature",
          subject,
          `The CRL claims issuer ${crl.issuer} but its signature does not verify with that CA's key.`,
          { evidence: { issuer: crl.issuer } },
        ),
      );
    for (const r of revocable)
      if (crlRevokes(crl, r.cert))
        out.push(
          finding(
            "crl.revokes",
            subject,
            `The CRL by ${crl.issuer} revokes ${r.cert.subject} (serial ${normaliseSerial(r.cert.serialHex)}) in ${r.where}.`,
            {
              evidence: { issuer: crl.issuer, subject: r.cert.subject, serial: r.cert.serialHex },
            },
          ),
        );
  }
}

const CHAIN_CODE: Record<string, FindingCode> = {
  "unknown-ca": "tls.chain-unknown-ca",
  "missing-intermediate": "tls.chain-unknown-ca",
  "self-signed": "tls.chain-self-signed",
  expired: "tls.chain-expired",
  "not-yet-valid": "tls.chain-expired",
  "ca-expired": "tls.chain-expired",
  revoked: "tls.chain-revoked",
  "weak-signature": "tls.chain-weak",
  "weak-key": "tls.chain-weak",
  "bad-signature": "tls.chain-invalid",
  "not-a-ca": "tls.chain-invalid",
  "wrong-purpose": "tls.chain-invalid",
  "crl-unavailable": "tls.chain-crl",
  "crl-expired": "tls.chain-crl",
  "unreadable-root": "tls.chain-root-unreadable",
};

function judgeServer(out: Finding[], a: Analysis): void {
  const s = a.server;
  if (!s) return;
  const f = s.file;
  if (f.read.status === "missing") {
    out.push(
      finding("file.missing", "server-cert", `--server-cert "${f.path}" does not exist.`, {
        evidence: { path: f.path },
      }),
    );
    return;
  }
  if (!fileBasics(out, f, "the server's certificate chain")) return;
  if (f.certs.length === 0) {
    out.push(
      finding(
        "file.wrong-content",
        "server-cert",
        `--server-cert "${f.path}" holds ${kindsText((f.facts.holds ?? []) as ObjectKind[]) || "nothing usable"} and no certificate.`,
        {
          evidence: { path: f.path },
        },
      ),
    );
    return;
  }
  bundleInfo(out, f);
  weakCrypto(out, f);
  if (!s.chainChecked) validity(out, f, a);
  const leaf = f.certs[0] as CertInfo;
  const chain = s.chain;
  if (!s.chainChecked) {
    if (a.sslmode === "require" || a.sslmode === "prefer" || a.sslmode === "allow")
      out.push(
        finding(
          "tls.not-verified",
          "sslmode",
          `sslmode=${a.sslmode} without a root certificate file: libpq accepts ${leaf.subject} without any check.`,
          {
            hint: "Provide sslrootcert and use sslmode=verify-full.",
            evidence: { sslmode: a.sslmode },
          },
        ),
      );
  } else if (chain) {
    if (chain.ok) {
      out.push(
        finding("tls.chain-ok", "server-cert", `The chain verifies: ${chain.path.join(" <- ")}.`, {
          evidence: { path: chain.path },
        }),
      );
      if (a.sslmode !== "verify-ca" && a.sslmode !== "verify-full")
        out.push(
          finding(
            "tls.require-verifies",
            "sslmode",
            `sslmode=${a.sslmode} verifies the chain here because a root certificate file is present.`,
            { evidence: { sslmode: a.sslmode } },
          ),
        );
    } else if (chain.reason === "unreadable-root" && a.root?.read.status === "missing") {
      // tls.root-missing already says it, in libpq's words.
    } else {
      const depth = chain.depth ?? 0;
      const culprit = f.certs[depth]?.subject ?? (depth > 0 ? "a CA certificate from sslrootcert" : leaf.subject);
      out.push(
        finding(
          CHAIN_CODE[chain.reason] ?? "tls.chain-invalid",
          "server-cert",
          chain.reason === "unreadable-root"
            ? chain.message
            : `libpq would fail with "SSL error: certificate verify failed" (OpenSSL: ${chain.message.replace(/^certificate verify failed: /, "")}, depth ${depth}, ${culprit}).`,
          { evidence: { reason: chain.reason, depth, sslmode: a.sslmode } },
        ),
      );
    }
  }
  if (s.hostnameChecked && s.hostname) {
    if (s.hostname.ok)
      out.push(
        finding(
          "tls.hostname-ok",
          "host",
          `The certificate names "${s.host ?? ""}" (matched "${s.hostname.matched}").`,
          { evidence: { host: s.host ?? "" } },
        ),
      );
    else
      out.push(
        finding("tls.hostname-mismatch", "host", s.hostname.message, {
          hint: `Connect with a name the certificate lists (${leaf.san.length ? "its SANs" : "its CN"}), or re-issue it with subjectAltName DNS:${s.host ?? "HOST"}.`,
          evidence: { host: s.host ?? "", libpq: a.libpq },
        }),
      );
  }
}

/** All file findings for an analysis. */
export function judgeFiles(a: Analysis, o: JudgeOptions = {}): Finding[] {
  const out: Finding[] = [];
  judgeRoot(out, a, o);
  judgeClient(out, a);
  judgeCrl(out, a);
  judgeServer(out, a);
  return out;
}
