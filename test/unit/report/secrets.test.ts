// No secret reaches any format. The renderers mask by structure (secret keywords, URL userinfo, password=...,
// key material); the CLI's write path (src/cli/output.ts) does the same and nothing more: it never searches the
// report for a secret's text, so a password that spells a user, a path or a keyword masks none of them. Free text
// from outside is scrubbed where it enters (test/unit/model/redaction.test.ts).
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type OutputTarget, writeOutputs } from "../../../src/cli/output.js";
import { FORMATS, type Format, loadRenderer } from "../../../src/report/renderers/index.js";
import type { Report } from "../../../src/report/report.js";
import { forgetSecrets, registerSecret } from "../../../src/secrets.js";
import { assertValidReport } from "../../helpers/schema.js";
import { loadFixture } from "./fixtures.js";

const PASSWORD = "Tr0ub4dor&3 x@y";
const SSLPASSWORD = "K3y-Pa55phrase!";
const SHORT = "ab1";
const KEY_BODY = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7";
const PEM = `-----BEGIN PRIVATE KEY-----\n${KEY_BODY}\n-----END PRIVATE KEY-----`;
const RSA_PEM = `-----BEGIN RSA PRIVATE KEY-----\n${KEY_BODY}\n-----END RSA PRIVATE KEY-----`;

/** A report whose stages slipped secrets into the places renderers must mask by construction. */
function structurallyLeaky(password: string): Report {
  const r = structuredClone(loadFixture("check-full"));
  if (!r.conninfo) throw new Error("fixture has conninfo");
  r.conninfo.params.password = password;
  r.conninfo.params.sslpassword = SSLPASSWORD;
  r.conninfo.effective.password = { value: password, source: "env", detail: "PGPASSWORD" };
  r.conninfo.effective.sslpassword = { value: SSLPASSWORD, source: "connstring" };
  r.input.redacted = `postgresql://app:${encodeURIComponent(password)}@db.internal/app?sslpassword=${SSLPASSWORD}`;
  r.findings.push({
    code: "key.permissions",
    severity: "warning",
    subject: "sslkey",
    message: `The key file starts with ${PEM}`,
    hint: `host=db password='${password}' sslmode=verify-full`,
    evidence: { password, sslpassword: SSLPASSWORD, pem: RSA_PEM },
  });
  if (r.files.status === "completed") Object.assign(r.files.value.files[0] ?? {}, { keyPem: PEM, password });
  return r;
}

function leaks(text: string, secrets: readonly string[]): string[] {
  const found: string[] = [];
  for (const s of secrets) {
    for (const form of [s, encodeURIComponent(s), JSON.stringify(s).slice(1, -1)])
      if (text.includes(form)) found.push(form);
  }
  if (text.includes(KEY_BODY)) found.push("key material");
  if (/BEGIN [A-Z ]*PRIVATE KEY/.test(text)) found.push("PEM private key header");
  return found;
}

afterEach(() => forgetSecrets());

/** Formats that print values (masked ones included); openmetrics prints names, codes and counts only. */
const printsValues = (format: Format) => format !== "openmetrics";

describe("renderers never print a secret, even with nothing registered", () => {
  for (const format of FORMATS) {
    for (const password of [PASSWORD, SHORT]) {
      it(`${format}: params/effective passwords, URL userinfo, password=..., key material (password ${JSON.stringify(password)})`, async () => {
        const render = await loadRenderer(format);
        for (const verbose of [false, true]) {
          const out = await render(structurallyLeaky(password), { color: false, verbose, width: 100 });
          expect(leaks(out, [password, SSLPASSWORD])).toEqual([]);
          if (printsValues(format)) expect(out).toContain("********");
          if (format === "json") {
            assertValidReport(out);
            const json = JSON.parse(out) as Report;
            expect(json.conninfo?.params.password).toBe("********");
            expect(json.conninfo?.params.sslpassword).toBe("********");
            expect(json.conninfo?.effective.password).toEqual({
              value: "********",
              source: "env",
              detail: "PGPASSWORD",
            });
          }
        }
      });
    }
  }
});

describe("the CLI write path masks by structure, never by a secret's text", () => {
  it("a registered secret that spells report vocabulary masks none of it, in any format", async () => {
    // The old safety net replaced every registered secret in every string: a password "postgres" destroyed the
    // scheme, the user, the database and every default path. Secrets are now kept out where they enter.
    for (const word of ["postgres", "password", "root", "true", "5432", "error"]) registerSecret(word);
    const report = structuredClone(loadFixture("check-full"));
    const dir = mkdtempSync(join(tmpdir(), "dbdoctor-secrets-"));
    try {
      const targets: OutputTarget[] = FORMATS.map((format) => ({ format, path: join(dir, `report.${format}`) }));
      await writeOutputs(report, targets, { color: false, verbose: true, width: 100, writeStdout: () => {} });
      for (const t of targets) {
        const out = readFileSync(t.path as string, "utf8");
        const bare = await (await loadRenderer(t.format))(report, { color: false, verbose: true, width: undefined });
        expect(out, t.format).toBe(bare);
      }
      const json = JSON.parse(readFileSync(join(dir, "report.json"), "utf8")) as Report;
      assertValidReport(json);
      expect(Object.keys(json.conninfo?.params ?? {})).not.toContain("********");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("still masks by structure on the way out: secret keywords, URL userinfo, password=..., key material", async () => {
    const dir = mkdtempSync(join(tmpdir(), "dbdoctor-secrets-"));
    try {
      const targets: OutputTarget[] = FORMATS.map((format) => ({ format, path: join(dir, `report.${format}`) }));
      await writeOutputs(structurallyLeaky(PASSWORD), targets, {
        color: false,
        verbose: true,
        width: 90,
        writeStdout: () => {},
      });
      for (const t of targets) {
        const text = readFileSync(t.path as string, "utf8");
        expect(leaks(text, [PASSWORD, SSLPASSWORD]), t.format).toEqual([]);
        if (printsValues(t.format)) expect(text, t.format).toContain("********");
      }
      assertValidReport(readFileSync(join(dir, "report.json"), "utf8"));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
