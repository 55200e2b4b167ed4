// What the files stage measures and records (the judgments are the rules' tests, test/unit/rules/files and certs):
// key/certificate match, the client chain, the CRLs, the --server-cert chain check, and a good configuration that
// the whole rules pass finds nothing wrong with.
import { describe, expect, it } from "vitest";
import { LAB_KEY_PASSPHRASE } from "../../../scripts/gen-certs.js";
import { judge } from "../../../src/rules/registry.js";
import { client, filesFacts, filesReport, P, server, W } from "../../helpers/pki-facts.js";

const goodSetups = ["client-good.key", "client-good-pkcs8-encrypted.key", "client-good-traditional-encrypted.key"].map(
  (key) => ({
    key,
    setup: {
      params: client(P("client-good.crt"), P(key), { sslcrl: P("root.crl") }),
      user: "dbdoctor",
      sslpassword: LAB_KEY_PASSPHRASE,
      serverCert: P("server-good.crt"),
      host: "127.0.0.1",
    },
  }),
);
const good = goodSetups.map((g) => ({ key: g.key, facts: filesFacts(g.setup), report: filesReport(g.setup) }));
const mismatch = filesReport({ params: client(P("client-good.crt"), P("client-other-cn.key")) });
const wrongOrder = filesFacts({ params: client(W("wrong-order.crt"), P("client-good.key")) });
const untrusted = filesReport({ params: client(P("client-untrusted.crt"), P("client-untrusted.key")) });
const intermediate = filesReport({
  params: client(P("client-intermediate.crt"), P("client-intermediate.key"), { sslrootcert: W("bundle.crt") }),
});
const revoked = filesReport({
  ...server("server-revoked.crt", {}, { sslcrl: P("root.crl") }),
  params: client(P("client-revoked.crt"), P("client-revoked.key"), { sslcrl: P("root.crl") }),
});
const otherCrl = filesReport({ params: { sslrootcert: P("root-ca.crt"), sslcrl: P("other-ca.crl") } });
const badSig = filesReport({ params: { sslrootcert: P("root-ca.crt"), sslcrl: W("bad-sig.crl") } });
const incomplete = filesReport(server("server-intermediate.crt"));
const encrypted = filesFacts({
  params: client(P("client-good.crt"), P("client-good-pkcs8-encrypted.key")),
  sslpassword: LAB_KEY_PASSPHRASE,
});

describe("a good configuration", () => {
  it("the whole rules pass finds no error or warning, and the right passphrase loads both encrypted forms", () => {
    for (const g of good) {
      const findings = judge(g.facts as Parameters<typeof judge>[0]);
      expect(findings.filter((f) => f.severity !== "info").map((f) => `${g.key} ${f.code}: ${f.message}`)).toEqual([]);
      const r = g.report.value;
      expect(r?.server?.accepted).toBe(true);
      expect(r?.crlChecking).toBe(true);
      expect(r?.files.find((f) => f.role === "sslkey")?.key).toMatchObject({ loaded: true, matchesCertificate: true });
      expect(r?.clientChain).toEqual({ ok: true });
    }
  });

  it("never puts the sslpassword into facts or findings", () => {
    const findings = judge(encrypted as Parameters<typeof judge>[0]);
    const a = encrypted.files;
    const text = JSON.stringify({ findings, facts: a?.key?.file.facts, report: good[1]?.report.value });
    expect(text).not.toContain(LAB_KEY_PASSPHRASE);
  });
});

describe("what the stage measures", () => {
  it("a key that belongs to no certificate of sslcert", () => {
    expect(mismatch.value?.files.find((f) => f.role === "sslkey")?.key?.matchesCertificate).toBe(false);
  });

  it("a key that belongs to the second certificate of sslcert", () => {
    expect(wrongOrder.files?.keyMatch).toEqual({ leafMatches: false, matchingIndex: 1 });
  });

  it("the client chain against sslrootcert, for the ssl_client purpose", () => {
    expect(untrusted.value?.clientChain).toEqual({
      ok: false,
      message: "certificate verify failed: unable to get local issuer certificate",
    });
    expect(intermediate.value?.clientChain).toEqual({
      ok: false,
      intermediateNotSent: "O=dbdoctor lab, CN=dbdoctor lab intermediate CA",
    });
  });

  it("each CRL: its issuer in the root file, its signature, what it revokes", () => {
    expect(revoked.value?.crls).toEqual([
      expect.objectContaining({
        issuer: "O=dbdoctor lab, CN=dbdoctor lab root CA",
        source: "sslcrl",
        issuerInRoot: true,
        signatureOk: true,
        revokes: ["O=dbdoctor lab, CN=dbdoctor", "O=dbdoctor lab, CN=localhost"],
      }),
    ]);
    expect(otherCrl.value?.crls?.[0]).toMatchObject({ issuerInRoot: false, signatureOk: null });
    expect(badSig.value?.crls?.[0]).toMatchObject({ issuerInRoot: true, signatureOk: false });
  });

  it("the --server-cert chain check: libpq's reason, depth and the refusal", () => {
    expect(incomplete.value?.server).toMatchObject({
      chainOk: false,
      chainReason: "unknown-ca",
      chainDepth: 0,
      chainMessage: "certificate verify failed: unable to get local issuer certificate",
      accepted: false,
    });
  });
});
