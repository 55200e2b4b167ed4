// Loaded into the CLI child by tests that bound its memory (node --import): on exit, the process's peak RSS (KiB)
// goes to the file DBDOCTOR_TEST_RSS_FILE names. Test instrumentation only; the product does not know about it.
import { writeFileSync } from "node:fs";

const file = process.env.DBDOCTOR_TEST_RSS_FILE;
if (file) process.on("exit", () => writeFileSync(file, String(process.resourceUsage().maxRSS)));
