// The rule options a command line sets (--warn-days), checked here so a bad value is a usage error naming the flag;
// judge() hands each rule the ones it declares, with the rule's own default for the rest.
import { UsageError } from "../errors.js";
import type { RuleSettings } from "../rules/registry.js";

export function ruleSettings(args: Record<string, unknown>): RuleSettings {
  const settings: Record<string, unknown> = {};
  const warnDays = args.warnDays;
  if (warnDays !== undefined) {
    if (typeof warnDays !== "number" || !Number.isFinite(warnDays) || warnDays < 0)
      throw new UsageError(
        `--warn-days must be 0 or more, not ${String(warnDays)}`,
        "Give the number of days before expiry to warn at, e.g. --warn-days 30.",
      );
    settings.warnDays = warnDays;
  }
  return settings;
}
