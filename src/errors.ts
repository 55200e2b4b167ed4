/**
 * A problem with what the user gave us (exit 2). The message names the file, line or parameter;
 * the hint says what to do. Never carries a secret or a stack trace to the terminal.
 */
export class UsageError extends Error {
  readonly hint: string | undefined;
  constructor(message: string, hint?: string) {
    super(message);
    this.name = "UsageError";
    this.hint = hint;
  }
}

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
