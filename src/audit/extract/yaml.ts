// YAML and JSON, parsed once and walked once with the yaml library's document API (every node keeps its offset; a
// LineCounter turns offsets into line and column). What the walk understands:
// - docker-compose: each service's `environment:` (list or map) is an environment; service names, container names,
//   host names and aliases are containers on the same machine; a postgres service's `command: -c ssl=off`;
// - Kubernetes: a container's env list (and ECS's Environment/Secrets lists) is an environment, a ConfigMap's or
//   Secret's data (base64 decoded) too; `valueFrom`/`ValueFrom` values come from elsewhere;
// - CI pipelines (GitHub Actions, GitLab CI): env maps, and service containers that are throwaway databases;
// - any object whose keys hold connection parts (host, port, database, user, password, sslmode and its spellings,
//   an `ssl:` block, Langflow's `{value: x}` wrappers), assembled into one setting per object, a role sub-object
//   (ZITADEL's User and Admin) each its own setting;
// - strings that are connection strings, and text inside block scalars: JSON, YAML, .env content or a script.
import { basename } from "node:path";
import {
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  type Pair,
  parseAllDocuments,
  type Scalar,
  type YAMLMap,
  type YAMLSeq,
} from "yaml";
import { isConnectionSetting } from "../detect.js";
import type { EnvVar } from "../families.js";
import {
  assemble,
  type Candidate,
  clientOfDriver,
  isParamsBlockKey,
  isPostgresCandidate,
  isSslBlockKey,
  keyWords,
  normKey,
  roleOfKey,
} from "../parts.js";
import type {
  DeclaredServer,
  EnvironmentRecord,
  ExtractResult,
  FileProblem,
  PartName,
  PartRef,
  RawSetting,
  SettingContext,
  SourceKind,
} from "../types.js";
import { extractDotenvText, looksLikeDotenv } from "./dotenv.js";
import { readEnvironment } from "./environment.js";
import { extractTextUrls } from "./text.js";

interface Pos {
  line: number;
  column: number;
}

/** Where parsed text sits in the file: its first line and the columns added to its own (a block's indentation). */
interface Placement {
  line: number;
  column: number;
  /** Text with no line structure of its own (base64, a folded or quoted string): everything points here. */
  fixed?: Pos;
}

const MAX_EMBEDDING = 2;

/**
 * Application tags in YAML files the audit meets: CloudFormation's intrinsic functions (!Ref, !Sub, !GetAtt...),
 * GitLab's !reference, Ansible's !vault, Home Assistant's !secret and !include. Declared so that the parser keeps
 * them as tagged nodes without a warning each: the yaml library builds every warning as an Error with a stack
 * trace, and a 50 KB CloudFormation template holds hundreds of them (more time than the parse itself).
 */
const APP_TAGS = [
  "!Ref",
  "!Sub",
  "!GetAtt",
  "!Join",
  "!Select",
  "!Split",
  "!FindInMap",
  "!If",
  "!Not",
  "!Equals",
  "!And",
  "!Or",
  "!Base64",
  "!Cidr",
  "!ImportValue",
  "!GetAZs",
  "!Condition",
  "!Transform",
  "!ToJsonString",
  "!Length",
  "!reference",
  "!vault",
  "!unsafe",
  "!secret",
  "!include",
  "!env_var",
] as const;

const CUSTOM_TAGS = APP_TAGS.flatMap((tag) => [
  { tag, resolve: (s: string) => s },
  { tag, collection: "seq" as const, resolve: (n: unknown) => n },
  { tag, collection: "map" as const, resolve: (n: unknown) => n },
]);

/** The parser options every parse of the audit uses. */
function parseOptions(lineCounter: LineCounter) {
  return { lineCounter, uniqueKeys: false, strict: false, customTags: CUSTOM_TAGS } as const;
}

/** Keys whose value lists a container's variables (Kubernetes env, ECS Environment and Secrets, Helm extraEnv). */
const ENV_LIST_KEYS = new Set([
  "env",
  "environment",
  "secrets",
  "extraenv",
  "extraenvvars",
  "envvars",
  "additionalenv",
]);
/** Keys whose value maps variable names to values (compose environment, GitHub Actions env, GitLab variables). */
const ENV_MAP_KEYS = new Set(["env", "environment", "variables", "vars", "envvars", "extraenv", "extraenvvars"]);

function str(node: unknown): string | null {
  if (!isScalar(node)) return null;
  const v = node.value;
  if (v === null || v === undefined) return null;
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean" || typeof v === "bigint") return String(v);
  return null;
}

function get(map: unknown, key: string): unknown {
  return isMap(map) ? map.get(key, true) : undefined;
}

function keyText(pair: Pair): string {
  return isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
}

/** A CloudFormation-style tag (`!Ref X`, `!GetAtt A.B`): the value is computed at deploy time. */
function deployTimeTag(node: Scalar): string | null {
  const tag = node.tag;
  if (tag === undefined || tag.startsWith("tag:yaml.org,2002:") || tag === "!" || tag === "!Sub" || tag === "!unsafe")
    return null;
  return `${tag} ${String(node.value)}`;
}

function decodeBase64(s: string): string | null {
  const compact = s.replace(/\s+/g, "");
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact) || compact.length % 4 === 1) return null;
  const bytes = Buffer.from(compact, "base64");
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return null; // binary data (a keystore, a key): not a connection string
  }
}

/**
 * `/^\s*\{\{/m.test(text)` in linear time: that regex, tried at every line start of a file of blank lines, lets
 * `\s*` run over all the following lines each time (quadratic). Here each `{{` looks back over whitespace only.
 */
export function hasLineStartingWith(text: string, token: string): boolean {
  for (let at = text.indexOf(token); at >= 0; at = text.indexOf(token, at + 1)) {
    let i = at - 1;
    while (i >= 0 && /\s/.test(text[i] as string) && !"\n\r\u2028\u2029".includes(text[i] as string)) i--;
    if (i < 0 || "\n\r\u2028\u2029".includes(text[i] as string)) return true;
  }
  return false;
}

function isHelmValues(file: string): boolean {
  return /^values(?:[-.][\w.-]+)?\.ya?ml$/i.test(basename(file));
}

/** GitHub Actions workflows, GitLab CI and other pipelines whose databases are service containers. */
function isCiFile(file: string): boolean {
  const f = file.replace(/\\/g, "/");
  return (
    /(?:^|\/)\.github\/workflows\/[^/]+\.ya?ml$/.test(f) ||
    /(?:^|\/)\.gitlab-ci\.ya?ml$/.test(f) ||
    /(?:^|\/)\.circleci\/config\.ya?ml$/.test(f) ||
    /(?:^|\/)(?:bitbucket-pipelines|azure-pipelines|\.drone|\.woodpecker)\.ya?ml$/.test(f)
  );
}

/** What the file as a whole tells every setting in it. */
interface FileFacts {
  file: string;
  source: SourceKind;
  context: SettingContext;
  syntax?: "compose";
}

class Walker {
  readonly settings: RawSetting[] = [];
  readonly problems: FileProblem[] = [];
  readonly environments: EnvironmentRecord[] = [];
  readonly servers: DeclaredServer[] = [];
  /** Scalars a specific reader took (an environment, a part of an object): the generic look skips them. */
  private readonly taken = new Set<Node>();
  /** Maps and sequences read as environments. */
  private readonly handled = new Set<Node>();

  constructor(
    readonly text: string,
    readonly lc: LineCounter,
    readonly at: Placement,
    readonly depth: number,
    readonly facts: FileFacts,
  ) {}

  private place(p: Pos): Pos {
    if (this.at.fixed) return this.at.fixed;
    return { line: this.at.line + p.line - 1, column: this.at.column + p.column };
  }

  /** Position of a scalar's first character of content (inside quotes, on the first line of a block scalar). */
  pos(node: Node): Pos {
    const start = node.range?.[0] ?? 0;
    if (isScalar(node) && (node.type === "BLOCK_LITERAL" || node.type === "BLOCK_FOLDED")) {
      const body = this.blockBody(node);
      if (body) return this.place({ line: body.line, column: body.indent + 1 });
    }
    const p = this.lc.linePos(start);
    const quoted = isScalar(node) && (node.type === "QUOTE_DOUBLE" || node.type === "QUOTE_SINGLE");
    return this.place({ line: p.line, column: p.col + (quoted ? 1 : 0) });
  }

  /** First content line of a block scalar and its indentation, in this text's own lines. */
  private blockBody(node: Scalar): { line: number; indent: number } | null {
    const start = node.range?.[0] ?? 0;
    const end = node.range?.[1] ?? this.text.length;
    let nl = this.text.indexOf("\n", start);
    while (nl !== -1 && nl < end) {
      const lineStart = nl + 1;
      let i = lineStart;
      while (this.text[i] === " ") i++;
      if (this.text[i] !== "\n" && this.text[i] !== "\r" && i < this.text.length)
        return { line: this.lc.linePos(lineStart).line, indent: i - lineStart };
      nl = this.text.indexOf("\n", lineStart);
    }
    return null;
  }

  private base(extra: Partial<RawSetting> = {}): Pick<RawSetting, "file" | "source"> & Partial<RawSetting> {
    const b: Pick<RawSetting, "file" | "source"> & Partial<RawSetting> = {
      file: this.facts.file,
      source: this.facts.source,
      ...extra,
      context: { ...this.facts.context, ...extra.context },
    };
    if (this.facts.syntax) b.syntax = this.facts.syntax;
    return b;
  }

  // ---- documents -------------------------------------------------------------------------------------------

  document(root: unknown): void {
    if (isMap(root) && get(root, "apiVersion") !== undefined && get(root, "kind") !== undefined) {
      this.kubernetesObject(root, "");
      return;
    }
    const services = get(root, "services");
    if (isMap(root) && isMap(services) && !this.facts.context.ci) this.compose(services);
    else if (this.facts.context.ci && isMap(root)) this.ciServices(root);
    this.visit(root, "", []);
  }

  private kubernetesObject(obj: YAMLMap, path: string): void {
    const kind = str(get(obj, "kind"));
    if (kind === "List") {
      const items = get(obj, "items");
      if (isSeq(items))
        for (const [i, it] of items.items.entries()) if (isMap(it)) this.kubernetesObject(it, `${path}items[${i}].`);
      return;
    }
    if (kind === "ConfigMap" || kind === "Secret") {
      this.configData(obj, kind, path);
      return;
    }
    this.facts.source = "kubernetes-env";
    this.visit(obj, path.replace(/\.$/, ""), []);
  }

  /** A ConfigMap's or Secret's data: an environment (envFrom), each multi-line value a document of its own. */
  private configData(obj: YAMLMap, kind: "ConfigMap" | "Secret", path: string): void {
    const source: SourceKind = kind === "Secret" ? "kubernetes-secret" : "kubernetes-configmap";
    const name = str(get(get(obj, "metadata"), "name")) ?? "(unnamed)";
    const vars: Record<string, EnvVar> = {};
    const paths: Record<string, string> = {};
    const base64Keys = new Set<string>();
    for (const [field, b64] of [
      ["data", kind === "Secret"],
      ["stringData", false],
    ] as const) {
      const map = get(obj, field);
      if (!isMap(map)) continue;
      for (const pair of map.items) {
        const raw = str(pair.value);
        if (raw === null || !isScalar(pair.value)) continue;
        this.taken.add(pair.value);
        const value = b64 ? decodeBase64(raw) : raw;
        if (value === null) continue;
        const key = keyText(pair);
        const p = `${path}${field}.${key}`;
        if (value.includes("\n") || /^\s*[{[]/.test(value) || /\.(?:ya?ml|json|env|conf|ini|properties)$/i.test(key)) {
          this.embedded(pair.value, value, key, p, source, b64);
          continue;
        }
        const at = this.pos(pair.value);
        vars[key] = { value, line: at.line, column: at.column };
        paths[key] = p;
        if (b64) base64Keys.add(key);
      }
    }
    if (Object.keys(vars).length === 0) return;
    const first = Object.values(vars)[0] as EnvVar;
    const { settings, record } = readEnvironment({
      record: {
        id: `${kind.toLowerCase()}:${this.facts.file}#${name}`,
        file: this.facts.file,
        line: first.line,
        column: first.column,
        label: `${kind} ${name}`,
        kind: "configmap",
        host: null,
        isolated: true,
      },
      vars,
      source,
      extra: this.base(),
      pathOf: (k) => paths[k] ?? k,
    });
    for (const s of settings) if (s.variable !== undefined && base64Keys.has(s.variable)) s.base64 = true;
    this.push(settings, record);
  }

  private push(settings: RawSetting[], record?: EnvironmentRecord): void {
    this.settings.push(...settings);
    if (record) this.environments.push(record);
  }

  // ---- docker compose ---------------------------------------------------------------------------------------

  private compose(services: YAMLMap): void {
    this.facts.source = "compose";
    this.facts.syntax = "compose";
    const names: string[] = [];
    for (const pair of services.items) {
      names.push(keyText(pair));
      const svc = pair.value;
      for (const k of ["container_name", "hostname"]) {
        const v = str(get(svc, k));
        if (v) names.push(v);
      }
      const networks = get(svc, "networks");
      if (isMap(networks))
        for (const n of networks.items) {
          const aliases = get(n.value, "aliases");
          if (isSeq(aliases)) for (const a of aliases.items) if (str(a)) names.push(str(a) as string);
        }
    }
    this.facts.context = { ...this.facts.context, localNames: names };
    for (const pair of services.items) {
      const name = keyText(pair);
      const svc = pair.value;
      if (!isMap(svc)) continue;
      this.composeServer(svc, name);
      const env = get(svc, "environment");
      const vars: Record<string, EnvVar> = {};
      if (isSeq(env)) {
        this.handled.add(env);
        for (const item of env.items) {
          const s = str(item);
          if (s === null || !isScalar(item)) continue;
          this.taken.add(item);
          const eq = s.indexOf("=");
          if (eq <= 0) continue; // `- KEY` takes the value from the shell: nothing written here
          const at = this.pos(item);
          // In list form the value starts after `KEY=` inside the same scalar.
          vars[s.slice(0, eq)] = { value: s.slice(eq + 1), line: at.line, column: at.column + eq + 1 };
        }
      } else if (isMap(env)) {
        this.handled.add(env);
        for (const p of env.items) {
          const value = str(p.value);
          if (value === null || !isScalar(p.value)) continue; // `KEY:` with no value: from the shell
          this.taken.add(p.value);
          const at = this.pos(p.value);
          vars[keyText(p)] = { value, line: at.line, column: at.column };
        }
      }
      const at = this.pos(pair.key as Node);
      const { settings, record } = readEnvironment({
        record: {
          id: `compose:${this.facts.file}#${name}`,
          file: this.facts.file,
          line: at.line,
          column: at.column,
          label: `service ${name}`,
          kind: "compose-service",
          host: `compose:${this.facts.file}`,
          isolated: str(get(svc, "network_mode")) !== "host",
          ...this.composePlumbing(svc),
        },
        vars,
        source: "compose",
        extra: this.base(),
        pathOf: (k) => `services.${name}.environment.${k}`,
      });
      this.push(settings, record);
    }
  }

  /** Published host ports, host networking and volume mounts of a service. */
  private composePlumbing(svc: YAMLMap): Partial<EnvironmentRecord> {
    const out: Partial<EnvironmentRecord> = {};
    if (str(get(svc, "network_mode")) === "host") out.hostNetwork = true;
    const ports = get(svc, "ports");
    if (isSeq(ports)) {
      const published: NonNullable<EnvironmentRecord["publishedPorts"]> = [];
      for (const item of ports.items) {
        let port: string | null = null;
        if (isMap(item)) port = str(get(item, "published"));
        else {
          const s = str(item);
          // [ip:]host:container[/proto]; a single number publishes nothing fixed (a random host port).
          const parts = s?.replace(/\/\w+$/, "").split(":");
          if (parts && parts.length >= 2) port = parts[parts.length - 2] ?? null;
        }
        if (port && port !== "" && isScalar(item)) published.push({ port, ...this.pos(item) });
        else if (port && isMap(item)) published.push({ port, ...this.pos(item) });
      }
      if (published.length > 0) out.publishedPorts = published;
    }
    const volumes = get(svc, "volumes");
    if (isSeq(volumes)) {
      const mounts: NonNullable<EnvironmentRecord["mounts"]> = [];
      for (const item of volumes.items) {
        if (isMap(item)) {
          const source = str(get(item, "source"));
          const target = str(get(item, "target"));
          if (source && target) mounts.push({ source, target });
        } else {
          const [source, target] = (str(item) ?? "").split(":");
          if (source && target) mounts.push({ source, target });
        }
      }
      if (mounts.length > 0) out.mounts = mounts;
    }
    return out;
  }

  /** A PostgreSQL service whose command line sets `ssl` (`postgres -c ssl=off`). */
  private composeServer(svc: YAMLMap, name: string): void {
    const image = str(get(svc, "image")) ?? "";
    if (!/postgres|postgis|timescale|pgvector|supabase\/postgres/i.test(image)) return;
    const command = get(svc, "command");
    const words: Array<{ text: string; node: Node }> = [];
    if (isSeq(command)) {
      for (const item of command.items)
        if (isScalar(item) && str(item) !== null) words.push({ text: str(item) as string, node: item });
    } else if (isScalar(command) && str(command) !== null) words.push({ text: str(command) as string, node: command });
    const joined = words.map((w) => w.text).join(" ");
    const m = /(?:^|\s)(?:-c\s*|--)ssl\s*=\s*(on|off|true|false|yes|no|1|0)\b/i.exec(joined);
    if (!m) return;
    const node = words.find((w) => /ssl\s*=/.test(w.text))?.node ?? (command as Node);
    const at = this.pos(node);
    const on = /^(?:on|true|yes|1)$/i.test(m[1] as string);
    this.servers.push({
      file: this.facts.file,
      ...at,
      name,
      ssl: on ? "on" : "off",
      option: m[0].trim(),
    });
  }

  /** CI service containers (GitHub Actions `jobs.*.services`, GitLab `services:`): reachable by name or localhost. */
  private ciServices(root: YAMLMap): void {
    const names: string[] = [];
    const jobs = get(root, "jobs");
    if (isMap(jobs))
      for (const j of jobs.items) {
        const services = get(j.value, "services");
        if (isMap(services)) for (const s of services.items) names.push(keyText(s));
      }
    const collect = (services: unknown) => {
      if (!isSeq(services)) return;
      for (const s of services.items) {
        const image = str(s) ?? str(get(s, "name"));
        const alias = str(get(s, "alias"));
        if (alias) names.push(...alias.split(","));
        // GitLab's default alias: the image name without registry path and tag.
        if (image) names.push(image.replace(/:.*$/, "").split("/").pop() as string);
      }
    };
    collect(get(root, "services"));
    for (const p of root.items) collect(get(p.value, "services"));
    this.facts.context = { ...this.facts.context, localNames: names };
  }

  // ---- the generic walk -----------------------------------------------------------------------------------

  private visit(node: unknown, path: string, words: readonly string[]): void {
    if (isMap(node)) this.visitMap(node, path, words);
    else if (isSeq(node)) {
      if (this.handled.has(node)) return;
      for (const [i, item] of node.items.entries()) {
        const p = `${path}[${i}]`;
        if (isScalar(item)) {
          if (!this.taken.has(item) && typeof item.value === "string") this.scalar(item, item.value, undefined, p);
        } else this.visit(item, p, words);
      }
    }
  }

  private visitMap(map: YAMLMap, path: string, words: readonly string[]): void {
    if (this.handled.has(map)) return;
    this.environmentLists(map, path);
    this.environmentMaps(map, path);
    this.parts(map, path, words);
    for (const pair of map.items) {
      const key = keyText(pair);
      const child = pair.value;
      const p = path ? `${path}.${key}` : key;
      if (isScalar(child)) {
        if (this.taken.has(child)) continue;
        const value = str(child);
        if (value !== null && typeof child.value === "string") this.scalar(child, value, key, p);
      } else if (child && !this.handled.has(child as Node))
        this.visit(child, p, [...words, ...keyWords(key)].slice(-3));
    }
  }

  /** A string value: one setting, or, for multi-line or structured text, the settings inside it. */
  private scalar(node: Scalar, value: string, key: string | undefined, path: string): void {
    if (value.includes("\n") || (/^\s*[{[]/.test(value) && value.length > 20)) {
      this.embedded(node, value, key ?? "", path, this.facts.source, false);
      return;
    }
    if (!isConnectionSetting(key, value)) return;
    const at = this.pos(node);
    const s: RawSetting = { ...this.base(), line: at.line, column: at.column, value, path };
    if (key !== undefined) s.variable = key;
    this.settings.push(s);
  }

  /** `env:`/`Environment:`/`Secrets:` lists of `{name, value}` (or `valueFrom`) under one map: one environment. */
  private environmentLists(map: YAMLMap, path: string): void {
    const vars: Record<string, EnvVar> = {};
    const paths: Record<string, string> = {};
    let first: Node | undefined;
    for (const pair of map.items) {
      const key = keyText(pair);
      const seq = pair.value;
      if (!ENV_LIST_KEYS.has(normKey(key)) || !isSeq(seq) || seq.items.length === 0 || this.handled.has(seq)) continue;
      const entries = seq.items.filter((i): i is YAMLMap => isMap(i) && str(get(i, "name") ?? get(i, "Name")) !== null);
      if (entries.length === 0) continue;
      this.handled.add(seq);
      for (const [i, it] of (seq as YAMLSeq).items.entries()) {
        if (!isMap(it)) continue;
        const name = str(get(it, "name") ?? get(it, "Name"));
        if (name === null) continue;
        const v = get(it, "value") ?? get(it, "Value");
        const from = get(it, "valueFrom") ?? get(it, "ValueFrom");
        const p = `${path ? `${path}.` : ""}${key}[${i}]`;
        paths[name] = p;
        if (isScalar(v) && str(v) !== null) {
          this.taken.add(v);
          const tag = deployTimeTag(v);
          const at = this.pos(v);
          vars[name] = { value: str(v) as string, line: at.line, column: at.column, ...(tag ? { from: tag } : {}) };
          first ??= v;
        } else if (from !== undefined) {
          const at = this.pos(it);
          vars[name] = { value: "", line: at.line, column: at.column, from: describeFrom(from) };
          first ??= it;
        }
      }
    }
    if (first === undefined) return;
    const at = this.pos(first);
    const name = str(get(map, "name")) ?? str(get(map, "Name")) ?? (path || "(root)");
    const { settings, record } = readEnvironment({
      record: {
        id: `container:${this.facts.file}#${path}`,
        file: this.facts.file,
        line: at.line,
        column: at.column,
        label: `container ${name}`,
        kind: "container",
        host: null,
        isolated: true,
      },
      vars,
      source: this.facts.source,
      extra: this.base(),
      pathOf: (k) => paths[k] ?? k,
    });
    this.push(settings, record);
  }

  /** `env:` maps of variable names (GitHub Actions, GitLab variables, Helm `env:` values). */
  private environmentMaps(map: YAMLMap, path: string): void {
    for (const pair of map.items) {
      const key = keyText(pair);
      const env = pair.value;
      if (!ENV_MAP_KEYS.has(normKey(key)) || !isMap(env) || this.handled.has(env)) continue;
      const names = env.items.map(keyText);
      if (names.length === 0 || !names.every((n) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(n))) continue;
      this.handled.add(env);
      const vars: Record<string, EnvVar> = {};
      for (const p of env.items) {
        const value = str(p.value);
        if (value === null || !isScalar(p.value)) continue;
        this.taken.add(p.value);
        const at = this.pos(p.value);
        vars[keyText(p)] = { value, line: at.line, column: at.column };
      }
      if (Object.keys(vars).length === 0) continue;
      const at = this.pos(pair.key as Node);
      const where = path ? `${path}.${key}` : key;
      const { settings, record } = readEnvironment({
        record: {
          id: `env:${this.facts.file}#${where}`,
          file: this.facts.file,
          line: at.line,
          column: at.column,
          label: where,
          kind: "other",
          host: null,
          isolated: true,
        },
        vars,
        source: this.facts.source,
        extra: this.base(),
        pathOf: (k) => `${where}.${k}`,
      });
      this.push(settings, record);
    }
  }

  // ---- objects holding connection parts ----------------------------------------------------------------------

  /** A part's value: a scalar, or Langflow's `{value: x}` / `{valueFrom: ...}` wrapper. */
  private partValue(node: unknown): { value: string; from?: string; node: Node } | null {
    if (isScalar(node)) {
      const v = str(node);
      if (v === null) return null;
      const tag = deployTimeTag(node);
      return tag ? { value: "", from: tag, node } : { value: v, node };
    }
    if (isMap(node)) {
      const v = get(node, "value");
      if (isScalar(v) && str(v) !== null) return { value: str(v) as string, node: v };
      const from = get(node, "valueFrom") ?? get(node, "secretKeyRef");
      if (from !== undefined) return { value: "", from: describeFrom(from), node };
    }
    return null;
  }

  private parts(map: YAMLMap, path: string, words: readonly string[]): void {
    if (this.partsDone.has(map)) return;
    // An ssl/tls or parameters block belongs to the object that holds it (collect merges it): never one of its own.
    for (const pair of map.items)
      if (isMap(pair.value) && (isSslBlockKey(keyText(pair)) || isParamsBlockKey(keyText(pair))))
        this.partsDone.add(pair.value);
    const own = this.collect(map);
    if (own === null) return;
    // The object's own key and its parent's say what it is about (`redis.auth` is not PostgreSQL's).
    const objectWords = words.slice(-3);
    // Role sub-objects (ZITADEL's User and Admin: a user name or password, no host): one setting each, with the
    // server's parts of this object.
    const roles: Array<{ key: string; c: ReturnType<Walker["collect"]>; map: YAMLMap }> = [];
    for (const pair of map.items) {
      if (!isMap(pair.value) || isSslBlockKey(keyText(pair)) || isParamsBlockKey(keyText(pair))) continue;
      const c = this.collect(pair.value);
      if (c === null || c.parts.host !== undefined || (c.parts.user === undefined && c.parts.password === undefined))
        continue;
      roles.push({ key: keyText(pair), c, map: pair.value });
    }
    const inactive = this.inactive(map, path);
    const emit = (c: NonNullable<ReturnType<Walker["collect"]>>, p: string) => {
      const candidate: Candidate = { ...c, words: objectWords, client: this.clientOf(c) };
      const { nodes: _nodes, ...rest } = c;
      void _nodes;
      Object.assign(candidate, rest);
      if (!isPostgresCandidate(candidate)) return false;
      const s = assemble(candidate, this.base({ path: p, ...(inactive ? { context: { inactive } } : {}) }));
      s.variable = p.split(".").pop() ?? p;
      this.settings.push(s);
      for (const n of c.nodes) this.taken.add(n);
      return true;
    };
    if (roles.length > 0 && (own.parts.host !== undefined || own.parts.port !== undefined)) {
      for (const r of roles) {
        this.partsDone.add(r.map);
        const merged = r.c as NonNullable<typeof r.c>;
        for (const k of ["host", "hostaddr", "port", "dbname"] as const)
          if (merged.parts[k] === undefined && own.parts[k] !== undefined) merged.parts[k] = own.parts[k];
        merged.driver ??= own.driver;
        merged.nodes.push(...own.nodes);
        emit(merged, `${path}.${r.key}`);
      }
      if (own.parts.user === undefined && own.parts.password === undefined) {
        for (const n of own.nodes) this.taken.add(n);
        return;
      }
    }
    emit(own, path || "(root)");
  }

  /**
   * The client: the one a driver value names (Langflow's chart: `driver: postgresql`, read by SQLAlchemy and
   * psycopg), pgx for ZITADEL's keys (Database.Postgres with User/Admin and SSL.Mode), else unknown.
   */
  private clientOf(c: { parts: Partial<Record<PartName, PartRef>>; driver?: PartRef }): Candidate["client"] {
    const byDriver = clientOfDriver(c.driver?.value);
    if (byDriver !== null) return byDriver;
    const ssl = c.parts.sslmode?.key ?? "";
    return /(?:^|\.)SSL\.Mode$/.test(ssl) ? "pgx" : "unknown";
  }

  /** Role sub-objects already read with their server's parts. */
  private readonly partsDone = new Set<YAMLMap>();

  /** The parts one map holds (its ssl/tls block and libpq parameter block merged in), or null if none. */
  private collect(map: YAMLMap): (Omit<Candidate, "words" | "client"> & { nodes: Node[] }) | null {
    // A container or compose service (`image: name:tag`) has host names and ports of its own, not a connection's.
    if (isScalar(map.get("image", true))) return null;
    const c: Omit<Candidate, "words" | "client"> & { nodes: Node[] } = { parts: {}, extraSecrets: [], nodes: [] };
    let found = 0;
    const take = (key: string, node: unknown, inSsl: boolean, shown: string) => {
      const role = roleOfKey(key, inSsl);
      if (role === null || role.kind === "enabled") return;
      const v = this.partValue(node);
      if (v === null) return;
      const at = this.pos(v.node);
      const ref: PartRef = {
        key: shown,
        line: at.line,
        column: at.column,
        value: v.value,
        ...(v.from ? { from: v.from } : {}),
      };
      if (role.kind === "part") {
        if (c.parts[role.part] !== undefined) return;
        c.parts[role.part] = ref;
      } else if (role.kind === "secret") {
        if (v.value.trim() === "") return;
        c.extraSecrets.push(ref);
      } else if (role.kind === "driver") c.driver = ref;
      else if (role.kind === "ssl-switch") c.sslSwitch = ref;
      else if (role.kind === "ssl-verify") c.sslVerify = ref;
      c.nodes.push(v.node);
      found++;
    };
    for (const pair of map.items) {
      const key = keyText(pair);
      const child = pair.value;
      if (isMap(child) && (isSslBlockKey(key) || isParamsBlockKey(key))) {
        const inSsl = isSslBlockKey(key);
        for (const q of child.items) take(keyText(q), q.value, inSsl, `${key}.${keyText(q)}`);
        continue;
      }
      take(key, child, false, key);
    }
    if (found === 0) return null;
    // A driver key alone (`type: internal`) is not a connection.
    if (Object.keys(c.parts).length === 0 && c.extraSecrets.length === 0) return null;
    return c;
  }

  /**
   * Why a block is not used as written: `enabled: false` in it; Bitnami's `externalDatabase` while the chart's own
   * `postgresql.enabled` is true; Harbor's `database.external` while `database.type` is not `external`.
   */
  private inactive(map: YAMLMap, path: string): string | undefined {
    const off = (m: unknown, at: string) => {
      const enabled = str(get(m, "enabled"));
      return enabled !== null && /^(?:false|no|off|0)$/i.test(enabled)
        ? `${at ? `${at}.` : ""}enabled is ${enabled}`
        : undefined;
    };
    const parentPath = path.includes(".") ? path.slice(0, path.lastIndexOf(".")) : "";
    const own = off(map, path) ?? (path.includes(".") ? off(this.lookup(parentPath), parentPath) : undefined);
    if (own) return own;
    const last = path.split(".").pop() ?? "";
    if (normKey(last) === "externaldatabase" && this.root) {
      const pg = str(get(get(this.root, "postgresql"), "enabled"));
      if (pg !== null && /^(?:true|yes|on|1)$/i.test(pg))
        return "postgresql.enabled is true: the chart deploys and uses its own PostgreSQL";
    }
    if (normKey(last) === "external" && path.includes(".")) {
      const parent = this.lookup(parentPath);
      const type = str(get(parent, "type"));
      if (type !== null && type.toLowerCase() !== "external") return `${parentPath}.type is ${type}`;
    }
    return undefined;
  }

  /** The document's root map, for layout rules that look across the tree (set per document). */
  root: YAMLMap | undefined;

  private lookup(path: string): unknown {
    let node: unknown = this.root;
    for (const k of path.split(".")) node = get(node, k);
    return node;
  }

  // ---- text inside a value ------------------------------------------------------------------------------------

  /** JSON, YAML, .env content or a script inside a block scalar, a ConfigMap value or a Secret's base64 data. */
  embedded(node: Scalar, value: string, key: string, path: string, source: SourceKind, base64: boolean): void {
    // Only a literal block keeps the source's line structure; anything else points at the value.
    const at = this.pos(node);
    const literal = node.type === "BLOCK_LITERAL" && !base64 && !this.at.fixed;
    const body = literal ? this.bodyPlacement(node) : null;
    const placement: Placement = body ?? { line: at.line, column: 0, fixed: at };
    const extra: Partial<RawSetting> = { path };
    if (base64) extra.base64 = true;
    const trimmed = value.trimStart();
    const structured =
      /\.(?:json|ya?ml)$/i.test(key) ||
      trimmed.startsWith("{") ||
      trimmed.startsWith("[") ||
      (/^[A-Za-z_][\w.-]*:(?:\s|$)/m.test(trimmed) && !looksLikeDotenv(value));
    if (structured && this.depth < MAX_EMBEDDING) {
      const r = parseStructured(value, { ...this.facts, source }, placement, this.depth + 1, extra);
      if (r !== null) {
        this.settings.push(...r.settings);
        this.environments.push(...(r.environments ?? []));
        this.servers.push(...(r.servers ?? []));
        return;
      }
    }
    if (/\.env$/i.test(key) || looksLikeDotenv(value)) {
      const r = extractDotenvText(
        value,
        this.facts.file,
        source,
        body ? { line: body.line, column: body.column } : { line: at.line, column: 0, fixed: at },
        { ...extra, context: this.facts.context },
        {
          id: `dotenv:${this.facts.file}#${path}`,
          label: `${path} (.env content)`,
          kind: "configmap",
          host: null,
          isolated: true,
          context: this.facts.context,
        },
      );
      this.push(r.settings);
      this.environments.push(...(r.environments ?? []));
      this.problems.push(...r.problems);
      return;
    }
    const r = extractTextUrls(value, this.facts.file, source, body ?? at, { ...extra, context: this.facts.context });
    if (!body) for (const s of r.settings) Object.assign(s, at);
    this.push(r.settings);
    this.environments.push(...(r.environments ?? []));
  }

  private bodyPlacement(node: Scalar): Placement | null {
    const b = this.blockBody(node);
    if (b === null) return null;
    return { line: this.at.line + b.line - 1, column: this.at.column + b.indent };
  }
}

function describeFrom(from: unknown): string {
  const ref = get(from, "secretKeyRef") ?? get(from, "configMapKeyRef");
  const name = str(get(ref, "name"));
  const key = str(get(ref, "key"));
  if (name !== null)
    return `${isMap(get(from, "configMapKeyRef")) ? "ConfigMap" : "Secret"} ${name}${key ? `, key ${key}` : ""}`;
  const s = str(from);
  if (s !== null) return s.length > 60 ? `${s.slice(0, 57)}...` : s;
  return "a reference resolved at deploy time";
}

/** Parses YAML or JSON text and walks every document; null when it does not parse (the caller reads it as text). */
function parseStructured(
  text: string,
  facts: FileFacts,
  placement: Placement,
  depth: number,
  extra: Partial<RawSetting>,
): ExtractResult | null {
  const lc = new LineCounter();
  const docs = parseAllDocuments(text, parseOptions(lc));
  const list = Array.isArray(docs) ? docs : [];
  if (list.length === 0 || list.some((d) => d.errors.length > 0)) return null;
  if (!list.some((d) => isMap(d.contents) || isSeq(d.contents))) return null;
  const w = new Walker(text, lc, placement, depth, { ...facts, context: { ...facts.context } });
  for (const doc of list) {
    w.root = isMap(doc.contents) ? doc.contents : undefined;
    w.document(doc.contents);
  }
  for (const s of w.settings) {
    if (extra.base64) s.base64 = true;
    // The document's own root object is named by the key that holds the document (SecretString, config.yaml).
    if (s.variable === "(root)" && extra.path) s.variable = extra.path.split(".").pop() ?? extra.path;
    if (extra.path && s.path && s.path !== "(root)") s.path = `${extra.path}:${s.path}`;
    else if (extra.path) s.path = extra.path;
  }
  return { settings: w.settings, problems: w.problems, environments: w.environments, servers: w.servers };
}

/** Quick look for anything a PostgreSQL setting needs: files without it are not parsed at all. */
const INTERESTING =
  /postgres|pgsql|psql|sslmode|ssl_mode|sslrootcert|database|jdbc|5432|6432|PG[A-Z]{4}|DB_|\bdb\b|_db\b|dbname|rds|SKILLFLAW|LANGFLOW/i;

export function extractYaml(text: string, file: string, json = false): ExtractResult {
  // Helm templates (`{{ ... }}` outside strings) are not YAML until rendered; their plain text still holds URLs.
  if (!json && /\/templates\//.test(`/${file.replace(/\\/g, "/")}`) && hasLineStartingWith(text, "{{"))
    return extractTextUrls(text, file, "yaml", undefined, { syntax: "shell" });
  if (!INTERESTING.test(text)) return { settings: [], problems: [] };
  const ci = isCiFile(file);
  const facts: FileFacts = {
    file,
    source: json ? "json" : isHelmValues(file) ? "helm-values" : "yaml",
    context: ci ? { ci: true } : {},
  };
  const lc = new LineCounter();
  const docs = parseAllDocuments(text, parseOptions(lc));
  const list = Array.isArray(docs) ? docs : [];
  const out: ExtractResult = { settings: [], problems: [], environments: [], servers: [] };
  for (const doc of list) {
    const err = doc.errors[0];
    if (err) {
      const at = err.linePos?.[0];
      out.problems.push({
        file,
        ...(at ? { line: at.line, column: at.col } : {}),
        kind: "unparseable",
        message: `${json ? "JSON" : "YAML"} syntax error: ${err.message.split("\n")[0]}`,
      });
      continue;
    }
    const w = new Walker(text, lc, { line: 1, column: 0 }, 0, { ...facts, context: { ...facts.context } });
    w.root = isMap(doc.contents) ? doc.contents : undefined;
    w.document(doc.contents);
    out.settings.push(...w.settings);
    out.problems.push(...w.problems);
    out.environments?.push(...w.environments);
    out.servers?.push(...w.servers);
  }
  // In file order, as a reader reads the file (the walk visits a map's environments before its keys).
  out.settings.sort((a, b) => a.line - b.line || a.column - b.column);
  return out;
}
