import type { CommonOptions } from "../cli/options.js";
import { UsageError } from "../errors.js";
import type { Report } from "../report/report.js";

export async function runCerts(_args: Record<string, unknown>, _common: CommonOptions): Promise<Report> {
  throw new UsageError("dbdoctor certs is not built yet", "See the README for the commands that work today.");
}
