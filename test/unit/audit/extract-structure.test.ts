// biome-ignore-all lint/suspicious/noTemplateCurlyInString: placeholders such as ${VAR} are what these cases are about
// The readers that understand structure: objects whose keys hold connection parts (Langflow's chart layout, Bitnami,
// Harbor, ZITADEL, pgAdmin), variable families (PG*, DB_POSTGRESDB_*, DB_*, ZITADEL_DATABASE_POSTGRES_USER_*),
// JSON and YAML inside block scalars and ConfigMap data, CI service containers, compose servers with -c ssl=off,
// and the text reader's keyword/value strings, script variables and URLs with placeholders.
import { describe, expect, it } from "vitest";
import { findUrlsInLine, isConnectionSetting } from "../../../src/audit/detect.js";
import { extractDotenvText } from "../../../src/audit/extract/dotenv.js";
import { extractTextUrls, findKeywordValueRuns } from "../../../src/audit/extract/text.js";
import { extractYaml } from "../../../src/audit/extract/yaml.js";
import { dummySecretReason, findPlaceholders } from "../../../src/audit/placeholders.js";
import { isPostgresScheme, readJdbcUrl, routeValue } from "../../../src/audit/schemes.js";
import { posOf } from "./helpers.js";

const parts = (s: { parts?: Record<string, { key: string; value: string; from?: string } | undefined> } | undefined) =>
  Object.fromEntries(Object.entries(s?.parts ?? {}).map(([k, p]) => [k, p?.from ? `(${p.from})` : p?.value]));

describe("objects holding connection parts", () => {
  it("reads Langflow's chart layout ({value: x}, valueFrom) and Bitnami's postgresql.auth, each part at its line", () => {
    const text = `langflow:
  backend:
    externalDatabase:
      enabled: true
      driver:
        value: "postgresql"
      host:
        value: "pg.example.com"
      port:
        value: "5432"
      password:
        valueFrom:
          secretKeyRef: {key: password, name: db-credentials}
postgresql:
  enabled: false
  auth:
    username: app
    password: "Real-pw-1234"
    postgresPassword: "Admin-pw-5678"
`;
    const r = extractYaml(text, "values.yaml");
    expect(r.settings.map((s) => [s.path, s.form, s.client, s.context?.inactive])).toEqual([
      ["langflow.backend.externalDatabase", "parts", "libpq", undefined],
      ["postgresql.auth", "parts", "unknown", "postgresql.enabled is false"],
    ]);
    expect(parts(r.settings[0])).toEqual({
      host: "pg.example.com",
      port: "5432",
      password: "(Secret db-credentials, key password)",
    });
    expect(r.settings[0]?.parts?.host).toMatchObject(posOf(text, "pg.example.com"));
    expect(r.settings[1]?.extraSecrets?.map((s) => s.key)).toEqual(["postgresPassword"]);
  });

  it("reads ZITADEL's roles as one setting each with the server's parts, and SSL: Mode as sslmode (pgx)", () => {
    const text = `Database:
  Postgres:
    Host: db.example.com
    Port: 5432
    Database: zitadel
    User:
      Username: zitadel
      SSL:
        Mode: disable
    Admin:
      Username: postgres
      SSL:
        Mode: verify-full
`;
    const r = extractYaml(text, "zitadel.yaml");
    expect(r.settings.map((s) => [s.variable, s.client, parts(s)])).toEqual([
      ["User", "pgx", { host: "db.example.com", port: "5432", dbname: "zitadel", user: "zitadel", sslmode: "disable" }],
      [
        "Admin",
        "pgx",
        { host: "db.example.com", port: "5432", dbname: "zitadel", user: "postgres", sslmode: "verify-full" },
      ],
    ]);
    expect(r.settings[0]?.parts?.sslmode).toMatchObject({ key: "SSL.Mode", ...posOf(text, "disable") });
  });

  it("takes Harbor's sslmode key; leaves an inactive external block as such; skips another system's block", () => {
    const text = `database:
  type: internal
  external:
    host: "192.0.2.10"
    sslmode: "disable"
redis:
  external:
    host: redis.example.com
    password: "x"
servers:
  "1":
    Host: pg.example.com
    MaintenanceDB: postgres
    ConnectionParameters:
      sslmode: allow
`;
    const r = extractYaml(text, "values.yaml");
    expect(r.settings.map((s) => [s.path, s.context?.inactive, parts(s)])).toEqual([
      ["database.external", "database.type is internal", { host: "192.0.2.10", sslmode: "disable" }],
      ["servers.1", undefined, { host: "pg.example.com", dbname: "postgres", sslmode: "allow" }],
    ]);
  });

  it("does not take a container's or an ingress's host for a database", () => {
    const text = `ingress:
  host: app.example.com
  port: 443
services:
  db:
    image: postgres:17
    hostname: db
    ports: ["5432:5432"]
`;
    expect(extractYaml(text, "values.yaml").settings).toEqual([]);
  });
});

describe("variable families", () => {
  it("reads n8n's DB_POSTGRESDB_* as node-postgres does: no TLS without its switch, verify-full with it", () => {
    const off = extractDotenvText("DB_TYPE=postgresdb\nDB_POSTGRESDB_HOST=db.example.com\n", ".env");
    expect(off.settings.map((s) => [s.variable, s.client, parts(s).sslmode, s.parts?.sslmode?.mapped])).toEqual([
      ["DB_POSTGRESDB_*", "node-postgres", "disable", "no SSL switch set: node-postgres connects without TLS"],
    ]);
    const on = extractDotenvText(
      "DB_TYPE=postgresdb\nDB_POSTGRESDB_HOST=db.example.com\nDB_POSTGRESDB_SSL_ENABLED=true\nDB_POSTGRESDB_SSL_REJECT_UNAUTHORIZED=false\n",
      ".env",
    );
    expect(parts(on.settings[0]).sslmode).toBe("require");
    const unused = extractDotenvText("DB_POSTGRESDB_HOST=db.example.com\n", ".env");
    expect(unused.settings[0]?.context?.inactive).toBe("DB_TYPE is not set: n8n uses SQLite");
  });

  it("groups DB_*, POSTGRES_* and ZITADEL_DATABASE_POSTGRES_{USER,ADMIN}_* by prefix, roles with their server", () => {
    const r = extractDotenvText(
      [
        "DB_HOST=db",
        "DB_PORT=5432",
        "DB_PASSWORD=x-Real-1",
        "ZITADEL_DATABASE_POSTGRES_HOST=db.example.com",
        "ZITADEL_DATABASE_POSTGRES_USER_USERNAME=zitadel",
        "ZITADEL_DATABASE_POSTGRES_USER_SSL_MODE=disable",
        "REDIS_HOST=cache",
        "REDIS_PASSWORD=x",
        "SMTP_HOST=mail",
      ].join("\n"),
      ".env",
    );
    expect(r.settings.map((s) => [s.variable, parts(s)])).toEqual([
      ["DB_*", { host: "db", port: "5432", password: "x-Real-1" }],
      ["ZITADEL_DATABASE_POSTGRES_USER_*", { host: "db.example.com", user: "zitadel", sslmode: "disable" }],
    ]);
  });

  it("makes libpq's PG* variables a setting of their own when they name a server, else the URL's environment", () => {
    const alone = extractDotenvText("PGHOST=db.example.com\nPGSSLMODE=prefer\n", ".env");
    expect(alone.settings.map((s) => [s.form, s.variable])).toEqual([["environment", "PGHOST"]]);
    const withUrl = extractDotenvText("DATABASE_URL=postgresql://a@db/app\nPGSSLMODE=prefer\n", ".env");
    expect(withUrl.settings.map((s) => s.form)).toEqual([undefined]);
    expect(withUrl.settings[0]?.siblings?.PGSSLMODE?.value).toBe("prefer");
  });
});

describe("documents inside values", () => {
  it("reads JSON and YAML in block scalars at their own lines, and not Python code as a .env file", () => {
    const text = `apiVersion: v1
kind: ConfigMap
metadata: {name: c}
data:
  settings.json: |
    {"db": {"host": "json.example.com", "sslmode": "allow"}}
  app.yaml: |
    db:
      host: yaml.example.com
      ssl_mode: require
  main.py: |
    import os
    url = os.environ["DATABASE_URL"]
    TIMEOUT=30
`;
    const r = extractYaml(text, "cm.yaml");
    expect(r.settings.map((s) => [parts(s).host, parts(s).sslmode])).toEqual([
      ["json.example.com", "allow"],
      ["yaml.example.com", "require"],
    ]);
    expect(r.settings[0]?.parts?.sslmode).toMatchObject(posOf(text, "allow"));
    expect(r.settings[1]?.parts?.sslmode).toMatchObject(posOf(text, "require"));
  });

  it("reads CloudFormation's !Ref as a value set at deploy time and JSON inside !Sub", () => {
    const text = `Resources:
  Db:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: postgres
      MasterUsername: app
      MasterUserPassword: !Ref DbPassword
  Secret:
    Type: AWS::SecretsManager::Secret
    Properties:
      SecretString: !Sub |
        {"host": "\${Db.Endpoint.Address}", "port": "5432", "password": "Cfn-pw-77x1"}
`;
    const r = extractYaml(text, "stack.yaml");
    expect(r.settings.map((s) => [s.variable, parts(s)])).toEqual([
      ["SecretString", { host: "${Db.Endpoint.Address}", port: "5432", password: "Cfn-pw-77x1" }],
    ]);
  });
});

describe("compose and CI", () => {
  it("names the services of a compose file as local containers and finds a server run with -c ssl=off", () => {
    const text = `services:
  db:
    image: postgres:17
    command: postgres -c ssl=off
  app:
    image: app:1
    environment:
      DATABASE_URL: postgresql://app@db/app
`;
    const r = extractYaml(text, "docker-compose.yml");
    expect(r.settings[0]?.context?.localNames).toEqual(["db", "app"]);
    expect(r.servers).toEqual([
      { file: "docker-compose.yml", line: 4, column: 14, name: "db", ssl: "off", option: "-c ssl=off" },
    ]);
    expect(r.environments?.map((e) => [e.label, e.host, e.isolated])).toEqual([
      ["service db", "compose:docker-compose.yml", true],
      ["service app", "compose:docker-compose.yml", true],
    ]);
  });

  it("knows a GitHub Actions workflow and its service containers", () => {
    const text = `jobs:
  t:
    services:
      pg: {image: postgres}
    steps:
      - run: x
        env:
          DATABASE_URL: postgresql://u@pg/db
`;
    const r = extractYaml(text, ".github/workflows/ci.yml");
    expect(r.settings[0]?.context).toMatchObject({ ci: true, localNames: ["pg"] });
  });
});

describe("text", () => {
  it("keeps placeholders inside URLs on a line (GitHub's ${{ expr }} with spaces too)", () => {
    const line = 'URL="postgres://${{ env.U }}:${PW}@db.example.com/app?sslmode=disable" done';
    expect(findUrlsInLine(line)).toEqual([
      { index: 5, url: "postgres://${{ env.U }}:${PW}@db.example.com/app?sslmode=disable" },
    ]);
    expect(findUrlsInLine("see jdbc:postgresql://db/app?ssl=true.")).toEqual([
      { index: 4, url: "jdbc:postgresql://db/app?ssl=true" },
    ]);
    expect(findUrlsInLine("`jdbc:postgresql:` URLs")).toEqual([]);
  });

  it("finds keyword/value strings in a runbook and the variables a script sets", () => {
    expect(
      findKeywordValueRuns('psql "host=db.example.com port=5432 dbname=app sslmode=disable" -c "select 1"'),
    ).toEqual([{ index: 6, text: "host=db.example.com port=5432 dbname=app sslmode=disable" }]);
    expect(findKeywordValueRuns("set host=x to change it")).toEqual([]);
    const script =
      "export PGHOST=db.example.com\nENV PGSSLMODE disable\nPGPASSWORD='Sc-pw-1' pg_dump app\nPGHOST is documented here\n";
    const r = extractTextUrls(script, "backup.sh");
    expect(r.settings.map((s) => [s.form, parts(s)])).toEqual([
      ["environment", { host: "db.example.com", password: "Sc-pw-1", sslmode: "disable" }],
    ]);
  });
});

describe("scheme routing and placeholders", () => {
  it("judges PostgreSQL schemes (and one typo away), maps JDBC, ignores other systems", () => {
    expect(routeValue("postgresql+psycopg://a@b/c")).toBe("libpq");
    expect(routeValue("jdbc:postgresql://a/b")).toBe("jdbc");
    expect(routeValue("prisma://accelerate.prisma-data.net/?api_key=x")).toBe("other");
    expect(isPostgresScheme("postgress")).toBe(true);
    expect(isPostgresScheme("postgis")).toBe(false);
    expect(isConnectionSetting("DATABASE_URL", "prisma://x")).toBe(false);
    expect(isConnectionSetting("N8N_DATABASE_URL", "not a url")).toBe(true);
    expect(isConnectionSetting("DATABASE_URL", "${DATABASE_URL}")).toBe(false);
    expect(readJdbcUrl("jdbc:postgresql://h/d?sslmode=verify-full&loginTimeout=5")).toMatchObject({
      params: [
        ["host", "h"],
        ["port", "5432"],
        ["dbname", "d"],
        ["sslmode", "verify-full"],
      ],
      ignored: ["loginTimeout"],
    });
    expect(readJdbcUrl("jdbc:postgresql://h")).toBeNull();
  });

  it("finds every placeholder syntax and tells stand-in passwords from real ones", () => {
    const s = "${A} ${B:-x} ${{ c.d }} $(E) {{ .Values.f }} %(g)s <db-host> $H $$I";
    expect(findPlaceholders(s, { bareDollar: true }).map((p) => p.text)).toEqual([
      "${A}",
      "${B:-x}",
      "${{ c.d }}",
      "$(E)",
      "{{ .Values.f }}",
      "%(g)s",
      "<db-host>",
      "$H",
    ]);
    expect(findPlaceholders("pa$word", { bareDollar: false })).toEqual([]);
    for (const d of ["changeme", "__PASSWORD__", "pass", "YourStrongPassword", "xxxx", "changePassword"])
      expect(dummySecretReason(d), d).not.toBeNull();
    for (const real of ["hB7-kq2Lw9x", "langflow_test_pass", "Tr0ub4dor&3"])
      expect(dummySecretReason(real), real).toBeNull();
    expect(dummySecretReason("langflow", "langflow")).toBe("the same as the user name");
  });
});
