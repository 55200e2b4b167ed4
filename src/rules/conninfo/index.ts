// The conninfo family: libpq's own errors first (in the order libpq reports their kinds), then what the effective
// sslmode does and does not protect.
import filesIgnored from "./files-ignored.js";
import hostaddrWithoutHost from "./hostaddr-without-host.js";
import invalidValue from "./invalid-value.js";
import negotiationTooOld from "./negotiation-too-old.js";
import optionError from "./option-error.js";
import parseError from "./parse-error.js";
import requireWithRoot from "./require-with-root.js";
import rootMissing from "./root-missing.js";
import systemRootTooOld from "./system-root-too-old.js";
import systemStoreMissing from "./system-store-missing.js";
import unixSocket from "./unix-socket.js";
import unknownOption from "./unknown-option.js";
import weakSslmode from "./weak-sslmode.js";

export const CONNINFO_RULES = [
  parseError,
  unknownOption,
  invalidValue,
  optionError,
  unixSocket,
  weakSslmode,
  requireWithRoot,
  filesIgnored,
  systemRootTooOld,
  systemStoreMissing,
  negotiationTooOld,
  hostaddrWithoutHost,
  rootMissing,
] as const;
