// DESIGN.md "Credentials on the wire", in one place. Every pg connection dbdoctor opens (the sslmode matrix and the
// operations stage alike) asks this module, through connectPg's password callback, whether the password may go.
// The callback runs only when the server asks for a password; the answer depends on --auth-probe, on whether the
// connection is made for the application's own sslmode, and on whether its channel was verified.
import type { AuthProbe } from "../model/options.js";
import type { SslMode } from "../model/sslmode.js";

/** "always": send when asked; "if-verified": only over a verified channel (libpq's verify-full rule); "never". */
export type SendPassword = "always" | "if-verified" | "never";

/**
 * Where the password may travel on a connection made for sslmode `mode`:
 * - `all` (labs): everywhere;
 * - `none`: nowhere, in any stage (the operations stage included);
 * - `safe` (default): under the configured sslmode, where the application sends it anyway, and elsewhere only over
 *   a channel whose chain and host name dbdoctor verified.
 */
export function passwordPolicy(authProbe: AuthProbe, mode: SslMode, configuredMode: SslMode | null): SendPassword {
  if (authProbe === "all") return "always";
  if (authProbe === "none") return "never";
  return mode === configuredMode ? "always" : "if-verified";
}

/** The decision at the moment the server asks. */
export function maySendPassword(policy: SendPassword, channelVerified: boolean): boolean {
  return policy === "always" || (policy === "if-verified" && channelVerified);
}
