// YAML: docker-compose `environment:` (list and map), Kubernetes manifests (container env, ConfigMap data, Secret
// data (base64) and stringData, List), Helm values and any other YAML. The `yaml` package keeps every node's
// offset, and a LineCounter turns offsets into line and column.
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
} from "yaml";
import { isConnectionSetting } from "../detect.js";
import type { ExtractResult, FileProblem, RawSetting, SourceKind } from "../types.js";
import { extractDotenvText, looksLikeDotenv } from "./dotenv.js";
import { extractTextUrls } from "./text.js";

interface Pos {
  line: number;
  column: number;
}

type Siblings = Record<string, { value: string; line: number }>;

class YamlFile {
  readonly settings: RawSetting[] = [];
  readonly problems: FileProblem[] = [];
  /** Scalars already taken by a specific reader (env list, compose, ConfigMap), so the generic walk skips them. */
  readonly taken = new Set<Node>();
  constructor(
    readonly text: string,
    readonly file: string,
    readonly lc: LineCounter,
  ) {}

  /** Position of a scalar's first character of content (inside quotes, on the first line of a block scalar). */
  pos(node: Scalar): Pos {
    const start = node.range?.[0] ?? 0;
    if (node.type === "BLOCK_LITERAL" || node.type === "BLOCK_FOLDED") {
      const body = this.blockBody(node);
      if (body) return { line: body.line, column: body.indent + 1 };
    }
    const p = this.lc.linePos(start);
    const quoted = node.type === "QUOTE_DOUBLE" || node.type === "QUOTE_SINGLE";
    return { line: p.line, column: p.col + (quoted ? 1 : 0) };
  }

  /** First content line of a block scalar and its indentation. */
  blockBody(node: Scalar): { line: number; indent: number } | null {
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

  /** A string value: one setting, or, for multi-line text, the settings inside it. */
  add(
    node: Scalar,
    value: string,
    meta: { variable?: string; path?: string; source: SourceKind; base64?: boolean; siblings?: Siblings },
    force = false,
  ): void {
    this.taken.add(node);
    const at = this.pos(node);
    if (value.includes("\n")) {
      this.addEmbedded(node, value, meta, at);
      return;
    }
    if (!force && !isConnectionSetting(meta.variable, value)) return;
    const s: RawSetting = { file: this.file, line: at.line, column: at.column, source: meta.source, value };
    if (meta.variable !== undefined) s.variable = meta.variable;
    if (meta.path !== undefined) s.path = meta.path;
    if (meta.base64) s.base64 = true;
    if (meta.siblings) s.siblings = meta.siblings;
    this.settings.push(s);
  }

  /** A ConfigMap `app.env: |` block, a Secret holding a whole .env file, a script in a block scalar. */
  private addEmbedded(
    node: Scalar,
    value: string,
    meta: { path?: string; source: SourceKind; base64?: boolean },
    at: Pos,
  ) {
    // Only a literal block keeps the source's line structure; anything else (base64, folded, quoted) points at the value.
    const body = node.type === "BLOCK_LITERAL" && !meta.base64 ? this.blockBody(node) : null;
    const extra: Partial<RawSetting> = {};
    if (meta.path !== undefined) extra.path = meta.path;
    if (meta.base64) extra.base64 = true;
    const r = looksLikeDotenv(value)
      ? extractDotenvText(
          value,
          this.file,
          meta.source,
          body ? { line: body.line, column: body.indent } : { line: at.line, column: 0, fixed: at },
          extra,
        )
      : extractTextUrls(value, this.file, meta.source, body ? { line: body.line, column: body.indent } : at, extra);
    if (!body && !looksLikeDotenv(value)) for (const s of r.settings) Object.assign(s, at);
    this.settings.push(...r.settings);
    this.problems.push(...r.problems);
  }
}

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

/** A sequence of `{name, value}` maps: Kubernetes container env, and the same shape in Helm values. */
function readEnvList(y: YamlFile, seq: unknown, path: string, source: SourceKind): boolean {
  if (!isSeq(seq) || seq.items.length === 0) return false;
  const items = seq.items.filter((i): i is YAMLMap => isMap(i) && str(get(i, "name")) !== null);
  if (items.length === 0) return false;
  const siblings: Siblings = {};
  for (const it of items) {
    const name = str(get(it, "name"));
    const v = get(it, "value");
    if (name !== null && isScalar(v) && str(v) !== null)
      siblings[name] = { value: str(v) as string, line: y.lc.linePos(v.range?.[0] ?? 0).line };
  }
  for (const [i, it] of items.entries()) {
    const name = str(get(it, "name")) ?? undefined;
    const v = get(it, "value");
    if (!isScalar(v)) continue;
    const value = str(v);
    if (value === null) continue;
    y.add(v, value, { ...(name ? { variable: name } : {}), path: `${path}[${i}]`, source, siblings });
  }
  return true;
}

/** docker compose `environment:` as a list (`- KEY=value`) or a map (`KEY: value`); `$$` is a literal `$`. */
function readComposeEnvironment(y: YamlFile, env: unknown, path: string): void {
  const literalDollars = (s: string) => s.replace(/\$\$/g, () => "$");
  const siblings: Siblings = {};
  const entries: Array<{ node: Scalar; key: string; value: string; list: boolean }> = [];
  if (isSeq(env)) {
    for (const item of env.items) {
      const s = str(item);
      if (s === null || !isScalar(item)) continue;
      const eq = s.indexOf("=");
      if (eq <= 0) continue; // `- KEY` takes the value from the shell: nothing written here
      entries.push({ node: item, key: s.slice(0, eq), value: literalDollars(s.slice(eq + 1)), list: true });
    }
  } else if (isMap(env)) {
    for (const pair of env.items) {
      const value = str(pair.value);
      if (value === null || !isScalar(pair.value)) continue; // `KEY:` with no value: from the shell
      entries.push({ node: pair.value, key: keyText(pair), value: literalDollars(value), list: false });
    }
  }
  for (const e of entries) siblings[e.key] = { value: e.value, line: y.pos(e.node).line };
  for (const e of entries) {
    if (!isConnectionSetting(e.key, e.value)) {
      y.taken.add(e.node);
      continue;
    }
    y.taken.add(e.node);
    const at = y.pos(e.node);
    // In list form the value starts after `KEY=` inside the same scalar.
    const column = e.list ? at.column + e.key.length + 1 : at.column;
    y.settings.push({
      file: y.file,
      line: at.line,
      column,
      variable: e.key,
      path: `${path}.${e.key}`,
      source: "compose",
      value: e.value,
      siblings,
    });
  }
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

function readKubernetesObject(y: YamlFile, obj: YAMLMap, path: string): void {
  const kind = str(get(obj, "kind"));
  if (kind === "List") {
    const items = get(obj, "items");
    if (isSeq(items))
      for (const [i, it] of items.items.entries()) if (isMap(it)) readKubernetesObject(y, it, `${path}items[${i}].`);
    return;
  }
  if (kind === "ConfigMap" || kind === "Secret") {
    const data = get(obj, "data");
    const stringData = get(obj, "stringData");
    const source: SourceKind = kind === "Secret" ? "kubernetes-secret" : "kubernetes-configmap";
    const decoded: Array<{ node: Scalar; key: string; value: string; base64: boolean; field: string }> = [];
    for (const [field, map, b64] of [
      ["data", data, kind === "Secret"],
      ["stringData", stringData, false],
    ] as const) {
      if (!isMap(map)) continue;
      for (const pair of map.items) {
        const raw = str(pair.value);
        if (raw === null || !isScalar(pair.value)) continue;
        const value = b64 ? decodeBase64(raw) : raw;
        y.taken.add(pair.value);
        if (value === null) continue;
        decoded.push({ node: pair.value, key: keyText(pair), value, base64: b64, field });
      }
    }
    // envFrom: the whole ConfigMap/Secret becomes the container's environment, so its keys are siblings.
    const siblings: Siblings = {};
    for (const d of decoded) siblings[d.key] = { value: d.value, line: y.pos(d.node).line };
    for (const d of decoded)
      y.add(d.node, d.value, {
        variable: d.key,
        path: `${path}${d.field}.${d.key}`,
        source,
        ...(d.base64 ? { base64: true } : {}),
        siblings,
      });
    return;
  }
  walk(y, obj, path.replace(/\.$/, ""), "kubernetes-env", true);
}

/** Every other string: a setting when its key names a URL variable or its value is a connection string. */
function walk(y: YamlFile, node: unknown, path: string, source: SourceKind, envLists: boolean): void {
  if (isMap(node)) {
    for (const pair of node.items) {
      const key = keyText(pair);
      const child = pair.value;
      const p = path ? `${path}.${key}` : key;
      if (envLists && isSeq(child) && readEnvList(y, child, p, source)) {
        walk(y, child, p, source, envLists); // `valueFrom` etc. still get the generic look
        continue;
      }
      if (isScalar(child)) {
        if (y.taken.has(child)) continue;
        const value = str(child);
        if (value !== null && typeof child.value === "string") y.add(child, value, { variable: key, path: p, source });
      } else walk(y, child, p, source, envLists);
    }
  } else if (isSeq(node)) {
    for (const [i, item] of node.items.entries()) {
      const p = `${path}[${i}]`;
      if (isScalar(item)) {
        if (y.taken.has(item) || typeof item.value !== "string") continue;
        y.add(item, item.value, { path: p, source });
      } else walk(y, item, p, source, envLists);
    }
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

export function extractYaml(text: string, file: string): ExtractResult {
  const lc = new LineCounter();
  const y = new YamlFile(text, file, lc);
  // Helm templates (`{{ ... }}` outside strings) are not YAML until rendered; their plain text still holds URLs.
  if (/\/templates\//.test(file.replace(/\\/g, "/")) && hasLineStartingWith(text, "{{")) {
    return extractTextUrls(text, file, "yaml");
  }
  const docs = parseAllDocuments(text, { lineCounter: lc, uniqueKeys: false, strict: false });
  const list = Array.isArray(docs) ? docs : [];
  for (const doc of list) {
    const err = doc.errors[0];
    if (err) {
      const at = err.linePos?.[0];
      y.problems.push({
        file,
        ...(at ? { line: at.line, column: at.col } : {}),
        kind: "unparseable",
        message: `YAML syntax error: ${err.message.split("\n")[0]}`,
      });
      continue;
    }
    const root = doc.contents;
    if (isMap(root) && get(root, "apiVersion") !== undefined && get(root, "kind") !== undefined) {
      readKubernetesObject(y, root, "");
      continue;
    }
    const services = get(root, "services");
    if (isMap(root) && isMap(services)) {
      for (const pair of services.items) {
        const env = get(pair.value, "environment");
        if (env !== undefined) readComposeEnvironment(y, env, `services.${keyText(pair)}.environment`);
      }
      walk(y, root, "", "compose", false);
      continue;
    }
    walk(y, root, "", isHelmValues(file) ? "helm-values" : "yaml", true);
  }
  return { settings: y.settings, problems: y.problems };
}
