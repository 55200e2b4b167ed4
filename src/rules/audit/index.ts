// The audit family: judgments about the scanned files themselves and where each setting is stored, in report order.
// (The settings' connection strings are judged by the other families, as for `check`.)
import fileProblems from "./file-problems.js";
import rootDefault from "./root-default.js";
import storedSecret from "./stored-secret.js";

export const AUDIT_RULES = [fileProblems, storedSecret, rootDefault] as const;
