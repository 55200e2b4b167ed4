// `dbdoctor certs`: the files stage alone, offline, from command-line paths (and libpq's defaults).

import type { EffectiveParam } from "../conninfo/types.js";
import { UsageError } from "../errors.js";
import { READ_CAPS, readCapped } from "../io/read.js";
import type { Interaction } from "../model/interaction.js";
import type { EngineOptions } from "../model/options.js";
import { isSslMode, SSL_MODES } from "../model/sslmode.js";
import { decodeContent } from "../pki/content.js";
import { runFilesStage } from "../pki/stage.js";
import { emptyInput, makeReport } from "../report/build.js";
import type { Report } from "../report/report.js";
import { CLIENT_SECURITY_LEVEL } from "../rules/certs/policy.js";
import { judge } from "../rules/registry.js";
import { registerSecret } from "../secrets.js";
import { ruleSettings } from "./settings.js";

const FILE_ARGS = ["sslrootcert", "sslcert", "sslkey", "sslcrl", "sslcrldir"] as const;

function str(v: unknown): string | undefined {
  return typeof v === "string" && v !== "" ? v : undefined;
}

/** Does the key file (as given or by default) hold an encrypted key? Decides whether to prompt. */
function keyLooksEncrypted(path: string): boolean {
  const r = readCapped(path, READ_CAPS.certificate);
  if (r.status !== "ok") return false;
  const d = decodeContent(r.data);
  return (
    d.blocks.some((b) => b.kind === "encrypted-private-key" || b.headers["Proc-Type"]?.includes("ENCRYPTED")) ||
    d.der?.kind === "encrypted-private-key"
  );
}

export async function runCerts(
  args: Record<string, unknown>,
  common: EngineOptions,
  io: Interaction = {},
): Promise<Report> {
  const t0 = performance.now();
  const sslmode = str(args.sslmode) ?? "verify-full";
  if (!isSslMode(sslmode))
    throw new UsageError(`invalid sslmode value: "${sslmode}"`, `Use one of: ${SSL_MODES.join(", ")}.`);
  const settings = ruleSettings(args);
  const serverCert = str(args.serverCert);
  const host = str(args.host);
  if (host !== undefined && serverCert === undefined)
    throw new UsageError(
      "--host needs --server-cert",
      "Give the server's certificate chain file with --server-cert FILE.",
    );

  const effective: Record<string, EffectiveParam> = {
    sslmode: { value: sslmode, source: "application", detail: "--sslmode" },
  };
  for (const k of FILE_ARGS) {
    const v = str(args[k]);
    if (v !== undefined) effective[k] = { value: v, source: "application", detail: `--${k}` };
  }
  if (host !== undefined) effective.host = { value: host, source: "application", detail: "--host" };

  let sslpassword = process.env.DBDOCTOR_SSLPASSWORD || undefined;
  // The terminal prompt is the CLI's (src/cli/prompt.ts): a caller that cannot ask gives no askSecret.
  if (sslpassword === undefined && effective.sslkey && io.askSecret && keyLooksEncrypted(effective.sslkey.value))
    sslpassword = (await io.askSecret(`Passphrase for ${effective.sslkey.value}: `)) || undefined;
  registerSecret(sslpassword);

  // pg_hba cert auth maps the certificate's CN to the database user: --user, else libpq's PGUSER.
  const user = typeof args.user === "string" && args.user !== "" ? args.user : process.env.PGUSER;
  const tFiles = performance.now();
  const now = new Date();
  const { result, analysis } = await runFilesStage(effective, {
    libpq: common.libpq,
    now,
    securityLevel: CLIENT_SECURITY_LEVEL,
    env: process.env,
    ...(user ? { user } : {}),
    ...(sslpassword !== undefined ? { sslpassword } : {}),
    ...(serverCert !== undefined ? { serverCertFile: serverCert } : {}),
    ...(host !== undefined ? { host } : {}),
  });
  const findings = judge({ command: "certs", now, ...(analysis ? { files: analysis } : {}) }, settings);
  const filesMs = performance.now() - tFiles;
  let summary: string | undefined;
  if (result.status === "completed" && result.value.server) {
    const s = result.value.server;
    summary = s.accepted
      ? `libpq would accept this server certificate under sslmode=${sslmode}${host ? ` for host "${host}"` : ""}`
      : `libpq would refuse this server certificate under sslmode=${sslmode}: ${s.handshakeMessage ?? (s.chainOk === false ? (s.chainMessage ?? "chain") : (s.hostnameMessage ?? "host name"))}`;
  }
  return makeReport("certs", {
    input: emptyInput(common.libpq, "libpq"),
    conninfo: null,
    files: result,
    server: { status: "skipped", reason: "dbdoctor certs works offline" },
    modes: [],
    findings,
    timings: { files: Math.round(filesMs), total: Math.round(performance.now() - t0) },
    ...(summary ? { summary } : {}),
  });
}
