// docs/report.schema.json is checked against the TypeScript types: each interface of the stable contract has
// a key list that the compiler holds to the type (a field added to or removed from the type without this list
// is a type error), and the test holds the schema to the list (a field missing from the schema fails here).
import { describe, expect, it } from "vitest";
import type {
  ConninfoError,
  ConninfoFacts,
  ConninfoFormat,
  EffectiveParam,
  HostEntry,
  ParamSourceKind,
  SqlAlchemyFacts,
} from "../../../src/conninfo/types.js";
import type { ClientProfile } from "../../../src/model/client.js";
import type { CommandName } from "../../../src/model/command.js";
import type { Finding, Severity, SourceLocation } from "../../../src/model/finding.js";
import type { InputFacts, InputSource } from "../../../src/model/input.js";
import type { ModeResult } from "../../../src/model/mode.js";
import { SSL_MODES } from "../../../src/model/sslmode.js";
import type { FileFacts, FilesFacts } from "../../../src/pki/types.js";
import type { EndpointFacts, ServerFacts } from "../../../src/probe/types.js";
import type { Report, Verdict, VerdictStatus } from "../../../src/report/report.js";
import { assertValidReport, reportSchema, reportSchemaErrors } from "../../helpers/schema.js";
import { loadFixture, SETTING_FIXTURE_NAMES } from "./fixtures.js";

/** For each key of T: whether the type requires it. The compiler checks a literal against this exactly. */
// biome-ignore lint/complexity/noBannedTypes: `{} extends Pick<T, K>` is the standard test for an optional key
type Presence<T> = { [K in keyof T]-?: {} extends Pick<T, K> ? "optional" : "required" };
type Keys<T> = Record<Exclude<T, undefined> & string, true>;

const CONTRACT = {
  report: {
    schemaVersion: "required",
    tool: "required",
    command: "required",
    generatedAt: "required",
    input: "required",
    conninfo: "required",
    files: "required",
    server: "required",
    modes: "required",
    ops: "optional",
    findings: "required",
    verdict: "required",
    timings: "required",
  } satisfies Presence<Report>,
  tool: { name: "required", version: "required" } satisfies Presence<Report["tool"]>,
  finding: {
    code: "required",
    severity: "required",
    subject: "required",
    message: "required",
    hint: "optional",
    docs: "optional",
    evidence: "optional",
    location: "optional",
    causedBy: "optional",
    fix: "optional",
  } satisfies Presence<Finding>,
  sourceLocation: { file: "required", line: "optional", column: "optional" } satisfies Presence<SourceLocation>,
  modeResult: {
    sslmode: "required",
    ok: "required",
    stage: "required",
    code: "optional",
    message: "optional",
    credentialsSent: "required",
    encrypted: "optional",
    tls: "optional",
    durationMs: "optional",
    attempts: "optional",
    decidedBy: "optional",
  } satisfies Presence<ModeResult>,
  verdict: {
    status: "required",
    configuredMode: "required",
    configuredModeOk: "required",
    strongestOkMode: "required",
    strongestCandidate: "optional",
    summary: "required",
    rootCause: "optional",
    fix: "optional",
  } satisfies Presence<Verdict>,
  inputFacts: {
    source: "required",
    redacted: "required",
    urlStyle: "required",
    libpqMajor: "required",
    client: "optional",
  } satisfies Presence<InputFacts>,
  clientProfile: {
    name: "required",
    description: "required",
    libpq: "required",
    openssl: "required",
    opensslBundled: "required",
    alertWording: "required",
    triesHostsItself: "required",
    trustStore: "required",
    chosenBecause: "required",
  } satisfies Presence<ClientProfile>,
  conninfoFacts: {
    valid: "required",
    libpqValid: "optional",
    format: "required",
    params: "required",
    effective: "required",
    errors: "required",
    hosts: "required",
    sqlalchemy: "optional",
    password: "required",
  } satisfies Presence<ConninfoFacts>,
  effectiveParam: { value: "required", source: "required", detail: "optional" } satisfies Presence<EffectiveParam>,
  conninfoError: { stage: "required", message: "required", keyword: "optional" } satisfies Presence<ConninfoError>,
  hostEntry: {
    host: "required",
    hostaddr: "optional",
    port: "required",
    kind: "required",
  } satisfies Presence<HostEntry>,
  sqlalchemyFacts: {
    drivername: "required",
    dialect: "required",
    driver: "required",
    username: "required",
    passwordSet: "required",
    host: "required",
    port: "required",
    database: "required",
    query: "required",
    valid: "optional",
  } satisfies Presence<SqlAlchemyFacts>,
};

const NESTED = {
  modeTls: { protocol: "required", cipher: "required" } satisfies Presence<NonNullable<ModeResult["tls"]>>,
  conninfoPassword: { source: "required", detail: "optional" } satisfies Presence<ConninfoFacts["password"]>,
};

const INPUT_SOURCES = {
  argument: { kind: "required" } satisfies Presence<Extract<InputSource, { kind: "argument" }>>,
  "env-file": { kind: "required", file: "required", line: "required", variable: "required" } satisfies Presence<
    Extract<InputSource, { kind: "env-file" }>
  >,
  env: { kind: "required", variable: "required" } satisfies Presence<Extract<InputSource, { kind: "env" }>>,
  none: { kind: "required" } satisfies Presence<Extract<InputSource, { kind: "none" }>>,
} satisfies Record<InputSource["kind"], object>;

const ENUMS: Array<[string, string[]]> = [
  ["severity", Object.keys({ error: true, warning: true, info: true } satisfies Keys<Severity>)],
  ["sslmode", [...SSL_MODES]],
];

/** Extended by other stages: the schema fixes only these keys, and the compiler keeps them in the types. */
const OPEN_REQUIRED = {
  filesFacts: ["files"] satisfies Array<keyof FilesFacts>,
  filesFactsItem: ["role", "path"] satisfies Array<keyof FileFacts>,
  serverFacts: ["endpoints"] satisfies Array<keyof ServerFacts>,
  serverFactsItem: ["host", "port"] satisfies Array<keyof EndpointFacts>,
};

interface SchemaNode {
  properties?: Record<string, SchemaNode>;
  required?: string[];
  enum?: unknown[];
  const?: unknown;
  oneOf?: SchemaNode[];
  items?: SchemaNode;
  $ref?: string;
}
const defs = reportSchema.$defs as Record<string, SchemaNode>;

function def(name: string): SchemaNode {
  const node = defs[name];
  if (!node) throw new Error(`docs/report.schema.json has no $defs/${name}`);
  return node;
}

function expectMatches(node: SchemaNode, presence: Record<string, string>, label: string): void {
  expect(Object.keys(node.properties ?? {}).sort(), `${label}: properties`).toEqual(Object.keys(presence).sort());
  const required = Object.entries(presence)
    .filter(([, p]) => p === "required")
    .map(([k]) => k)
    .sort();
  expect([...(node.required ?? [])].sort(), `${label}: required`).toEqual(required);
}

describe("docs/report.schema.json against the TypeScript types", () => {
  for (const [name, presence] of Object.entries(CONTRACT)) {
    it(`$defs/${name} has exactly the fields of the type, required where the type requires them`, () => {
      expectMatches(def(name), presence, name);
    });
  }
  it("nested objects (mode tls, conninfo password) match", () => {
    expectMatches(def("modeResult").properties?.tls as SchemaNode, NESTED.modeTls, "modeResult.tls");
    expectMatches(
      def("conninfoFacts").properties?.password as SchemaNode,
      NESTED.conninfoPassword,
      "conninfo.password",
    );
  });
  it("every InputSource variant is a oneOf branch with its fields", () => {
    const branches = def("inputSource").oneOf ?? [];
    expect(branches.map((b) => b.properties?.kind?.const).sort()).toEqual(Object.keys(INPUT_SOURCES).sort());
    for (const b of branches) {
      const kind = b.properties?.kind?.const as keyof typeof INPUT_SOURCES;
      expectMatches(b, INPUT_SOURCES[kind], `inputSource ${kind}`);
    }
  });
  it("enums list exactly the type's values", () => {
    for (const [name, values] of ENUMS) expect(def(name).enum, name).toEqual(values);
    const props = (n: string) => def(n).properties ?? {};
    const enumOf = (node: SchemaNode | undefined) => [...((node?.enum as string[]) ?? [])].sort();
    const keys = <T extends string>(r: Record<T, true>) => Object.keys(r).sort();
    expect(enumOf(props("report").command)).toEqual(
      keys({
        check: true,
        parse: true,
        certs: true,
        server: true,
        instances: true,
        audit: true,
      } satisfies Keys<CommandName>),
    );
    expect(enumOf(props("verdict").status)).toEqual(
      keys({ pass: true, warn: true, fail: true } satisfies Keys<VerdictStatus>),
    );
    expect(enumOf(props("conninfoFacts").format)).toEqual(
      keys({ uri: true, "keyword-value": true, "sqlalchemy-url": true } satisfies Keys<ConninfoFormat>),
    );
    expect(enumOf(props("effectiveParam").source)).toEqual(
      keys({
        connstring: true,
        service: true,
        env: true,
        default: true,
        application: true,
      } satisfies Keys<ParamSourceKind>),
    );
    expect(enumOf(props("conninfoFacts").password?.properties?.source)).toEqual(
      keys({ connstring: true, env: true, passfile: true, none: true } satisfies Keys<
        ConninfoFacts["password"]["source"]
      >),
    );
    expect(enumOf(props("conninfoError").stage)).toEqual(
      keys({ parse: true, options: true } satisfies Keys<ConninfoError["stage"]>),
    );
    expect(enumOf(props("hostEntry").kind)).toEqual(
      keys({ dns: true, ip: true, "unix-socket": true } satisfies Keys<HostEntry["kind"]>),
    );
    expect(enumOf(props("inputFacts").urlStyle)).toEqual(
      keys({ sqlalchemy: true, libpq: true } satisfies Keys<InputFacts["urlStyle"]>),
    );
  });
  it("the open parts (files, server facts) fix only keys the types still have", () => {
    expect(def("filesFacts").required).toEqual(OPEN_REQUIRED.filesFacts);
    expect(def("filesFacts").properties?.files?.items?.required).toEqual(OPEN_REQUIRED.filesFactsItem);
    expect(def("serverFacts").required).toEqual(OPEN_REQUIRED.serverFacts);
    expect(def("serverFacts").properties?.endpoints?.items?.required).toEqual(OPEN_REQUIRED.serverFactsItem);
  });
});

describe("the schema is strict where the contract is", () => {
  const base = () => structuredClone(loadFixture("check-full")) as unknown as Record<string, unknown> & Report;
  it("accepts every hand-built report", () => {
    for (const name of SETTING_FIXTURE_NAMES) assertValidReport(loadFixture(name));
  });
  const cases: Array<[string, (r: Report) => void]> = [
    [
      "an unmasked password in conninfo.params",
      (r) => Object.assign(r.conninfo?.params ?? {}, { password: "hunter2" }),
    ],
    [
      "an unmasked sslpassword in conninfo.effective",
      (r) => Object.assign(r.conninfo?.effective ?? {}, { sslpassword: { value: "s3cret", source: "connstring" } }),
    ],
    ["ok as a string", (r) => Object.assign(r.modes[0] ?? {}, { ok: "yes" })],
    ["a mode without credentialsSent", (r) => delete (r.modes[0] as Partial<ModeResult>).credentialsSent],
    ["an unknown sslmode", (r) => Object.assign(r.modes[0] ?? {}, { sslmode: "verify_full" })],
    ["an unknown severity", (r) => Object.assign(r.findings[0] ?? {}, { severity: "fatal" })],
    ["an unknown verdict status", (r) => Object.assign(r.verdict, { status: "ok" })],
    ["schemaVersion 2", (r) => Object.assign(r, { schemaVersion: 2 })],
    ["an undeclared top-level field", (r) => Object.assign(r, { extra: true })],
    ["a finding code that is not dotted", (r) => Object.assign(r.findings[0] ?? {}, { code: "HostnameMismatch" })],
    ["a completed stage without value", (r) => Object.assign(r, { server: { status: "completed" } })],
    ["a skipped stage without reason", (r) => Object.assign(r, { files: { status: "skipped" } })],
  ];
  for (const [what, mutate] of cases) {
    it(`rejects ${what}`, () => {
      const r = base();
      assertValidReport(r);
      mutate(r);
      expect(reportSchemaErrors(r).length).toBeGreaterThan(0);
    });
  }
  it("lets later stages extend files, server and evidence", () => {
    const r = base();
    if (r.server.status === "completed") Object.assign(r.server.value, { someNewFact: { nested: [1, 2] } });
    if (r.files.status === "completed") Object.assign(r.files.value, { crl: { nextUpdate: "2030-01-01" } });
    Object.assign(r.findings[0]?.evidence ?? {}, { newKey: ["a", "b"], count: 3 });
    assertValidReport(r);
  });
});
