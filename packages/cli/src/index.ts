/**
 * @steward/cli — the `steward` command line as a library: {@link createProgram} builds it and
 * {@link run} runs it on an argument list (what the bin and the tests both do).
 */
export { createProgram, run } from './program.js';
export type { ProgramIO } from './program.js';
export { CliError, isCliError } from './cliError.js';
export { loadModule } from './load/loadModule.js';
export { discover } from './load/discover.js';
export type { Discovered } from './load/discover.js';
export { generateCrds } from './commands/crd.js';
export type { GeneratedCrd } from './commands/crd.js';
export { generateTypes } from './commands/types.js';
export { typesFor } from './typegen/typesFor.js';
export type { GeneratedTypes } from './typegen/typesFor.js';
export { rbacFor, recordControllers } from './manifests/rbac.js';
export type { RecordedController } from './manifests/rbac.js';
export { generateManifests } from './manifests/generate.js';
export type { ManifestOptions } from './manifests/generate.js';
export { dockerfileFor } from './manifests/dockerfile.js';
export type { DockerfileOptions } from './manifests/dockerfile.js';
export { OPERATOR_ENV, HEALTH_PORT, METRICS_PORT } from './manifests/deployment.js';
export { startDev } from './commands/dev.js';
export type { DevOptions, DevSession } from './commands/dev.js';
export { scaffoldOperator } from './scaffold/scaffoldOperator.js';
export type { ScaffoldOptions, ScaffoldResult } from './scaffold/scaffoldOperator.js';
export type { ScaffoldNames } from './scaffold/names.js';
export { packSdk, findSdkTarballs } from './scaffold/packSdk.js';
export { SDK_PACKAGES } from './scaffold/packageJson.js';
export type { SdkPackage } from './scaffold/packageJson.js';
