// The input family: judgments about where the connection string comes from, in report order.
import noConnectionString from "./no-connection-string.js";

export const INPUT_RULES = [noConnectionString] as const;
