// The CI formats of real runs of the built CLI (node scripts/build.mjs first): `check` against lab servers and
// `audit` of a tree, their JUnit validated against Jenkins xUnit's and Ant's XSDs and their SARIF against the OASIS
// schema; JUnit test names that stay the same when the same servers listen on other ports; SARIF paths from the
// repository root when run from a subfolder, and the help URIs' docs URL from the environment.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { certPath, LAB_PASSWORD, type Lab, startLab } from "../../scripts/lab/index.js";
import { DEFAULT_DOCS_URL } from "../../src/report/renderers/sarif.js";
import { CLI, runCli } from "../helpers/cli.js";
import { junitSchemaErrors, NO_XMLLINT_REASON, VALID, XMLLINT } from "../helpers/junit-xsd.js";
import { SARIF_VALID, sarifSchemaErrors } from "../helpers/sarif-schema.js";

const ROOT = new URL("../../", import.meta.url).pathname;
const tmp = mkdtempSync(join(tmpdir(), "dbdoctor-ci-formats-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

interface SarifLog {
  runs: Array<{
    tool: { driver: { informationUri: string; rules: Array<{ id: string; helpUri: string }> } };
    results: Array<{
      ruleId: string;
      locations: Array<{
        physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string }; region?: { startLine: number } };
      }>;
    }>;
  }>;
}
const artifacts = (log: SarifLog) =>
  log.runs[0]?.results.flatMap((r) => r.locations.map((l) => l.physicalLocation.artifactLocation)) ?? [];

/** Every testcase's classname and name, in document order. */
const caseNames = (xml: string) =>
  [...xml.matchAll(/<testcase classname="([^"]*)" name="([^"]*)"/g)].map((m) => `${m[1]} :: ${m[2]}`);

/** Runs the CLI writing JUnit and SARIF files; returns both and the run. */
function runBoth(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv }, tag: string) {
  const xml = join(tmp, `${tag}.xml`);
  const sarif = join(tmp, `${tag}.sarif`);
  const run = runCli([...args, "--format", "junit", "--output", xml, "--format", "sarif", "--output", sarif], opts);
  expect(run.status, `${tag}: ${run.stderr}`).not.toBe(2);
  return { run, xml: readFileSync(xml, "utf8"), sarif: JSON.parse(readFileSync(sarif, "utf8")) as SarifLog };
}

if (!existsSync(CLI)) console.warn(`${CLI} is missing: run node scripts/build.mjs before the e2e tests`);
if (!XMLLINT) console.warn(NO_XMLLINT_REASON);

describe.skipIf(!existsSync(CLI))("check against the lab, the same servers twice on other ports", () => {
  const SCENARIOS = ["good", "wrong-host", "ssl-off"];
  const labs: Lab[] = [];
  let home: string;
  beforeAll(async () => {
    home = mkdtempSync(join(tmp, "home-"));
    // One lab after the other: each picks free ports of its own.
    labs.push(await startLab(SCENARIOS));
    labs.push(await startLab(SCENARIOS));
  }, 240_000);
  afterAll(async () => {
    await Promise.all(labs.map((l) => l.stop()));
  });

  it("writes JUnit valid under both XSDs and OASIS-valid SARIF, with the same test names on either port", () => {
    const docs: string[] = [];
    for (const name of SCENARIOS) {
      const [a, b] = labs.map((lab, i) => {
        const server = lab.servers.get(name);
        if (!server) throw new Error(`lab server ${name} did not start`);
        const conn = `host=localhost port=${server.port} user=app dbname=postgres sslmode=verify-full sslrootcert=${certPath("root-ca.crt")}`;
        const out = runBoth(
          ["check", conn, "--timeout", "10s"],
          { env: { HOME: home, PGPASSWORD: LAB_PASSWORD } },
          `${name}-${i}`,
        );
        expect(sarifSchemaErrors(out.sarif), `${name} on ${server.port}`).toEqual(SARIF_VALID);
        docs.push(out.xml);
        return { port: server.port, ...out };
      });
      if (!a || !b) throw new Error("two labs expected");
      expect(a.port).not.toBe(b.port);
      expect(caseNames(a.xml).length).toBeGreaterThan(6);
      expect(caseNames(a.xml), name).toEqual(caseNames(b.xml));
      for (const run of [a, b]) {
        expect(caseNames(run.xml).join("\n"), name).not.toContain(String(run.port));
        expect(run.xml.match(/<testsuite name="[^"]*"/g)?.join("\n")).not.toContain(String(run.port));
      }
      // The port a finding is about is still in the document, where both schemas allow it.
      if (name !== "good") expect(a.xml).toContain(`localhost:${a.port}`);
    }
    if (XMLLINT) expect(junitSchemaErrors(docs)).toEqual(docs.map(() => VALID));
  }, 240_000);
});

describe.skipIf(!existsSync(CLI))("audit and check from a subfolder of a repository", () => {
  // A repository of its own (a .git folder), holding a copy of fixtures/audit and an .env; and an .env outside it.
  const repo = join(tmp, "repo");
  const outside = join(tmp, "outside");
  beforeAll(() => {
    mkdirSync(join(repo, ".git"), { recursive: true });
    mkdirSync(join(repo, "sub"), { recursive: true });
    cpSync(join(ROOT, "fixtures", "audit"), join(repo, "deploy"), { recursive: true });
    writeFileSync(join(repo, "app.env"), "# app\nSKILLFLAW_DATABASE_URL=postgresql://app@db.internal/app\n");
    mkdirSync(outside, { recursive: true });
    writeFileSync(join(outside, "app.env"), "SKILLFLAW_DATABASE_URL=postgresql://app@db.internal/app\n");
  });
  const cwd = () => join(repo, "sub");

  it("audit ../deploy: JUnit valid under both XSDs, SARIF OASIS-valid with every path from the repository root", () => {
    const { run, xml, sarif } = runBoth(["audit", "../deploy"], { cwd: cwd() }, "audit");
    expect(run.stdout).toContain("../deploy/app/.env:2:24");
    expect(sarifSchemaErrors(sarif)).toEqual(SARIF_VALID);
    if (XMLLINT) expect(junitSchemaErrors([xml])).toEqual([VALID]);
    const uris = artifacts(sarif);
    expect(uris.length).toBeGreaterThan(10);
    for (const u of uris) {
      expect(u.uriBaseId, u.uri).toBe("%SRCROOT%");
      expect(u.uri).toMatch(/^deploy\//);
    }
    expect(caseNames(xml)).toContain("../deploy/app/.env :: SKILLFLAW_DATABASE_URL");
  });

  it("check --offline: the .env line inside the repository from its root, one outside as a file URI", () => {
    const inside = runBoth(["check", "--env-file", "../app.env", "--offline"], { cwd: cwd() }, "inside");
    const out = runBoth(["check", "--env-file", "../../outside/app.env", "--offline"], { cwd: cwd() }, "outside");
    for (const r of [inside, out]) {
      expect(sarifSchemaErrors(r.sarif)).toEqual(SARIF_VALID);
      if (XMLLINT) expect(junitSchemaErrors([r.xml])).toEqual([VALID]);
      expect(r.sarif.runs[0]?.results.length).toBeGreaterThan(0);
    }
    for (const u of artifacts(inside.sarif)) expect(u).toEqual({ uri: "app.env", uriBaseId: "%SRCROOT%" });
    expect(inside.sarif.runs[0]?.results[0]?.locations[0]?.physicalLocation.region?.startLine).toBe(2);
    for (const u of artifacts(out.sarif)) expect(u).toEqual({ uri: pathToFileURL(join(outside, "app.env")).href });
  });

  it("help URIs come from the docs URL; DBDOCTOR_DOCS_URL replaces it, and a bad one is a usage error naming it", () => {
    const args = ["check", "--env-file", "../app.env", "--offline", "--format", "sarif"];
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { dbdoctor?: { docsUrl?: string } };
    const base = pkg.dbdoctor?.docsUrl ?? DEFAULT_DOCS_URL;
    const plain = JSON.parse(runCli(args, { cwd: cwd(), env: { DBDOCTOR_DOCS_URL: undefined } }).stdout) as SarifLog;
    const other = JSON.parse(
      runCli(args, { cwd: cwd(), env: { DBDOCTOR_DOCS_URL: "https://docs.example.test/dbdoctor/findings" } }).stdout,
    ) as SarifLog;
    for (const [log, url] of [
      [plain, base],
      [other, "https://docs.example.test/dbdoctor/findings"],
    ] as const) {
      expect(log.runs[0]?.tool.driver.informationUri).toBe(url);
      const rules = log.runs[0]?.tool.driver.rules ?? [];
      expect(rules.length).toBeGreaterThan(0);
      for (const r of rules) expect(r.helpUri).toBe(`${url}#${r.id.replace(/[^a-z0-9-]/g, "-")}`);
    }
    const bad = runCli(args, { cwd: cwd(), env: { DBDOCTOR_DOCS_URL: "docs/findings.md" } });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("DBDOCTOR_DOCS_URL=docs/findings.md is not an absolute http(s) URL");
    expect(bad.stderr).not.toMatch(/\n\s+at /);
  });
});
