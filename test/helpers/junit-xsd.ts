// Validates JUnit XML against the two schemas CI tools hold it to (fixtures/junit/README.md): Jenkins xUnit's
// junit-10.xsd and Apache Ant's JUnit.xsd, with libxml2's XSD validator (`xmllint --schema`, Debian's
// libxml2-utils, installed by .ci/run). One xmllint run per schema validates every document given.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const JUNIT_SCHEMAS = {
  "xunit junit-10.xsd": fileURLToPath(new URL("../../fixtures/junit/junit-10.xsd", import.meta.url)),
  "ant JUnit.xsd": fileURLToPath(new URL("../../fixtures/junit/JUnit.xsd", import.meta.url)),
} as const;

export type JunitSchema = keyof typeof JUNIT_SCHEMAS;

export const XMLLINT = spawnSync("xmllint", ["--version"], { encoding: "utf8" }).status === 0;
export const NO_XMLLINT_REASON =
  "xmllint is not installed (Debian: libxml2-utils, which .ci/run installs): JUnit XML is not validated against the xUnit and Ant XSDs";

/** For each document, in order, each schema's errors as xmllint words them ([] when the document validates). */
export function junitSchemaErrors(docs: readonly string[]): Array<Record<JunitSchema, string[]>> {
  const dir = mkdtempSync(join(tmpdir(), "dbdoctor-junit-xsd-"));
  try {
    const files = docs.map((doc, i) => {
      const file = join(dir, `doc-${i}.xml`);
      writeFileSync(file, doc);
      return file;
    });
    const results = docs.map(() => ({}) as Record<JunitSchema, string[]>);
    for (const [name, xsd] of Object.entries(JUNIT_SCHEMAS) as Array<[JunitSchema, string]>) {
      const r = spawnSync("xmllint", ["--noout", "--schema", xsd, ...files], { encoding: "utf8", maxBuffer: 64 << 20 });
      // xmllint says "<file> validates" or "<file> fails to validate" for each file, after that file's errors.
      const lines = `${r.stdout}\n${r.stderr}`.split("\n");
      if (!lines.some((l) => / (validates|fails to validate)$/.test(l)))
        throw new Error(`xmllint --schema ${xsd} did not run: ${r.stderr || r.error?.message}`);
      files.forEach((file, i) => {
        const errors = lines.filter((l) => l.startsWith(`${file}:`)).map((l) => l.slice(file.length + 1));
        const valid = lines.includes(`${file} validates`);
        (results[i] as Record<JunitSchema, string[]>)[name] = valid
          ? []
          : errors.length > 0
            ? errors
            : [`${file} fails to validate`];
      });
    }
    return results;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** What every valid document's result looks like, for toEqual. */
export const VALID: Record<JunitSchema, string[]> = { "xunit junit-10.xsd": [], "ant JUnit.xsd": [] };
