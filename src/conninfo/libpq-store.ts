// What both libpq parsers share: conninfo_storeval's semantics and failures that carry a redacted twin.

import type { LibpqMajor } from "../model/options.js";
import { type Arg, argIsSensitive, format, maskArg, type Span } from "./libpq-redact.js";

export interface ParseFailure {
  /** libpq's exact text for that major (what the oracle compares). */
  message: string;
  /** The same text with any quoted secret masked (what reports print). */
  redacted: string;
  /** The offending keyword of an unknown-option error, unless it is a fragment of a secret. */
  keyword?: string;
}

export type ParseOutcome = { ok: true; params: Record<string, string> } | { ok: false; failure: ParseFailure };

export class ParseError extends Error {
  constructor(readonly failure: ParseFailure) {
    super(failure.redacted);
  }
}

/** Builds a failure from a message template whose `%s` arguments are pieces of the input. */
export class Failures {
  constructor(
    private readonly input: string,
    private readonly spans: readonly Span[],
  ) {}

  fail(template: string, args: Array<Arg | string>, keywordArg?: Arg): never {
    const raw = args.map((a) => (typeof a === "string" ? a : a.text));
    const masked = args.map((a) => (typeof a === "string" ? a : maskArg(a, this.input, this.spans)));
    const failure: ParseFailure = { message: format(template, raw), redacted: format(template, masked) };
    if (keywordArg && !argIsSensitive(keywordArg, this.spans)) failure.keyword = keywordArg.text;
    throw new ParseError(failure);
  }
}

/**
 * conninfo_storeval: `requiressl` becomes sslmode (value starting with '1' -> require, else prefer), an unknown
 * keyword is refused, a later value replaces an earlier one. Returns false for an unknown keyword.
 */
export function storeValue(
  params: Record<string, string>,
  keywords: ReadonlySet<string>,
  keyword: string,
  value: string,
): boolean {
  let kw = keyword;
  let val = value;
  if (kw === "requiressl") {
    kw = "sslmode";
    val = val[0] === "1" ? "require" : "prefer";
  }
  if (!keywords.has(kw)) return false;
  params[kw] = val;
  return true;
}

export type { LibpqMajor };
