// No secret reaches any format. Two layers are tested: the renderers alone (secret keywords, URL userinfo,
// password=..., key material are masked by construction, even with nothing registered), and the CLI's
// write path (src/cli/output.ts), which also removes every registered secret from every string of the report
// before any renderer runs.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type OutputTarget, writeOutputs } from "../../../src/cli/output.js";
import { FORMATS, type Format, loadRenderer } from "../../../src/report/renderers/index.js";
import type { Report } from "../../../src/report/report.js";
import { forgetSecrets, registerSecret } from "../../../src/secrets.js";
import { assertValidReport } from "../../helpers/schema.js";
import { loadAuditFixture, loadFixture } from "./fixtures.js";

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

/** Secrets in free text too: only the registered-secret scrub of the CLI path can catch these. */
function freelyLeaky(): Report {
  const r = structurallyLeaky(PASSWORD);
  r.findings.push({
    code: "url.password-unescaped",
    severity: "error",
    subject: PASSWORD,
    message: `SQLAlchemy split the URL inside the password ${PASSWORD} (${encodeURIComponent(PASSWORD)})`,
    location: { file: ".env", line: 2 },
    evidence: { raw: [PASSWORD, SSLPASSWORD] },
  });
  const m = r.modes[0];
  if (m) m.message = `server said: password authentication failed for "${PASSWORD}"`;
  if (r.server.status === "completed") Object.assign(r.server.value, { notes: [`saw ${SSLPASSWORD}`] });
  r.verdict.summary = `do not print ${PASSWORD}`;
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

describe("the CLI write path scrubs every registered secret from every format", () => {
  it("files and stdout, every format, verbose, hold none of the registered secrets", async () => {
    registerSecret(PASSWORD);
    registerSecret(SSLPASSWORD);
    const dir = mkdtempSync(join(tmpdir(), "dbdoctor-secrets-"));
    try {
      const targets: OutputTarget[] = FORMATS.map((format) => ({ format, path: join(dir, `report.${format}`) }));
      let stdout = "";
      const report = freelyLeaky();
      await writeOutputs(report, [...targets, { format: "text", path: null }], {
        color: true,
        verbose: true,
        width: 90,
        writeStdout: (t) => {
          stdout += t;
        },
      });
      expect(leaks(stdout, [PASSWORD, SSLPASSWORD])).toEqual([]);
      for (const t of targets) {
        const text = readFileSync(t.path as string, "utf8");
        expect(leaks(text, [PASSWORD, SSLPASSWORD]), t.format).toEqual([]);
        if (printsValues(t.format)) expect(text, t.format).toContain("********");
      }
      assertValidReport(readFileSync(join(dir, "report.json"), "utf8"));
      // The same report without the scrub would leak: the test is not passing by accident.
      const bare = (await loadRenderer("text"))(report, { color: false, verbose: true });
      expect(leaks(bare, [PASSWORD])).not.toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("masks a registered secret before a renderer escapes, wraps or splits it", async () => {
    // Markdown escapes * and |, XML escapes & and <, a narrow terminal breaks the line at the space: a scrub of
    // the rendered text would find none of these forms.
    const secret = "Hunter*2|<x>&y z0";
    registerSecret(secret);
    const report = structuredClone(loadFixture("check-full"));
    report.findings.push({
      code: "url.password-unescaped",
      severity: "error",
      subject: "password",
      message: `the server echoed ${secret} in its error, and more words so that a narrow terminal wraps this line ${secret}`,
    });
    for (const format of FORMATS) {
      let out = "";
      await writeOutputs(report, [{ format, path: null }], {
        color: false,
        verbose: true,
        width: 40,
        writeStdout: (t) => {
          out += t;
        },
      });
      expect(out, format).not.toMatch(/Hunter|z0\b/);
      if (printsValues(format)) expect(out, format).toContain("********");
    }
    const bare = (await loadRenderer("markdown"))(report, { color: false, verbose: false });
    expect(bare).toContain("Hunter\\*2");
  });

  it("gives an audit report the same treatment", async () => {
    registerSecret("hunter2secret-in-a-hint");
    const audit = structuredClone(loadAuditFixture());
    const first = audit.settings[0]?.findings[0];
    if (first) first.hint = "rotate hunter2secret-in-a-hint now";
    for (const format of FORMATS) {
      let out = "";
      await writeOutputs(audit, [{ format, path: null }], {
        color: false,
        verbose: true,
        width: undefined,
        writeStdout: (t) => {
          out += t;
        },
      });
      expect(out, format).not.toContain("hunter2secret");
    }
  });
});
