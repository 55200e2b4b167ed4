/** The commands whose reports the engine builds. */
export type CommandName = "check" | "parse" | "certs" | "server" | "instances" | "audit";
