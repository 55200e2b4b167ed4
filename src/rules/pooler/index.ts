// The pooler family (issue 15): what sits between the client and PostgreSQL, and what that changes, in report order.
import auth from "./auth.js";
import capacity from "./capacity.js";
import detected from "./detected.js";
import poolMode from "./pool-mode.js";
import tls from "./tls.js";

export const POOLER_RULES = [detected, tls, auth, poolMode, capacity] as const;
