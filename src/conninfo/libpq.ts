// Public face of the libpq connection-string engine: PQconninfoParse and pqConnectOptions2 of a chosen major.

import type { LibpqMajor } from "../model/options.js";
import { keywordsFor } from "./keywords.js";
import { parseKeywordValue } from "./libpq-kv.js";
import { parseUri, uriPrefixLength } from "./libpq-uri.js";
import type { ConninfoError } from "./types.js";

export { suggestKeyword, suggestValue } from "./did-you-mean.js";
export { envVarFor, keywordIntroducedIn, keywordRemovedIn, keywordsFor } from "./keywords.js";
export { redactConninfoString, redactQuotedValues } from "./libpq-redact.js";
export { uriEncodeComponent } from "./percent.js";
export { validateOptions } from "./validate.js";

/** A parse error with the redacted twin of libpq's message; `message` is libpq's exact text and may quote a secret. */
export interface LibpqConninfoError extends ConninfoError {
  /** libpq's message with every quoted secret masked: the only text a report may show. */
  redactedMessage: string;
}

export type LibpqParseResult =
  | { ok: true; format: "uri" | "keyword-value"; params: Record<string, string> }
  | { ok: false; format: "uri" | "keyword-value"; error: ConninfoError };

/**
 * PQconninfoParse of that libpq major: exactly what the string sets (decoded, after the ssl=true and requiressl
 * rewrites, last value wins), or libpq's error text. On failure `error` is a LibpqConninfoError.
 */
export function parseLibpqConninfo(input: string, major: LibpqMajor): LibpqParseResult {
  // libpq reads a C string: anything after a NUL never reaches it.
  const nul = input.indexOf("\0");
  const s = nul >= 0 ? input.slice(0, nul) : input;
  const keywords = keywordsFor(major);
  const format = uriPrefixLength(s) > 0 ? "uri" : "keyword-value";
  const outcome = format === "uri" ? parseUri(s, major, keywords) : parseKeywordValue(s, keywords);
  if (outcome.ok) return { ok: true, format, params: outcome.params };
  const error: LibpqConninfoError = {
    stage: "parse",
    message: outcome.failure.message,
    redactedMessage: outcome.failure.redacted,
  };
  if (outcome.failure.keyword !== undefined) error.keyword = outcome.failure.keyword;
  return { ok: false, format, error };
}

/** libpq's recognized_connection_string: a URI prefix or any '='; anything else is a bare database name. */
export function isConninfoString(input: string): boolean {
  return uriPrefixLength(input) > 0 || input.includes("=");
}

/** The text of an error a report may show: the redacted twin when the parser made one, else the message as is. */
export function reportableMessage(error: ConninfoError): string {
  const redacted = (error as Partial<LibpqConninfoError>).redactedMessage;
  return typeof redacted === "string" ? redacted : error.message;
}
