import type { EngineOptions, FailOn } from "../model/options.js";
import type { Format } from "../report/renderers/index.js";

/** What the command line adds to the engine's options: where and how the report is written. */
export interface CommonOptions extends EngineOptions {
  format: Format;
  output: string | undefined;
  failOn: FailOn;
  color: boolean | undefined;
  verbose: boolean;
}
