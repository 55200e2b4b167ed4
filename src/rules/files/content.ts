// Each file libpq would read, as a file: there or not, readable, its size, its encoding, and whether it holds what
// libpq expects there. The role decides what libpq does with a problem (a missing sslcert is skipped, a missing key
// fails); what the objects inside say is for the other rules.
import { READ_CAPS } from "../../io/read.js";
import type { FileAnalysis, ReadFile } from "../../pki/analyze.js";
import { describeKind } from "../../pki/content.js";
import { CERT_LABELS, CRL_LABEL } from "../../pki/pem-read.js";
import { defineRule, type FindingExtras } from "../rule.js";
import { kindsText, p12Text } from "./text.js";

type Code =
  | "file.missing"
  | "file.missing-skipped"
  | "file.default-path"
  | "file.unreadable"
  | "file.not-regular"
  | "file.empty"
  | "file.too-big"
  | "file.der-not-supported"
  | "file.wrong-content"
  | "file.truncated-pem"
  | "file.pem-indented"
  | "file.pem-malformed"
  | "file.trailing-garbage";

type Report = (code: Code, subject: string, message: string, extras?: FindingExtras) => void;

/** Problems every role shares: type, size, encoding, stray content. Stays silent for a missing file. */
function basics(report: Report, f: ReadFile, what: string): void {
  const r = f.read;
  if (r.status === "unreadable") {
    report("file.unreadable", f.role, `${f.role} "${f.path}" cannot be read: ${r.message}.`, {
      hint: `Make "${f.path}" readable by the user the client runs as (ls -l "${f.path}").`,
      evidence: { path: f.path, errno: r.errno },
    });
    return;
  }
  if (r.status === "not-regular") {
    report("file.not-regular", f.role, `${f.role} "${f.path}" is ${r.what}, not a file holding ${what}.`, {
      hint: `Point ${f.role} at the ${what} file itself.`,
      evidence: { path: f.path },
    });
    return;
  }
  if (r.status !== "ok") return;
  if (r.truncated) {
    report(
      "file.too-big",
      f.role,
      `${f.role} "${f.path}" is larger than ${READ_CAPS.certificate / 2 ** 20} MiB; it cannot be ${what}.`,
      {
        evidence: { path: f.path, size: r.stat.size },
      },
    );
    return;
  }
  const d = f.decoded;
  if (!d || d.format === "empty") {
    report("file.empty", f.role, `${f.role} "${f.path}" is empty: OpenSSL finds no ${what} in it.`, {
      evidence: { path: f.path },
    });
    return;
  }
  if (f.origin === "default")
    report(
      "file.default-path",
      f.role,
      `libpq uses "${f.path}" as ${f.role} although no parameter names it (its default under ~/.postgresql/).`,
      {
        hint: `Set ${f.role}=${f.path} explicitly (or remove the file if it is a leftover).`,
        evidence: { path: f.path },
      },
    );
  if (d.format === "jks") {
    report("file.wrong-content", f.role, `${f.role} "${f.path}" is a Java keystore (JKS/JCEKS), not ${what}.`, {
      hint: `Export it: keytool -exportcert -rfc -alias ALIAS -keystore "${f.path}" -file cert.pem (keys via keytool -importkeystore to PKCS#12, then openssl pkcs12).`,
      evidence: { path: f.path },
    });
    return;
  }
  if (d.format === "binary" || d.format === "text") {
    report(
      "file.wrong-content",
      f.role,
      `${f.role} "${f.path}" holds no PEM block and no DER object: it is not ${what}.`,
      { evidence: { path: f.path } },
    );
    return;
  }
  if (d.format === "der" && d.der?.kind === "pkcs12") {
    report(
      "file.wrong-content",
      f.role,
      `${f.role} "${f.path}" is ${describeKind("pkcs12")}${p12Text(f)}, which libpq cannot read.`,
      {
        hint: `Extract PEM files: openssl pkcs12 -in "${f.path}" -clcerts -nokeys -out client.crt; openssl pkcs12 -in "${f.path}" -nocerts -nodes -out client.key; chmod 0600 client.key.`,
        evidence: { path: f.path },
      },
    );
    return;
  }
  if (d.unterminated)
    report(
      "file.truncated-pem",
      f.role,
      `${f.role} "${f.path}": the block "-----BEGIN ${d.unterminated.label}-----" at line ${d.unterminated.line} has no matching END line at the start of a line; OpenSSL fails to read the file${libpqReadError(f) ? `, and libpq: ${libpqReadError(f)}` : ' ("bad end line")'}.`,
      {
        evidence: { path: f.path, line: d.unterminated.line },
        location: { file: f.path, line: d.unterminated.line },
      },
    );
  for (const skipped of d.skippedBlocks.slice(0, 1)) {
    // Fatal when nothing else is read (no certificate or crl found / no start line): pemUnreadable says that.
    if (f.certs.length === 0 && f.crls.length === 0 && !d.blocks.some((b) => b.kind !== "unknown")) break;
    report(
      "file.pem-indented",
      f.role,
      `${f.role} "${f.path}": the block "-----BEGIN ${skipped.label}-----" at line ${skipped.line} ${skipped.indented ? "is indented" : "does not start its line"}, so OpenSSL's PEM reader passes over it: whatever it holds is not loaded${d.skippedBlocks.length > 1 ? ` (${d.skippedBlocks.length} such blocks)` : ""}.`,
      {
        severity: "warning",
        hint: `Remove the leading whitespace: sed -i 's/^[[:space:]]*//' "${f.path}".`,
        evidence: { path: f.path, line: skipped.line, blocks: d.skippedBlocks.length },
        location: { file: f.path, line: skipped.line },
      },
    );
  }
  // Comment lines (certifi's and Debian's bundles label every certificate with "# Issuer: ..." lines) are what
  // OpenSSL is meant to skip; other text is more often a mistake.
  const stray = d.skippedBlocks.length > 0 ? undefined : d.strayText.find((t) => !t.preview.startsWith("#"));
  if (stray)
    report(
      "file.trailing-garbage",
      f.role,
      `${f.role} "${f.path}" has text outside its PEM blocks (line ${stray.line}: "${stray.preview}"); OpenSSL skips it.`,
      {
        evidence: { path: f.path, line: stray.line, lines: d.strayText.length },
        location: { file: f.path, line: stray.line },
      },
    );
  if (d.format === "der" && d.der && d.der.trailingBytes > 0)
    report(
      "file.trailing-garbage",
      f.role,
      `${f.role} "${f.path}" has ${d.der.trailingBytes} bytes after its DER object.`,
      { evidence: { path: f.path, trailingBytes: d.der.trailingBytes } },
    );
  if (f.badCerts > 0)
    report(
      "file.wrong-content",
      f.role,
      `${f.role} "${f.path}" has ${f.badCerts} CERTIFICATE block(s) that do not parse as X.509.`,
      {
        hint: "The base64 is damaged or the block is not a certificate; copy the file again.",
        evidence: { path: f.path },
      },
    );
}

/** libpq's own error for a file OpenSSL refuses, where libpq stops on it (not a CRL: that is ignored silently). */
function libpqReadError(f: ReadFile): string | undefined {
  if (f.opensslError === undefined) return undefined;
  if (f.role === "sslrootcert") return `could not read root certificate file "${f.path}": ${f.opensslError}`;
  if (f.role === "sslcert") return `could not read certificate file "${f.path}": ${f.opensslError}`;
  return undefined;
}

/** What the file holds when it holds no certificate, in words. */
function holdsText(f: ReadFile, none: string): string {
  const kinds = f.facts.holds ?? [];
  return kinds.length ? kindsText(kinds) : none;
}

function root(report: Report, a: FileAnalysis): void {
  // Under disable libpq never starts TLS: the root file is not read at all (sslmode.files-ignored says so).
  const f = a.root;
  if (a.rootSystem || a.sslmode === "disable" || !f) return;
  if (f.read.status === "missing") {
    // Under verify-ca/verify-full libpq fails on it, and without an explicit path under require it verifies
    // nothing: files/verification says both. An explicit path that is missing is skipped silently.
    const verify = a.sslmode === "verify-ca" || a.sslmode === "verify-full";
    if (!verify && f.origin === "explicit")
      report(
        "file.missing-skipped",
        "sslrootcert",
        `sslrootcert "${f.path}" does not exist; under sslmode=${a.sslmode} libpq then does not verify the server's certificate at all.`,
        {
          hint: `Fix the path; with the file in place libpq verifies the chain even under ${a.sslmode}.`,
          evidence: { path: f.path },
        },
      );
    return;
  }
  basics(report, f, "CA certificates");
  if (!f.usable) return;
  const libpq = `could not read root certificate file "${f.path}": ${f.opensslError ?? ""}`;
  if (f.decoded?.format === "der") {
    report(
      "file.der-not-supported",
      "sslrootcert",
      `sslrootcert "${f.path}" is DER; libpq reads it as PEM and fails: ${libpq}`,
      {
        hint: `openssl x509 -inform DER -in "${f.path}" -out root.crt, then sslrootcert=root.crt.`,
        evidence: { path: f.path, libpq },
      },
    );
    return;
  }
  pemUnreadable(report, f, libpq, "sslrootcert must hold the CA certificate(s) in PEM.");
}

/**
 * A PEM file OpenSSL refuses as a whole (libpq stops with `libpq`): nothing but indented blocks, no certificate at
 * all, or a block the reader or the ASN.1 decoder fails on. A missing END line is file.truncated-pem (basics).
 */
function pemUnreadable(report: Report, f: ReadFile, libpq: string, wrongHint: string): void {
  const d = f.decoded;
  if (!d || f.opensslError === undefined || d.unterminated) return;
  const evidence = { path: f.path, libpq, reason: f.opensslError };
  const skipped = d.skippedBlocks[0];
  const readable = d.blocks.some((b) => CERT_LABELS.has(b.label) || b.label === CRL_LABEL);
  if (skipped && !readable) {
    report(
      "file.pem-indented",
      f.role,
      `${f.role} "${f.path}": the block "-----BEGIN ${skipped.label}-----" at line ${skipped.line} ${skipped.indented ? "is indented" : "does not start its line"}; OpenSSL's PEM reader only sees a BEGIN line at the start of a line, finds nothing else, and libpq fails: ${libpq}`,
      {
        hint: `Remove the leading whitespace: sed -i 's/^[[:space:]]*//' "${f.path}".`,
        evidence,
        location: { file: f.path, line: skipped.line },
      },
    );
    return;
  }
  const nothing = f.opensslError === "no certificate or crl found" || f.opensslError === "no start line";
  if (nothing && f.certs.length === 0) {
    report(
      "file.wrong-content",
      f.role,
      `${f.role} "${f.path}" holds ${holdsText(f, "no PEM object")} and no certificate; libpq fails: ${libpq}`,
      { hint: wrongHint, evidence },
    );
    return;
  }
  const line = d.pemError?.line;
  report(
    "file.pem-malformed",
    f.role,
    `${f.role} "${f.path}": OpenSSL cannot read ${line !== undefined ? `the PEM block at line ${line}` : "a block"} (${f.opensslError}), and so reads nothing from the file; libpq fails: ${libpq}`,
    {
      hint: "Copy the file again from its source; a PEM block is the BEGIN line, base64 lines and the END line, each at the start of its line, with no blank line inside.",
      evidence,
      ...(line !== undefined ? { location: { file: f.path, line } } : {}),
    },
  );
}

function clientCert(report: Report, a: FileAnalysis): void {
  const f = a.cert;
  if (!f) return;
  if (f.read.status === "missing") {
    if (f.origin === "explicit")
      report(
        "file.missing-skipped",
        "sslcert",
        `sslcert "${f.path}" does not exist; libpq silently connects without a client certificate.`,
        {
          hint: "Fix the path if the server expects a client certificate (pg_hba cert or clientcert=verify-*).",
          evidence: { path: f.path },
        },
      );
    return;
  }
  basics(report, f, "a client certificate");
  if (!f.usable) return;
  const libpq = `could not read certificate file "${f.path}": ${f.opensslError ?? ""}`;
  if (f.decoded?.format === "der") {
    report(
      "file.der-not-supported",
      "sslcert",
      `sslcert "${f.path}" is DER; libpq reads it as PEM and fails: ${libpq}`,
      {
        hint: `openssl x509 -inform DER -in "${f.path}" -out client.crt, then sslcert=client.crt.`,
        evidence: { path: f.path, libpq },
      },
    );
    return;
  }
  const kinds = f.facts.holds ?? [];
  pemUnreadable(
    report,
    f,
    libpq,
    kinds.includes("csr")
      ? "A CSR is the request, not the certificate: have the CA sign it and use the certificate it returns."
      : "sslcert must hold the client certificate (then its intermediates) in PEM.",
  );
  if (f.certs.length === 0 || f.opensslError !== undefined) return;
  const others = (f.facts.holds ?? []).filter((k) => k !== "certificate");
  if (others.length > 0)
    report(
      "file.trailing-garbage",
      "sslcert",
      `sslcert "${f.path}" also holds ${kindsText(others)}; OpenSSL skips it here.`,
      {
        hint: "Keep only certificates in sslcert (client first, then intermediates); the key belongs in sslkey.",
        evidence: { path: f.path },
      },
    );
}

function key(report: Report, a: FileAnalysis): void {
  // libpq looks for the key only once it has loaded a client certificate (files/key says when it does not).
  const kf = a.key?.file;
  if (!kf || !a.clientCertLoaded) return;
  if (kf.read.status === "missing") {
    report("file.missing", "sslkey", `certificate present, but not private key file "${kf.path}"`, {
      hint: `Put the client certificate's private key at "${kf.path}" (or set sslkey), chmod 0600.`,
      evidence: { path: kf.path },
    });
    return;
  }
  if (kf.read.status === "not-regular") {
    report("file.not-regular", "sslkey", `private key file "${kf.path}" is not a regular file`, {
      evidence: { path: kf.path },
    });
    return;
  }
  basics(report, kf, "a private key");
}

function crl(report: Report, a: FileAnalysis): void {
  // A missing or unusable CRL file is silently ignored by libpq: files/crl says so (crl.ignored).
  const f = a.crl;
  if (f && f.read.status !== "missing") basics(report, f, "a CRL");
}

function serverCert(report: Report, a: FileAnalysis): void {
  const f = a.server?.file;
  if (!f) return;
  if (f.read.status === "missing") {
    report("file.missing", "server-cert", `--server-cert "${f.path}" does not exist.`, { evidence: { path: f.path } });
    return;
  }
  basics(report, f, "the server's certificate chain");
  if (f.usable && f.certs.length === 0)
    report(
      "file.wrong-content",
      "server-cert",
      `--server-cert "${f.path}" holds ${holdsText(f, "nothing usable")} and no certificate.`,
      { evidence: { path: f.path } },
    );
}

export default defineRule({
  id: "files/content",
  family: "files",
  codes: {
    "file.missing": {
      severity: "error",
      title: "A file libpq needs does not exist",
      description:
        "libpq stops with an error when this file is missing: the private key once a client certificate was loaded (or the --server-cert file given to dbdoctor). A missing root file under verify-ca/verify-full is tls.root-missing.",
      hint: "Create the file at that path, or point the parameter at the right one.",
    },
    "file.missing-skipped": {
      severity: "warning",
      title: "A file is missing and libpq silently goes on without it",
      description:
        "libpq skips a missing sslcert (no client certificate is sent), and without a root file under require/prefer/allow it does not verify the server at all. Nothing is printed, so the setting looks in force when it is not.",
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
        "libpq loads sslcert and sslrootcert as PEM. A DER certificate is not read: a root file fails, a client certificate fails (a DER CRL is silently ignored: crl.ignored).",
      hint: "Convert it: openssl x509 -inform DER -in FILE -out FILE.pem.",
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
    "file.pem-indented": {
      severity: "error",
      title: "A PEM block is indented, and OpenSSL does not see it",
      description:
        "OpenSSL's PEM reader (PEM_read_bio) takes a BEGIN line only at the very start of a line: an indented block (as pasted from a web page or a YAML value) is skipped like a comment. When nothing else is in the file libpq fails (could not read root certificate file: no certificate or crl found); next to other blocks it is silently not loaded (a warning then).",
      hint: "Remove the leading whitespace of every line of the block.",
    },
    "file.pem-malformed": {
      severity: "error",
      title: "OpenSSL's PEM reader refuses the file",
      description:
        "A PEM block OpenSSL cannot read (bad base64 decode, a header that is not Proc-Type, a body with no data, a certificate that is not valid DER) fails the whole file: libpq stops with could not read root certificate file / could not read certificate file and OpenSSL's reason.",
      hint: "Copy the file again from its source.",
    },
    "file.trailing-garbage": {
      severity: "warning",
      title: "Text or bytes outside the PEM blocks",
      description:
        "OpenSSL skips text outside PEM blocks, so libpq works, but it often means two files were concatenated wrongly or a block was pasted with an editor's decoration.",
      hint: "Remove everything that is not a -----BEGIN/END----- block.",
    },
  },
  check({ files }, { report }) {
    if (!files) return;
    root(report, files);
    clientCert(report, files);
    key(report, files);
    crl(report, files);
    serverCert(report, files);
  },
});
