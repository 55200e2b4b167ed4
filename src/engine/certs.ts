// `dbdoctor certs`: the files stage alone, offline, from command-line paths (and libpq's defaults).
import type { CommonOptions } from "../cli/options.js";
import { safeForStderr, writeStderr } from "../cli/stderr.js";
import type { EffectiveParam } from "../conninfo/types.js";
import { UsageError } from "../errors.js";
import { READ_CAPS, readCapped } from "../io/read.js";
import { decodeContent } from "../pki/content.js";
import { runFilesStage } from "../pki/stage.js";
import { emptyInput, makeReport } from "../report/build.js";
import type { Report } from "../report/report.js";
import { isSslMode, SSL_MODES } from "../report/types.js";
import { registerSecret } from "../secrets.js";

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

/** Read a passphrase from the terminal without echo; never from argv. */
async function promptHidden(question: string): Promise<string> {
  const stdin = process.stdin;
  writeStderr(safeForStderr(question));
  return new Promise((resolve, reject) => {
    let value = "";
    const wasRaw = stdin.isRaw;
    stdin.setRawMode?.(true);
    stdin.resume();
    const onData = (chunk: Buffer) => {
      for (const ch of chunk.toString("utf8")) {
        if (ch === "\r" || ch === "\n") {
          cleanup();
          writeStderr("\n");
          resolve(value);
          return;
        }
        if (ch === "\u0003") {
          cleanup();
          writeStderr("\n");
          reject(new UsageError("interrupted while reading the key passphrase"));
          return;
        }
        if (ch === "\u007f" || ch === "\b") value = value.slice(0, -1);
        else value += ch;
      }
    };
    const cleanup = () => {
      stdin.off("data", onData);
      stdin.setRawMode?.(wasRaw);
      stdin.pause();
    };
    stdin.on("data", onData);
  });
}

export async function runCerts(args: Record<string, unknown>, common: CommonOptions): Promise<Report> {
  const t0 = performance.now();
  const sslmode = str(args.sslmode) ?? "verify-full";
  if (!isSslMode(sslmode))
    throw new UsageError(`invalid sslmode value: "${sslmode}"`, `Use one of: ${SSL_MODES.join(", ")}.`);
  const warnDays = typeof args.warnDays === "number" && Number.isFinite(args.warnDays) ? args.warnDays : 30;
  if (warnDays < 0) throw new UsageError(`--warn-days must be 0 or more, not ${warnDays}`);
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
  if (sslpassword === undefined && effective.sslkey && process.stdin.isTTY && process.stderr.isTTY) {
    if (keyLooksEncrypted(effective.sslkey.value))
      sslpassword = (await promptHidden(`Passphrase for ${effective.sslkey.value}: `)) || undefined;
  }
  registerSecret(sslpassword);

  // pg_hba cert auth maps the certificate's CN to the database user: --user, else libpq's PGUSER.
  const user = typeof args.user === "string" && args.user !== "" ? args.user : process.env.PGUSER;
  const tFiles = performance.now();
  const { result, findings } = await runFilesStage(effective, {
    libpq: common.libpq,
    now: new Date(),
    warnDays,
    env: process.env,
    ...(user ? { user } : {}),
    ...(sslpassword !== undefined ? { sslpassword } : {}),
    ...(serverCert !== undefined ? { serverCertFile: serverCert } : {}),
    ...(host !== undefined ? { host } : {}),
    mentionServerUnknown: true,
  });
  const filesMs = performance.now() - tFiles;
  let summary: string | undefined;
  if (result.status === "completed" && result.value.server) {
    const s = result.value.server;
    summary = s.accepted
      ? `libpq would accept this server certificate under sslmode=${sslmode}${host ? ` for host "${host}"` : ""}`
      : `libpq would refuse this server certificate under sslmode=${sslmode}: ${s.chainOk === false ? (s.chainMessage ?? "chain") : (s.hostnameMessage ?? "host name")}`;
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
