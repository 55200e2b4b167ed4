// `dbdoctor server HOST[:PORT]`: the wire-level probe alone.

import { isIP } from "node:net";
import type { EffectiveParam, HostEntry } from "../conninfo/types.js";
import { UsageError } from "../errors.js";
import type { EngineOptions } from "../model/options.js";
import { runServerStage } from "../probe/stage.js";
import { parseTarget } from "../probe/target.js";
import { parseLibpqTlsVersion } from "../probe/versions.js";
import { emptyInput, makeReport } from "../report/build.js";
import type { Report } from "../report/report.js";
import { CLIENT_SECURITY_LEVEL } from "../rules/certs/policy.js";
import { judge } from "../rules/registry.js";
import type { RunScope } from "../run/scope.js";
import { saveChain, saveChainPath } from "./save-chain.js";
import { ruleSettings } from "./settings.js";

/** The libpq parameters the server command's options stand for. */
const OPTION_PARAMS = [
  ["sslrootcert", "sslrootcert"],
  ["sslcrl", "sslcrl"],
  ["sslcrldir", "sslcrldir"],
  ["sslsni", "sslsni"],
  ["sslnegotiation", "sslnegotiation"],
  ["sslMinProtocolVersion", "ssl_min_protocol_version"],
  ["sslMaxProtocolVersion", "ssl_max_protocol_version"],
] as const;

export function serverParams(args: Record<string, unknown>): Record<string, EffectiveParam> {
  const effective: Record<string, EffectiveParam> = {};
  for (const [opt, keyword] of OPTION_PARAMS) {
    const v = args[opt];
    if (v === undefined || v === null) continue;
    effective[keyword] = { value: String(v), source: "application", detail: `--${keyword.replaceAll("_", "-")}` };
  }
  for (const k of ["ssl_min_protocol_version", "ssl_max_protocol_version"] as const) {
    const v = effective[k]?.value;
    if (v !== undefined && v !== "" && parseLibpqTlsVersion(v) === null)
      throw new UsageError(
        `--${k.replaceAll("_", "-")} "${v}" is not a TLS version`,
        "Use TLSv1, TLSv1.1, TLSv1.2 or TLSv1.3.",
      );
  }
  const neg = effective.sslnegotiation?.value;
  if (neg !== undefined && neg !== "postgres" && neg !== "direct")
    throw new UsageError(`--sslnegotiation "${neg}" is not valid`, 'Use "postgres" (the default) or "direct".');
  return effective;
}

export async function runServer(
  args: Record<string, unknown>,
  common: EngineOptions,
  scope: RunScope,
): Promise<Report> {
  const target = parseTarget(String(args.target ?? ""));
  const servername = typeof args.servername === "string" && args.servername !== "" ? args.servername : undefined;
  // --servername plays libpq's host (SNI and the name check) while the target is where we connect (hostaddr).
  const host: HostEntry = servername
    ? { host: servername, hostaddr: target.host, port: String(target.port), kind: isIP(servername) ? "ip" : "dns" }
    : { host: target.host, port: String(target.port), kind: isIP(target.host) ? "ip" : "dns" };
  if (common.offline)
    throw new UsageError("dbdoctor server needs the network; --offline forbids it", "Drop --offline.");
  const settings = ruleSettings(args);
  const savePath = saveChainPath(args);
  const started = Date.now();
  const now = new Date();
  const result = await runServerStage({
    timeoutMs: common.timeoutMs,
    libpq: common.libpq,
    now,
    securityLevel: CLIENT_SECURITY_LEVEL,
    effective: serverParams(args),
    hosts: [host],
    options: { scanVersions: args.scanVersions !== false, direct: "always" },
    scope,
  });
  // `dbdoctor server` asks about TLS itself: no sslmode, so everything counts (as for verify-full).
  const findings = judge(
    { command: "server", now, ...(result.status === "completed" ? { server: { facts: result.value } } : {}) },
    settings,
  );
  return makeReport(
    "server",
    {
      input: emptyInput(common.libpq),
      conninfo: null,
      files: { status: "skipped", reason: "dbdoctor server reads no files but --sslrootcert/--sslcrl" },
      server: result,
      modes: [],
      findings,
      timings: { server: Date.now() - started },
      ...(savePath !== undefined ? { summary: saveChain(savePath, result) } : {}),
    },
    now,
  );
}
