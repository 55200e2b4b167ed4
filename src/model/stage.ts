/** A stage that could not run is not a pass: it says so, with the reason (sslyze's "could not run" state). */
export type StageResult<T> =
  | { status: "completed"; value: T }
  | { status: "skipped"; reason: string }
  | { status: "error"; reason: string };
