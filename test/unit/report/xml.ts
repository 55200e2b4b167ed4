// Checks JUnit XML with a real XML parser (Python's expat, which refuses anything not well-formed) and
// recounts tests/failures/errors/skipped from the elements, so the attributes cannot lie (the XSDs check the
// structure, test/helpers/junit-xsd.ts; no schema checks that a count is true).
import { spawnSync } from "node:child_process";

const SCRIPT = `
import json, sys
from xml.dom import minidom
out = []
for doc in json.load(sys.stdin):
    try:
        dom = minidom.parseString(doc.encode("utf-8"))
    except Exception as e:
        out.append({"error": str(e), "mismatches": []}); continue
    bad = []
    for el in dom.getElementsByTagName("testsuites") + dom.getElementsByTagName("testsuite"):
        cases = el.getElementsByTagName("testcase")
        want = {"tests": len(cases),
                "failures": sum(1 for c in cases if c.getElementsByTagName("failure")),
                "errors": sum(1 for c in cases if c.getElementsByTagName("error")),
                "skipped": sum(1 for c in cases if c.getElementsByTagName("skipped"))}
        for k, v in want.items():
            # <testsuites> carries no totals (Ant's JUnit.xsd allows no attribute there); a suite must carry them.
            if el.tagName == "testsuites" and not el.hasAttribute(k):
                continue
            if el.getAttribute(k) != str(v):
                bad.append("%s %s: %s=%r, counted %d" % (el.tagName, el.getAttribute("name"), k, el.getAttribute(k), v))
    out.append({"error": None, "mismatches": bad})
json.dump(out, sys.stdout)
`;

export const PYTHON = spawnSync("python3", ["-c", "import xml.dom.minidom"], { encoding: "utf8" }).status === 0;
export const NO_PYTHON_REASON =
  "python3 with xml.dom.minidom is not installed: JUnit XML is not parsed by a real XML parser";

export interface XmlCheck {
  error: string | null;
  mismatches: string[];
}

/** One result per document, in order. */
export function checkJunitXml(docs: readonly string[]): XmlCheck[] {
  const r = spawnSync("python3", ["-c", SCRIPT], {
    input: JSON.stringify(docs),
    encoding: "utf8",
    maxBuffer: 64 << 20,
  });
  if (r.status !== 0) throw new Error(`python3 failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as XmlCheck[];
}
