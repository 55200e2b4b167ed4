// The matrix's and the probe's side of pooler detection (check only): the error texts of the modes that failed, the
// SSLRequest answer, both ends of the matrix's own session, and how each mode's session was asked to authenticate.
import type { SslMode } from "../model/sslmode.js";
import type { ModeRun } from "../modes/matrix.js";
import type { ServerFacts, SessionFacts } from "../probe/types.js";
import type { AuthObservation, WireSigns } from "./pooler-types.js";

export function wireSigns(
  runs: readonly ModeRun[],
  server: ServerFacts | undefined,
  session: (SessionFacts & { sslmode: SslMode | string }) | undefined,
  /** libpq will offer a client certificate on TLS channels (sslcert found). */
  clientCert: boolean,
): WireSigns {
  const errors = runs.flatMap((r) =>
    r.result.ok === false && r.result.message ? [{ sslmode: r.result.sslmode, message: r.result.message }] : [],
  );
  const reply = server?.endpoints.find((e) => e.sslRequest)?.sslRequest?.reply;
  const auth: AuthObservation[] = [];
  for (const r of runs) {
    // The attempt that decided the mode: the last one libpq made.
    const a = r.attempts.at(-1);
    if (!a) continue;
    const requested = a.authRequested ?? (a.end === "ok" ? "none" : undefined);
    const encrypted = a.tls !== undefined;
    if (requested)
      auth.push({ sslmode: r.result.sslmode, encrypted, requested, clientCertificate: encrypted && clientCert });
  }
  const mode = session ? runs.find((r) => r.result.sslmode === session.sslmode) : undefined;
  return {
    errors,
    sslAnswer: reply === "S" || reply === "N" ? reply : null,
    ...(session && mode
      ? {
          matrixSession: {
            sslmode: mode.result.sslmode,
            sslSetting: session.sslSetting,
            serverSsl: session.ssl,
            clientTls: mode.result.encrypted ? (mode.result.tls?.protocol ?? "TLS") : null,
          },
        }
      : {}),
    auth,
  };
}
