import { describe, expect, it } from "vitest";
import type { ModeResult, SslMode } from "../../../src/report/types.js";
import { type FixContext, fixFor, modeRules } from "../../../src/rules/modes.js";

const fix: FixContext = { host: "localhost", user: "app", database: "app", certNames: ["db.internal"] };
const mode = (sslmode: SslMode, ok: boolean | null, extra: Partial<ModeResult> = {}): ModeResult => ({
  sslmode,
  ok,
  stage: ok ? "session" : "verify",
  credentialsSent: ok === true,
  ...extra,
});
const codes = (modes: ModeResult[], configuredMode: SslMode | null, withheld: SslMode[] = []) =>
  modeRules({ modes, withheld, configuredMode, authProbe: "safe", fix }).map((f) => f.code);

describe("judging the sslmode matrix", () => {
  it("a failing configured mode is an error whose hint is the concrete fix", () => {
    const modes = [
      mode("verify-ca", true, { encrypted: true }),
      mode("verify-full", false, { code: "hostname-mismatch", message: "m" }),
    ];
    const [f] = modeRules({ modes, withheld: [], configuredMode: "verify-full", authProbe: "safe", fix });
    expect(f?.code).toBe("session.configured-mode-fails");
    expect(f?.severity).toBe("error");
    expect(f?.message).toContain("sslmode=verify-ca would work");
    expect(f?.hint).toContain("Use host db.internal");
  });

  it("prefer that ended unencrypted is a warning; disable that works says the server accepts plaintext", () => {
    const modes = [
      mode("disable", true, { encrypted: false }),
      mode("prefer", true, { encrypted: false }),
      mode("require", false, { code: "server-ssl-off", message: "server does not support SSL, but SSL was required" }),
    ];
    const c = codes(modes, "prefer");
    expect(c).toContain("session.unencrypted");
    expect(c).toContain("session.plaintext-accepted");
    expect(c).not.toContain("session.configured-mode-fails");
  });

  it("suggests verify-full when it also works, not weaker or equal modes", () => {
    const all = (["disable", "allow", "prefer", "require", "verify-ca", "verify-full"] as const).map((m) =>
      mode(m, true, { encrypted: m !== "disable" }),
    );
    expect(codes(all, "require")).toContain("session.stronger-mode-works");
    expect(codes(all, "verify-full")).not.toContain("session.stronger-mode-works");
  });

  it("an undecided configured mode is a warning, never a pass", () => {
    expect(codes([mode("verify-full", null, { message: "withheld" })], "verify-full")).toEqual([
      "session.configured-mode-undecided",
    ]);
  });

  it("lists exactly the modes whose password was held back", () => {
    const modes = [
      mode("disable", true, { credentialsSent: false, stage: "auth" }),
      // Failed at auth without sending anything because there was no password at all: not "withheld".
      mode("allow", false, { credentialsSent: false, stage: "auth", code: "no-password" }),
      mode("verify-full", true),
    ];
    const out = modeRules({ modes, withheld: ["disable"], configuredMode: "verify-full", authProbe: "safe", fix });
    expect(out.find((f) => f.code === "session.credentials-withheld")?.subject).toBe("disable");
    const none = modeRules({ modes, withheld: [], configuredMode: "verify-full", authProbe: "safe", fix });
    expect(none.map((f) => f.code)).not.toContain("session.credentials-withheld");
  });

  it("tells a missing intermediate from an unknown CA when the probe saw the chain stop short", () => {
    expect(fixFor("unknown-ca", { ...fix, certIssuer: "CN=inter", chainIncomplete: true })).toContain(
      "without the intermediate CA",
    );
    expect(fixFor("unknown-ca", { ...fix, rootPath: "/ca.crt" })).toContain(
      "The root file /ca.crt does not hold the CA",
    );
    expect(fixFor("unknown-ca", fix)).toContain("Add sslrootcert=");
  });

  it("has a fix for every cause the classifier produces", () => {
    for (const cause of [
      "refused",
      "timeout",
      "dns-failure",
      "wrong-password",
      "too-many-connections",
      "client-cert-cn",
      "tls-version",
    ]) {
      expect(fixFor(cause, fix)).not.toBe("See libpq's message.");
    }
  });
});
