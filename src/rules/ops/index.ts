// The ops family: judgments over SkillFlaw's operations facts (pools, provider, version, slots, schema, clients),
// in report order.
import capacity from "./capacity.js";
import clients from "./clients.js";
import cloudProvider from "./cloud-provider.js";
import liveUnavailable from "./live-unavailable.js";
import migrationLock from "./migration-lock.js";
import poolSettings from "./pool-settings.js";
import poolUnbounded from "./pool-unbounded.js";
import poolVariables from "./pool-variables.js";
import schema from "./schema.js";
import serverVersion from "./server-version.js";

export const OPS_RULES = [
  poolSettings,
  poolVariables,
  poolUnbounded,
  cloudProvider,
  serverVersion,
  capacity,
  schema,
  clients,
  migrationLock,
  liveUnavailable,
] as const;
