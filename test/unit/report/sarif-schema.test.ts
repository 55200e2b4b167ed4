// SARIF against the OASIS SARIF 2.1.0 schema (fixtures/sarif/, both published forms), for both kinds of report,
// the golden files and every registered code; https help URIs from the configured docs URL with each code's
// anchor; GitHub's security-severity per rule; artifact URIs relative to the repository root, never `../`.
// The real `check` and `audit` runs are validated in test/e2e/ci-formats.test.ts.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { UsageError } from "../../../src/errors.js";
import { deriveVerdict } from "../../../src/report/build.js";
import type { AnyReport } from "../../../src/report/kinds.js";
import {
  artifactLocation,
  DEFAULT_DOCS_URL,
  docsUrl,
  parseDocsUrl,
  repositoryRoot,
  type SarifContext,
  toSarif,
} from "../../../src/report/renderers/sarif.js";
import { BASE_SCORE, EXPOSURE_CODES, EXPOSURE_SCORE } from "../../../src/report/renderers/security-severity.js";
import type { Report } from "../../../src/report/report.js";
import { CODES, docsAnchor, type FindingCode, finding, isFindingCode } from "../../../src/rules/registry.js";
import { SARIF_VALID, sarifSchemaErrors } from "../../helpers/sarif-schema.js";
import { FIXTURE_NAMES, loadAny, loadFixture } from "./fixtures.js";

const REPO = new URL("../../../", import.meta.url).pathname.replace(/\/$/, "");
const CTX: SarifContext = { docsUrl: DEFAULT_DOCS_URL, cwd: REPO, root: REPO };
const GOLDEN = new URL("./golden/", import.meta.url);

interface Rule {
  id: string;
  helpUri: string;
  defaultConfiguration: { level: string };
  properties: { tags: string[]; "security-severity": string };
}
interface Log {
  runs: Array<{
    tool: { driver: { informationUri: string; rules: Rule[] } };
    results: Array<{
      ruleId: string;
      locations: Array<{ physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string } } }>;
    }>;
  }>;
}
const sarif = (r: AnyReport, ctx: SarifContext = CTX) => toSarif(r, ctx) as unknown as Log;
const rulesOf = (log: Log) => log.runs[0]?.tool.driver.rules ?? [];

function reportFor(code: FindingCode): Report {
  const base = loadFixture("check-full");
  const f = finding(code, `subject of ${code}`, `A message for ${code}`, {
    location: { file: "deploy/.env", line: 4, column: 2 },
  });
  const parts = { ...base, findings: [f] };
  return { ...parts, verdict: deriveVerdict(parts) };
}

describe("SARIF against the OASIS 2.1.0 schema", () => {
  it("the validator refuses what the schema refuses", () => {
    const bad = {
      version: "2.1.0",
      runs: [
        {
          tool: { driver: { name: "x", informationUri: "not a uri" } },
          results: [
            {
              message: { text: "m" },
              level: "fatal",
              locations: [{ physicalLocation: { artifactLocation: { uri: "a b" }, region: { startColumn: 1 } } }],
            },
          ],
        },
      ],
    };
    const errors = sarifSchemaErrors(bad);
    for (const list of Object.values(errors)) {
      expect(list.join("\n")).toContain('/runs/0/tool/driver/informationUri must match format "uri"');
      expect(list.join("\n")).toContain('artifactLocation/uri must match format "uri-reference"');
      expect(list.join("\n")).toContain("/runs/0/results/0/level must be equal to one of the allowed values");
    }
    // Errata 01 requires a start for a region.
    expect(errors["OASIS 2.1.0 errata01"].join("\n")).toContain("must have required property 'startLine'");
  });
  it("every report in fixtures/reports, both kinds, and the golden files validate", () => {
    for (const name of FIXTURE_NAMES) expect(sarifSchemaErrors(toSarif(loadAny(name), CTX)), name).toEqual(SARIF_VALID);
    const files = readdirSync(GOLDEN).filter((f) => f.endsWith(".sarif.golden"));
    expect(files.length).toBe(FIXTURE_NAMES.length);
    for (const f of files) expect(sarifSchemaErrors(readFileSync(new URL(f, GOLDEN), "utf8")), f).toEqual(SARIF_VALID);
  });
  it("a report per registered code validates", () => {
    for (const code of Object.keys(CODES) as FindingCode[])
      expect(sarifSchemaErrors(toSarif(reportFor(code), CTX)), code).toEqual(SARIF_VALID);
  });
});

describe("help URIs", () => {
  const findingsDoc = readFileSync(new URL("../../../docs/findings.md", import.meta.url), "utf8");
  it("are the docs URL with each code's anchor on docs/findings.md, and the tool's URI is the docs URL", () => {
    const log = sarif(loadAny("audit"));
    expect(log.runs[0]?.tool.driver.informationUri).toBe(DEFAULT_DOCS_URL);
    for (const rule of rulesOf(log)) {
      const fragment = docsAnchor(rule.id).split("#")[1] as string;
      expect(rule.helpUri).toBe(`${DEFAULT_DOCS_URL}#${fragment}`);
      expect(findingsDoc, rule.id).toContain(`<a id="${fragment}"></a>`);
    }
    expect(JSON.stringify(log)).not.toContain("file:///");
  });
  it("come from DBDOCTOR_DOCS_URL, else package.json's dbdoctor.docsUrl, else the default", () => {
    const pkg = JSON.parse(readFileSync(new URL("../../../package.json", import.meta.url), "utf8")) as {
      dbdoctor?: { docsUrl?: string };
    };
    const configured = pkg.dbdoctor?.docsUrl;
    if (configured !== undefined) expect(parseDocsUrl(configured)).toBe(configured);
    expect(docsUrl({})).toBe(configured ?? DEFAULT_DOCS_URL);
    expect(docsUrl({ DBDOCTOR_DOCS_URL: "" })).toBe(configured ?? DEFAULT_DOCS_URL);
    expect(docsUrl({ DBDOCTOR_DOCS_URL: "https://docs.example.test/dbdoctor/findings.html#old" })).toBe(
      "https://docs.example.test/dbdoctor/findings.html",
    );
    expect(DEFAULT_DOCS_URL).toMatch(/^https:\/\//);
  });
  it("refuse a DBDOCTOR_DOCS_URL that is no absolute http(s) URL, naming the variable", () => {
    for (const bad of ["docs/findings.md", "file:///usr/lib/dbdoctor/docs/findings.md", "not a url"]) {
      expect(() => docsUrl({ DBDOCTOR_DOCS_URL: bad })).toThrow(UsageError);
      expect(() => docsUrl({ DBDOCTOR_DOCS_URL: bad })).toThrow(
        `DBDOCTOR_DOCS_URL=${bad} is not an absolute http(s) URL`,
      );
    }
  });
});

describe("security-severity", () => {
  it("every rule has one, a number in 0.0-10.0 as a string, by severity and one band higher for exposure", () => {
    for (const code of Object.keys(CODES) as FindingCode[]) {
      const [rule] = rulesOf(sarif(reportFor(code)));
      const score = rule?.properties["security-severity"] ?? "";
      expect(score, code).toMatch(/^\d{1,2}\.\d$/);
      expect(Number(score)).toBeGreaterThan(0);
      expect(Number(score)).toBeLessThanOrEqual(10);
      const table = EXPOSURE_CODES.has(code) ? EXPOSURE_SCORE : BASE_SCORE;
      expect(score, code).toBe(table[CODES[code].severity]);
    }
  });
  it("orders errors above warnings above info, and exposure above the rest at every severity", () => {
    for (const t of [BASE_SCORE, EXPOSURE_SCORE]) {
      expect(Number(t.error)).toBeGreaterThan(Number(t.warning));
      expect(Number(t.warning)).toBeGreaterThan(Number(t.info));
    }
    for (const s of ["error", "warning", "info"] as const)
      expect(Number(EXPOSURE_SCORE[s])).toBeGreaterThan(Number(BASE_SCORE[s]));
    // GitHub's bands: an error is High, a secret or plaintext error Critical.
    expect(Number(BASE_SCORE.error)).toBeGreaterThanOrEqual(7);
    expect(Number(EXPOSURE_SCORE.error)).toBeGreaterThanOrEqual(9);
  });
  it("the exposure codes are registered", () => {
    for (const code of EXPOSURE_CODES) expect(isFindingCode(code), code).toBe(true);
  });
  it("rules are tagged with their family, and security unless they judge operations alone", () => {
    const tags = (code: FindingCode) => rulesOf(sarif(reportFor(code)))[0]?.properties.tags;
    expect(tags("tls.hostname-mismatch")).toEqual(["certs", "security"]);
    expect(tags("ops.capacity-exceeded")).toEqual(["ops"]);
    expect(tags("ops.clients-unencrypted")).toEqual(["ops", "security"]);
  });
});

describe("artifact URIs", () => {
  const ctx: SarifContext = { docsUrl: DEFAULT_DOCS_URL, cwd: "/repo/deploy", root: "/repo" };
  it("are relative to the repository root with %SRCROOT%, never ../, wherever the working directory is", () => {
    expect(artifactLocation("app/.env", ctx)).toEqual({ uri: "deploy/app/.env", uriBaseId: "%SRCROOT%" });
    expect(artifactLocation("../k8s/app.yaml", ctx)).toEqual({ uri: "k8s/app.yaml", uriBaseId: "%SRCROOT%" });
    expect(artifactLocation("/repo/a dir/.env", ctx)).toEqual({ uri: "a%20dir/.env", uriBaseId: "%SRCROOT%" });
    expect(artifactLocation("app/#1.env", ctx)).toEqual({ uri: "deploy/app/%231.env", uriBaseId: "%SRCROOT%" });
  });
  it("are absolute file URIs for a file outside the repository", () => {
    expect(artifactLocation("../../etc/app.env", ctx)).toEqual({ uri: "file:///etc/app.env" });
    expect(artifactLocation("/etc/dbdoctor/app env", ctx)).toEqual({ uri: "file:///etc/dbdoctor/app%20env" });
    expect(artifactLocation("../../repo-other/.env", ctx)).toEqual({ uri: "file:///repo-other/.env" });
  });
  it("every result of the audit fixture, read from a subfolder, points into the repository without ../", () => {
    const r = loadAny("audit");
    const uris = sarif(r, { ...CTX, cwd: join(REPO, "fixtures"), root: REPO }).runs[0]?.results.flatMap((x) =>
      x.locations.map((l) => l.physicalLocation.artifactLocation),
    );
    expect(uris?.length).toBeGreaterThan(0);
    for (const u of uris ?? []) {
      expect(u.uriBaseId).toBe("%SRCROOT%");
      expect(u.uri).toMatch(/^fixtures\/deploy\//);
    }
  });
  it("the repository root is the nearest folder up holding .git (folder or worktree file), else the cwd", () => {
    const dir = mkdtempSync(join(tmpdir(), "dbdoctor-root-"));
    try {
      mkdirSync(join(dir, "plain", "sub"), { recursive: true });
      mkdirSync(join(dir, "repo", ".git"), { recursive: true });
      mkdirSync(join(dir, "repo", "a", "b"), { recursive: true });
      mkdirSync(join(dir, "worktree", "c"), { recursive: true });
      writeFileSync(join(dir, "worktree", ".git"), "gitdir: /elsewhere/.git/worktrees/w\n");
      expect(repositoryRoot(join(dir, "repo", "a", "b"))).toBe(join(dir, "repo"));
      expect(repositoryRoot(join(dir, "worktree", "c"))).toBe(join(dir, "worktree"));
      // tmpdir() is no repository on the machines that run this; the cwd stands for the root then.
      expect(repositoryRoot(join(dir, "plain", "sub"))).toBe(join(dir, "plain", "sub"));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
