// What the terminal gets: colour and the width help wraps at.

/**
 * Colour for the terminal report, first rule that applies: --color/--no-color, FORCE_COLOR (set and not 0/false
 * means on), NO_COLOR (set and not empty means off, no-color.org), TERM=dumb (a terminal that shows escape codes
 * as text: Emacs shell buffers, some CI logs), else whether stdout is a terminal.
 */
export function resolveColor(flag: boolean | undefined, env: NodeJS.ProcessEnv, isTTY: boolean): boolean {
  if (flag !== undefined) return flag;
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== "0" && env.FORCE_COLOR !== "false";
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  if (env.TERM === "dumb") return false;
  return isTTY;
}

const MAX_HELP_WIDTH = 120;
const DEFAULT_WIDTH = 80;

/**
 * The width --help wraps at: the terminal's (stdout, else stderr when stdout is piped into a pager), else COLUMNS,
 * else 80; never more than 120, where lines get hard to read.
 */
export function helpWidth(
  stdoutColumns: number | undefined,
  stderrColumns: number | undefined,
  env: NodeJS.ProcessEnv,
): number {
  const fromEnv = Number.parseInt(env.COLUMNS ?? "", 10);
  const columns =
    stdoutColumns || stderrColumns || (Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : DEFAULT_WIDTH);
  return Math.max(40, Math.min(MAX_HELP_WIDTH, columns));
}
