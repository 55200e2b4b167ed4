// The audit family: judgments about the scanned files themselves and the stored settings as a review sees them, in
// report order. A stored setting's connection string is judged by the other families too, as for `check`; where the
// audit's review says the same thing with what it knows of the tree (where the host is, whether the file is an
// example), its codes declare `supersedes` and the generic finding is left out (one finding per problem per setting).
import fileElsewhere from "./file-elsewhere.js";
import fileProblems from "./file-problems.js";
import instances from "./instances.js";
import placeholder from "./placeholder.js";
import rootDefault from "./root-default.js";
import serverSslOff from "./server-ssl-off.js";
import storedSecret from "./stored-secret.js";
import transport from "./transport.js";

export const AUDIT_RULES = [
  fileProblems,
  transport,
  storedSecret,
  placeholder,
  fileElsewhere,
  rootDefault,
  instances,
  serverSslOff,
] as const;
