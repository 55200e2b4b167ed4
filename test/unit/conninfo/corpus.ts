// Typed access to fixtures/conninfo/libpq-corpus.json for the unit and oracle tests.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { LIBPQ_MAJORS, type LibpqMajor } from "../../../src/model/options.js";

export type ParseExpect = { params: Record<string, string> } | { error: string };

export interface ParseCase {
  input: string;
  note: string;
  source?: string;
  majors?: LibpqMajor[];
  expect: ParseExpect;
}

export interface OptionsCase {
  input: string;
  note: string;
  majors?: LibpqMajor[];
  expect: { error: string | null };
}

export interface Corpus {
  parse: ParseCase[];
  options: OptionsCase[];
}

export const corpus: Corpus = JSON.parse(
  readFileSync(fileURLToPath(new URL("../../../fixtures/conninfo/libpq-corpus.json", import.meta.url)), "utf8"),
) as Corpus;

export const majorsOf = (c: { majors?: LibpqMajor[] }): readonly LibpqMajor[] => c.majors ?? LIBPQ_MAJORS;

/** The port an options case uses where the oracle substitutes its listener's port. */
export const withPort = (input: string, port = "5432"): string => input.replaceAll("@PORT@", port);
