// What a certificate file holds, certificate by certificate (the client's sslcert and --server-cert; the root file
// has its own summary in files/root).
import { defineRule } from "../rule.js";
import { shortList } from "./list.js";
import { day } from "./text.js";

export default defineRule({
  id: "files/bundle",
  family: "files",
  codes: {
    "cert.bundle": {
      severity: "info",
      title: "What a certificate file holds",
      description: "Every certificate in the file with subject, issuer, validity and key, in file order.",
    },
  },
  check(facts, { report }) {
    const files = facts.files;
    if (!files) return;
    for (const f of [files.clientCerts ? files.cert : undefined, files.server?.file]) {
      if (!f?.usable || f.certs.length === 0) continue;
      const list = f.certs.map(
        (c, i) =>
          `${i + 1}. ${c.subject} (issuer ${c.issuer}; ${day(c.notBefore)} to ${day(c.notAfter)}; ${c.keyType}${c.keyBits ? ` ${c.keyBits}` : ""}, ${c.sigAlgName})`,
      );
      report(
        "cert.bundle",
        f.role,
        `${f.role} "${f.path}" holds ${f.certs.length} certificate${f.certs.length === 1 ? "" : "s"}: ${shortList(list)}.`,
        { evidence: { path: f.path, subjects: f.certs.map((c) => c.subject) } },
      );
    }
  },
});
