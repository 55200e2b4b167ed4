// The facts the audit family's rules judge: which secrets a setting writes literally, measured from the raw value
// (which never leaves the pipeline).
import { describe, expect, it } from "vitest";
import { storedSetting } from "../../../src/audit/pipeline.js";
import type { RawSetting } from "../../../src/audit/types.js";
import type { EffectiveParam } from "../../../src/conninfo/types.js";

const raw = (extra: Partial<RawSetting> = {}): RawSetting => ({
  file: "k8s/app.yaml",
  line: 12,
  column: 18,
  variable: "DATABASE_URL",
  source: "kubernetes-configmap",
  value: "(raw, not looked at)",
  ...extra,
});
const p = (value: string, source: EffectiveParam["source"] = "connstring"): EffectiveParam => ({ value, source });

describe("storedSetting", () => {
  it("lists a password and an sslpassword written in the value", () => {
    const s = storedSetting(
      raw(),
      { password: "hunter2", sslpassword: "k3y" },
      { password: p("hunter2"), sslpassword: p("k3y") },
    );
    expect(s.literalSecrets).toEqual(["password", "sslpassword"]);
    expect(s).toMatchObject({ file: "k8s/app.yaml", line: 12, variable: "DATABASE_URL", base64: false });
    expect(JSON.stringify(s.literalSecrets)).not.toContain("hunter2");
  });

  it("leaves out placeholders, empty values and passwords the environment supplies", () => {
    for (const placeholder of [
      ["$", "{DB_PASSWORD}"].join(""),
      "$DB_PASSWORD",
      "{{ .Values.pw }}",
      "<password>",
      "****",
    ])
      expect(storedSetting(raw(), { password: placeholder }, { password: p(placeholder) }).literalSecrets).toEqual([]);
    expect(storedSetting(raw(), { password: "" }, { password: p("") }).literalSecrets).toEqual([]);
    expect(storedSetting(raw(), { password: "x1" }, { password: p("x1", "env") }).literalSecrets).toEqual([]);
  });

  it("keeps how the value was stored: base64 data, no variable for a URL in text", () => {
    expect(storedSetting(raw({ base64: true, source: "kubernetes-secret" }), {}, {})).toMatchObject({
      base64: true,
      source: "kubernetes-secret",
    });
    expect(storedSetting(raw({ variable: undefined, source: "text" }), {}, {}).variable).toBeUndefined();
  });
});
