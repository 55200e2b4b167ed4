// The exporter's modules, from a YAML file in the blackbox_exporter style:
//
//   modules:
//     postgres_tls:
//       allowed_targets: ["db-*.internal:5432", "10.0.0.0/8:5432"]
//       sslrootcert: /etc/ssl/db-ca.crt      # or "system"; a relative path is read from the file's folder
//       servername: db.internal              # SNI and the host-name check when targets are addresses
//       min_tls_version: TLSv1.2             # the client's minimum, as libpq's ssl_min_protocol_version
//       warn_days: 30                        # certificates that expire within this many days are a warning
//
// Every mistake is a usage error naming the file, the line and the key, read before the exporter listens.
import { accessSync, constants, readFileSync } from "node:fs";
import { dirname, isAbsolute, resolve } from "node:path";
import { isMap, isScalar, isSeq, LineCounter, type Node, parseDocument } from "yaml";
import { errorMessage, UsageError } from "../errors.js";
import { TLS_VERSIONS, type TlsVersion } from "../probe/types.js";
import { parseLibpqTlsVersion } from "../probe/versions.js";
import { parsePattern, type TargetPattern } from "./targets.js";

export interface ExporterModule {
  name: string;
  allowedTargets: TargetPattern[];
  sslrootcert?: string;
  servername?: string;
  minTlsVersion?: TlsVersion;
  warnDays?: number;
}

export interface ExporterConfig {
  path: string;
  modules: Map<string, ExporterModule>;
  /** Patterns that let a module probe any host: worth a warning at start-up. */
  warnings: string[];
}

const MODULE_KEYS = ["allowed_targets", "sslrootcert", "servername", "min_tls_version", "warn_days"] as const;
type ModuleKey = (typeof MODULE_KEYS)[number];
const MODULE_NAME = /^[A-Za-z0-9_.-]{1,64}$/;
const HINT =
  "See the README's exporter section for the module keys: allowed_targets, sslrootcert, servername, min_tls_version, warn_days.";

class ConfigReader {
  private readonly lines = new LineCounter();
  constructor(
    readonly path: string,
    readonly text: string,
  ) {}

  parse() {
    const doc = parseDocument(this.text, { lineCounter: this.lines, prettyErrors: false });
    const problem = doc.errors[0];
    if (problem) {
      const line = this.lines.linePos(problem.pos[0]).line;
      throw new UsageError(
        `${this.path}${line ? `:${line}` : ""}: not valid YAML: ${problem.message.split("\n")[0]}`,
        HINT,
      );
    }
    return doc.contents;
  }

  fail(node: Node | null | undefined, what: string, hint = HINT): never {
    const line = node?.range ? this.lines.linePos(node.range[0]).line : undefined;
    throw new UsageError(`${this.path}${line ? `:${line}` : ""}: ${what}`, hint);
  }

  string(node: Node | null, key: string): string {
    if (!isScalar(node) || typeof node.value !== "string" || node.value.trim() === "")
      this.fail(node, `${key} must be a non-empty string`);
    return node.value.trim();
  }
}

function readModule(r: ConfigReader, name: string, nameNode: Node | null, node: Node | null): ExporterModule {
  if (!isMap(node)) r.fail(node ?? nameNode, `modules.${name} must be a mapping of module keys`);
  const mod: ExporterModule = { name, allowedTargets: [] };
  const seen = new Set<ModuleKey>();
  for (const pair of node.items) {
    const keyNode = pair.key as Node | null;
    const key = isScalar(keyNode) ? String(keyNode.value) : "";
    if (!(MODULE_KEYS as readonly string[]).includes(key)) r.fail(keyNode, `modules.${name}: unknown key "${key}"`);
    seen.add(key as ModuleKey);
    const value = pair.value as Node | null;
    const where = `modules.${name}.${key}`;
    switch (key as ModuleKey) {
      case "allowed_targets": {
        if (!isSeq(value) || value.items.length === 0)
          r.fail(value ?? keyNode, `${where} must be a non-empty list of HOST:PORT patterns`);
        for (const item of value.items as Array<Node | null>) {
          const pattern = parsePattern(r.string(item, where));
          if (typeof pattern === "string")
            r.fail(
              item,
              `${where}: ${pattern}`,
              "Write HOST:PORT, a glob like db-*.internal:5432, or a CIDR like 10.0.0.0/8:5432.",
            );
          mod.allowedTargets.push(pattern);
        }
        break;
      }
      case "sslrootcert": {
        const v = r.string(value, where);
        const file = v === "system" || isAbsolute(v) ? v : resolve(dirname(r.path), v);
        if (file !== "system") {
          try {
            accessSync(file, constants.R_OK);
          } catch (err) {
            r.fail(value, `${where}: cannot read ${file}: ${errorMessage(err)}`, "Give the CA file the clients trust.");
          }
        }
        mod.sslrootcert = file;
        break;
      }
      case "servername":
        mod.servername = r.string(value, where);
        break;
      case "min_tls_version": {
        const v = parseLibpqTlsVersion(r.string(value, where));
        if (v === null) r.fail(value, `${where} is not a TLS version`, `Use one of ${TLS_VERSIONS.join(", ")}.`);
        mod.minTlsVersion = v;
        break;
      }
      case "warn_days": {
        const v = isScalar(value) ? value.value : undefined;
        if (typeof v !== "number" || !Number.isInteger(v) || v < 0)
          r.fail(value ?? keyNode, `${where} must be a whole number of days, 0 or more`);
        mod.warnDays = v;
        break;
      }
    }
  }
  if (!seen.has("allowed_targets"))
    r.fail(
      nameNode,
      `modules.${name} has no allowed_targets: it could probe nothing`,
      "List the HOST:PORT patterns it may probe.",
    );
  return mod;
}

/** Reads and checks the configuration file. */
export function loadConfig(path: string): ExporterConfig {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    throw new UsageError(
      `cannot read --config ${path}: ${errorMessage(err)}`,
      "Give the exporter's YAML modules file.",
    );
  }
  const r: ConfigReader = new ConfigReader(path, text);
  const root = r.parse();
  if (!isMap(root)) r.fail(root, "the file must be a mapping with a modules: key");
  const modules = new Map<string, ExporterModule>();
  const warnings: string[] = [];
  for (const pair of root.items) {
    const keyNode = pair.key as Node | null;
    const key = isScalar(keyNode) ? String(keyNode.value) : "";
    if (key !== "modules") r.fail(keyNode, `unknown key "${key}" (only modules:)`);
    const value = pair.value as Node | null;
    if (!isMap(value) || value.items.length === 0) r.fail(value ?? keyNode, "modules must map module names to modules");
    for (const m of value.items) {
      const nameNode = m.key as Node | null;
      const name = isScalar(nameNode) ? String(nameNode.value) : "";
      if (!MODULE_NAME.test(name)) r.fail(nameNode, `module name "${name}" must be letters, digits, ".", "_" or "-"`);
      const mod = readModule(r, name, nameNode, m.value as Node | null);
      modules.set(name, mod);
      for (const p of mod.allowedTargets)
        if (p.host("any-host.example") && p.host("203.0.113.7"))
          warnings.push(`module ${name}: allowed target "${p.text}" matches any host`);
    }
  }
  if (modules.size === 0) r.fail(root, "no modules defined");
  return { path, modules, warnings };
}
