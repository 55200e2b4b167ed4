import { describe, expect, it } from "vitest";
import { extractYaml } from "../../../src/audit/extract/yaml.js";
import { posOf } from "./helpers.js";

describe("docker-compose environment", () => {
  const text = `services:
  web:
    environment:
      - SKILLFLAW_DATABASE_URL=postgresql://web:pw@db/app
      - "DATABASE_URL=postgres://q@db/app"
      - PGSSLMODE=require
      - FROM_SHELL
  worker:
    environment:
      DATABASE_URL: "postgresql://w@db:5432/app?sslmode=verify-full"
      PGPASSWORD: $\${DB_PASSWORD}
      COUNT: 3
`;
  const r = extractYaml(text, "docker-compose.yml");

  it("reads the list form at the value after KEY=, and the map form at the value", () => {
    expect(r.settings.map((s) => [s.variable, s.source, s.path])).toEqual([
      ["SKILLFLAW_DATABASE_URL", "compose", "services.web.environment.SKILLFLAW_DATABASE_URL"],
      ["DATABASE_URL", "compose", "services.web.environment.DATABASE_URL"],
      ["DATABASE_URL", "compose", "services.worker.environment.DATABASE_URL"],
    ]);
    expect(r.settings[0]).toMatchObject(posOf(text, "postgresql://web"));
    expect(r.settings[1]).toMatchObject(posOf(text, "postgres://q@"));
    expect(r.settings[2]).toMatchObject(posOf(text, "postgresql://w@"));
  });

  it("gives each service its own environment as siblings, kept as written for compose's $$ (a literal $)", () => {
    expect(r.settings[0]?.siblings?.PGSSLMODE?.value).toBe("require");
    expect(r.settings[2]?.siblings?.PGSSLMODE).toBeUndefined();
    // The pipeline reads `$$` as compose does (src/audit/connstring.ts): the setting says whose syntax it is.
    expect(r.settings[2]?.siblings?.PGPASSWORD?.value).toBe("$${DB_PASSWORD}");
    expect(r.settings[2]?.syntax).toBe("compose");
  });
});

describe("Kubernetes manifests", () => {
  const url = "postgresql://k:b64pass@db.prod/app?sslmode=verify-full";
  const b64 = Buffer.from(url).toString("base64");
  const text = `apiVersion: apps/v1
kind: Deployment
metadata: {name: app}
spec:
  template:
    spec:
      initContainers:
        - name: migrate
          env:
            - name: DATABASE_URL
              value: postgresql://init@db/app
      containers:
        - name: app
          args: ["--dsn", "postgresql://arg@db/app"]
          env:
            - name: PGSSLMODE
              value: verify-full
            - name: SKILLFLAW_DATABASE_URL
              value: 'postgresql://app@db/app'
---
apiVersion: v1
kind: ConfigMap
metadata: {name: cm}
data:
  DSN: host=db dbname=app sslmode=require
  app.env: |
    A=1
    DATABASE_URL=postgresql://cm@db/app
---
apiVersion: v1
kind: Secret
metadata: {name: s}
data:
  DATABASE_URL: ${b64}
  binary: AAEC/w==
stringData:
  PLAIN: postgresql://plain@db/app
---
apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: ConfigMap
    metadata: {name: inner}
    data:
      URL: postgresql://listed@db/app
`;
  const r = extractYaml(text, "k8s.yaml");
  const by = (value: string) => r.settings.find((s) => s.value === value);

  it("reads container env lists (init containers too) with each container's env as siblings", () => {
    const init = by("postgresql://init@db/app");
    expect(init).toMatchObject({
      variable: "DATABASE_URL",
      source: "kubernetes-env",
      ...posOf(text, "postgresql://init"),
    });
    expect(init?.siblings?.PGSSLMODE).toBeUndefined();
    const app = by("postgresql://app@db/app");
    expect(app).toMatchObject({ variable: "SKILLFLAW_DATABASE_URL", ...posOf(text, "postgresql://app@") });
    expect(app?.siblings?.PGSSLMODE?.value).toBe("verify-full");
  });

  it("finds URLs elsewhere in a manifest (args) by their value", () => {
    expect(by("postgresql://arg@db/app")).toMatchObject(posOf(text, "postgresql://arg"));
  });

  it("reads ConfigMap data, including .env text in a literal block at its own line", () => {
    expect(by("host=db dbname=app sslmode=require")).toMatchObject({
      variable: "DSN",
      source: "kubernetes-configmap",
      ...posOf(text, "host=db dbname"),
    });
    expect(by("postgresql://cm@db/app")).toMatchObject({
      variable: "DATABASE_URL",
      ...posOf(text, "postgresql://cm@"),
    });
  });

  it("decodes Secret data from base64 (pointing at the encoded value) and reads stringData as is", () => {
    const s = by(url);
    expect(s).toMatchObject({
      variable: "DATABASE_URL",
      source: "kubernetes-secret",
      base64: true,
      ...posOf(text, b64),
    });
    expect(by("postgresql://plain@db/app")).toMatchObject({ variable: "PLAIN", source: "kubernetes-secret" });
    expect(by("postgresql://plain@db/app")?.base64).toBeUndefined();
  });

  it("reads the objects of a kind: List", () => {
    expect(by("postgresql://listed@db/app")).toMatchObject({ variable: "URL", source: "kubernetes-configmap" });
  });

  it("finds nothing twice", () => {
    const values = r.settings.map((s) => s.value);
    expect(new Set(values).size).toBe(values.length);
    expect(values).toHaveLength(8);
  });
});

describe("Helm values and other YAML", () => {
  const text = `image: app:1
database:
  url: "postgresql://helm@db.example.com/app?sslmode=verify-full"
  replicas: [postgres://r1@db/app, other]
extraEnv:
  - name: SKILLFLAW_DATABASE_URL
    value: postgresql+psycopg://h@db/app
cache:
  url: redis://c:6379
`;
  it("takes any PostgreSQL URL with its YAML path", () => {
    const r = extractYaml(text, "chart/values.yaml");
    expect(r.settings.map((s) => [s.source, s.variable, s.path])).toEqual([
      ["helm-values", "url", "database.url"],
      ["helm-values", undefined, "database.replicas[0]"],
      ["helm-values", "SKILLFLAW_DATABASE_URL", "extraEnv[0]"],
    ]);
    expect(r.settings[0]).toMatchObject(posOf(text, "postgresql://helm"));
    expect(r.settings[1]).toMatchObject(posOf(text, "postgres://r1"));
  });

  it("calls a YAML file that is not named values*.yaml plain YAML", () => {
    expect(extractYaml(text, "config/app.yml").settings[0]?.source).toBe("yaml");
  });

  it("reports a syntax error with its line instead of reading a broken document", () => {
    const bad = "a: 1\nservices:\n  web:\n    environment:\n      - DATABASE_URL=postgresql://x@y/z\n     bad: [oops\n";
    const r = extractYaml(bad, "broken.yaml");
    expect(r.settings).toEqual([]);
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]).toMatchObject({ kind: "unparseable", file: "broken.yaml" });
    expect(r.problems[0]?.line).toBeGreaterThanOrEqual(5);
  });
});
