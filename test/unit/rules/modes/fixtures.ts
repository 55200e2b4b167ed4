// Shared facts for the modes family's rule tests.
import type { ModeResult } from "../../../../src/model/mode.js";
import type { SslMode } from "../../../../src/model/sslmode.js";
import type { ConnectionTarget, MatrixFacts } from "../../../../src/modes/types.js";

export const target: ConnectionTarget = { host: "localhost", user: "app", database: "app", certNames: ["db.internal"] };

export const mode = (sslmode: SslMode, ok: boolean | null, extra: Partial<ModeResult> = {}): ModeResult => ({
  sslmode,
  ok,
  stage: ok ? "session" : "verify",
  credentialsSent: ok === true,
  ...extra,
});

export const matrix = (
  results: ModeResult[],
  configuredMode: SslMode | null,
  withheld: SslMode[] = [],
): { modes: MatrixFacts } => ({ modes: { results, configuredMode, withheld, authProbe: "safe", target } });

export const allWork = (["disable", "allow", "prefer", "require", "verify-ca", "verify-full"] as const).map((m) =>
  mode(m, true, { encrypted: m !== "disable" }),
);
