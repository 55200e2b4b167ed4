// biome-ignore-all lint/suspicious/noTemplateCurlyInString: placeholders such as ${VAR} are what these cases are about
// One stored setting through the audit pipeline: placeholders kept unknown (the rest read), pgjdbc's spelling mapped,
// settings written as separate keys assembled, the secrets the tree holds measured (never leaving the pipeline), and
// where the hosts are.
import { describe, expect, it } from "vitest";
import { AuditPipeline, isExampleFile } from "../../../src/audit/pipeline.js";
import type { RawSetting } from "../../../src/audit/types.js";
import { CLIENT_SECURITY_LEVEL } from "../../../src/rules/certs/policy.js";

const pipeline = () =>
  new AuditPipeline({
    libpq: 17,
    urlStyle: "auto",
    now: new Date("2026-06-01T00:00:00Z"),
    securityLevel: CLIENT_SECURITY_LEVEL,
    cwd: "/nonexistent/dbdoctor-test",
  });

const raw = (value: string, extra: Partial<RawSetting> = {}): RawSetting => ({
  file: "deploy/.env",
  line: 3,
  column: 14,
  variable: "DATABASE_URL",
  source: "dotenv",
  value,
  ...extra,
});

describe("placeholders", () => {
  it("reads the rest of a URL around ${VAR}: the sslmode is judged, the user and password are unknown", async () => {
    const m = await pipeline().run(
      raw("postgres://${POSTGRES_USER}:${POSTGRES_PASSWORD}@db.example.com:5432/app?sslmode=disable"),
      0,
    );
    expect(m.facts.conninfo.effective.sslmode?.value).toBe("disable");
    expect(m.facts.conninfo.effective.host?.value).toBe("db.example.com");
    expect(m.facts.placeholders).toEqual({ user: "${POSTGRES_USER}", password: "${POSTGRES_PASSWORD}" });
    expect(m.facts.redacted).toBe("postgres://${POSTGRES_USER}@db.example.com:5432/app?sslmode=disable");
    expect(m.stored.secrets).toEqual([]);
    expect(m.stored.reach).toBe("remote");
  });

  it("takes out a port, an sslmode or a CA file that is a placeholder, and masks a password default", async () => {
    const m = await pipeline().run(
      raw("postgresql://app:${DB_PASSWORD:-s3cret}@{{ .Values.host }}:${PORT}/app?sslmode=%(mode)s&sslrootcert=$(CA)"),
      0,
    );
    expect(m.facts.placeholders).toEqual({
      password: "${DB_PASSWORD:-********}",
      host: "{{ .Values.host }}",
      port: "${PORT}",
      sslmode: "%(mode)s",
      sslrootcert: "$(CA)",
    });
    expect(m.facts.conninfo.effective.sslmode).toBeUndefined();
    expect(m.stored.reach).toBe("unknown");
    expect(JSON.stringify(m.facts)).not.toContain("s3cret");
    expect(JSON.stringify(m.facts)).not.toContain("zzdbdoctorph");
  });

  it("reads $VAR as a reference in a compose file or a script, and $$ as compose's literal dollar", async () => {
    const shell = await pipeline().run(raw("postgresql://u:$PASSWORD@db/app", { syntax: "shell" }), 0);
    expect(shell.facts.placeholders).toEqual({ password: "$PASSWORD" });
    const compose = await pipeline().run(raw("postgresql://u:pa$$w0rd-9x@db/app", { syntax: "compose" }), 0);
    expect(compose.facts.placeholders).toBeUndefined();
    expect(compose.stored.secrets.map((s) => s.field)).toEqual(["password"]);
  });
});

describe("schemes", () => {
  it("maps pgjdbc's parameters: ssl=true is verify-full, NonValidatingFactory verifies nothing", async () => {
    const m = await pipeline().run(
      raw(
        "jdbc:postgresql://db1:5433,db2/app?user=app&password=Jd-pw-5512&ssl=true&sslfactory=org.postgresql.ssl.NonValidatingFactory&ApplicationName=x",
      ),
      0,
    );
    expect(m.facts.client).toBe("jdbc");
    expect(m.facts.conninfo.hosts.map((h) => `${h.host}:${h.port}`)).toEqual(["db1:5433", "db2:5432"]);
    expect(m.facts.conninfo.effective.sslmode?.value).toBe("require");
    expect(m.facts.conninfo.effective.application_name?.value).toBe("x");
    expect(m.facts.mapped?.sslmode).toMatch(/NonValidatingFactory accepts any certificate/);
    expect(m.facts.redacted).not.toContain("Jd-pw-5512");
    expect(m.stored.secrets.map((s) => s.field)).toEqual(["password"]);
  });

  it("takes pgjdbc's default sslmode (prefer) and default host (localhost)", async () => {
    const m = await pipeline().run(raw("jdbc:postgresql:appdb"), 0);
    expect(m.facts.conninfo.effective.sslmode?.value).toBe("prefer");
    expect(m.stored.hosts).toEqual([{ host: "localhost", reach: "loopback" }]);
  });
});

describe("parts and environments", () => {
  it("assembles separate keys into one setting; a Secret reference stays unknown; each part keeps its line", async () => {
    const m = await pipeline().run(
      raw("", {
        form: "parts",
        variable: "externalDatabase",
        source: "helm-values",
        parts: {
          host: { key: "host", line: 8, column: 16, value: "pg.example.com" },
          port: { key: "port", line: 10, column: 16, value: "5432" },
          password: { key: "password", line: 12, column: 9, value: "", from: "Secret db, key password" },
          sslmode: { key: "SSL.Mode", line: 14, column: 15, value: "disable" },
        },
      }),
      0,
    );
    expect(m.facts.form).toBe("parts");
    expect(m.facts.conninfo.effective.sslmode).toMatchObject({ value: "disable", source: "connstring" });
    expect(m.facts.parts?.sslmode).toEqual({ key: "SSL.Mode", line: 14, column: 15 });
    expect(m.facts.placeholders).toEqual({ password: "(from Secret db, key password)" });
    expect(m.stored.secrets).toEqual([]);
  });

  it("reads libpq's PG* variables as the environment; a literal PGPASSWORD is a secret at its own line", async () => {
    const m = await pipeline().run(
      raw("", {
        form: "environment",
        variable: "PGHOST",
        siblings: {
          PGHOST: { value: "db.example.com", line: 2 },
          PGSSLMODE: { value: "allow", line: 3 },
          PGPASSWORD: { value: "Wk-pass-90xz", line: 4 },
        },
        parts: { host: { key: "PGHOST", line: 2, column: 8, value: "db.example.com" } },
      }),
      0,
    );
    expect(m.facts.conninfo.effective.sslmode).toMatchObject({ value: "allow", source: "env" });
    expect(m.stored.secrets).toMatchObject([{ field: "password", via: "PGPASSWORD", location: { line: 4 } }]);
    expect(m.facts.redacted).not.toContain("Wk-pass-90xz");
  });

  it("calls a stand-in password what it is, and the user name repeated", async () => {
    const m = await pipeline().run(raw("postgresql://app:changeme@db/app"), 0);
    expect(m.stored.secrets[0]?.dummy).toBe("a placeholder or default word");
    const same = await pipeline().run(raw("postgresql://langflow:langflow@db/app"), 0);
    expect(same.stored.secrets[0]?.dummy).toBe("the same as the user name");
  });
});

describe("where the host is", () => {
  it("classifies loopback, the containers of the same file, CI service containers and the rest", async () => {
    const reach = async (url: string, extra: Partial<RawSetting> = {}) =>
      (await pipeline().run(raw(url, extra), 0)).stored.reach;
    expect(await reach("postgresql://u@127.0.0.1/app")).toBe("loopback");
    expect(await reach("postgresql://u@[::1]/app")).toBe("loopback");
    expect(await reach("postgresql://u@db/app", { context: { localNames: ["db"] } })).toBe("container");
    expect(await reach("postgresql://u@localhost/app", { context: { ci: true } })).toBe("ci-service");
    expect(await reach("postgresql://u@db.example.com,127.0.0.1/app")).toBe("remote");
    expect(await reach("host=/var/run/postgresql dbname=app")).toBe("socket");
  });

  it("knows example and template files", () => {
    for (const f of [
      ".env.example",
      "deploy/.env.sample",
      "values.template.yaml",
      "settings.ini.template",
      "examples/app/values.yaml",
    ])
      expect(isExampleFile(f), f).toBe(true);
    for (const f of [".env", "deploy/values.yaml", "templates/deployment.yaml", "docs/exampled.md"])
      expect(isExampleFile(f), f).toBe(false);
  });
});
