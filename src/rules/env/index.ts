// The env family: the .env files and the environment around the connection string, in report order.
import commentTruncated from "./comment-truncated.js";
import dotenvDisabled from "./dotenv-disabled.js";
import dotenvProblem from "./dotenv-problem.js";
import driverSettings from "./driver-settings.js";
import emptyValue from "./empty-value.js";
import lowercaseVariable from "./lowercase-variable.js";
import passfileIgnored from "./passfile-ignored.js";
import sslCertFileConfusion from "./ssl-cert-file-confusion.js";
import valueQuoted from "./value-quoted.js";
import valueWhitespace from "./value-whitespace.js";

export const ENV_RULES = [
  lowercaseVariable,
  dotenvProblem,
  commentTruncated,
  dotenvDisabled,
  valueQuoted,
  valueWhitespace,
  emptyValue,
  sslCertFileConfusion,
  passfileIgnored,
  driverSettings,
] as const;
