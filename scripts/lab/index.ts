/** The TLS lab: real PostgreSQL servers, one per TLS scenario, for tests, the demo and the benchmarks. */
export { backendAvailable, resolveBinaries, selectBackend } from "./backends.js";
export { CLIENT_SCENARIOS } from "./client-scenarios.js";
export {
  type DockerEngine,
  EngineUnavailable,
  ensureDockerEngine,
  START_DOCKERD_ENV,
  stopDockerEngine,
  withDockerEngine,
} from "./engine.js";
export {
  conditionHolds,
  dialSettings,
  entryOf,
  expectationFor,
  type ResolvedExpectation,
  scenarioNodes,
} from "./expectations.js";
export { type LabImage, labImage } from "./image.js";
export { ALL_SCENARIOS, pickScenarios, preparePki, startLab } from "./lab.js";
export { CERTS_DIR, certPath, LAB_DIR, REPO_ROOT, STATE_FILE } from "./paths.js";
export { pgbouncerAvailable, pgbouncerBinary } from "./pgbouncer.js";
export { pgpoolAvailable } from "./pgpool.js";
export { PGPOOL_SCENARIO, POOLER_SCENARIOS } from "./pooler-scenarios.js";
export { conninfo, type PsqlResult, psqlConnect, psqlMajor } from "./psql.js";
export { LAB_PASSWORD, ROOT_AND_INTERMEDIATE, SCENARIOS, scenarioByName } from "./scenarios.js";
export { startServer } from "./server.js";
export type {
  Availability,
  Backend,
  ClientCondition,
  ClientExpectation,
  ClientOutcome,
  ClientTraits,
  Lab,
  LabServer,
  LabUser,
  OracleClient,
  PoolerSpec,
  Scenario,
  ServerSpec,
} from "./types.js";
export { ORACLE_CLIENTS } from "./types.js";
