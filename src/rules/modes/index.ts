// The modes family: judgments over the sslmode matrix, in report order.
import configuredMode from "./configured-mode.js";
import credentialsWithheld from "./credentials-withheld.js";
import plaintextAccepted from "./plaintext-accepted.js";
import strongerMode from "./stronger-mode.js";
import unencryptedSession from "./unencrypted-session.js";

export const MODES_RULES = [
  configuredMode,
  unencryptedSession,
  strongerMode,
  plaintextAccepted,
  credentialsWithheld,
] as const;
