/**
 * @steward/apiserver — an embedded Kubernetes API server: real HTTP, real semantics, in memory.
 *
 * Start with {@link startApiServer}; errors the server sends are built in `errors/status.ts`.
 */
export { startApiServer, kubeConfigFor, KUBERNETES_VERSION } from './apiServer.js';
export type {
  ActiveWatch,
  ApiServer,
  ApiServerData,
  ApiServerInternals,
  ApiServerOptions,
  KubeConfigFile,
} from './apiServer.js';
export type { FailureKind, FaultHandle, Faults, RequestMatch, WatchFilter } from './faults/index.js';
export { StatusError } from './errors/status.js';
export type { Status, StatusCause, StatusDetails } from './errors/status.js';
