/**
 * The manager's public shapes: its options and its handle. A manager runs several controllers (of
 * several operators) in one process over one client and one shared informer factory, with leader
 * election, health probes and Prometheus metrics. Start with {@link ManagerOptions}; `manager.ts`
 * builds one.
 */
import type { Registry } from 'prom-client';
import type { KubeConfigLike } from '../client/loadKubeConfig.js';
import type { KubeClient, KubeObject } from '../client/types.js';
import type { ControllerLogger, ControllerOptions } from '../controller/controllerTypes.js';
import type { SharedInformerFactory } from '../informer/sharedInformerFactory.js';

/** A controller as the manager takes it: the manager supplies the client, informers, log and metrics. */
export type ManagedControllerOptions<T extends KubeObject = KubeObject> = Omit<
  ControllerOptions<T>,
  'client' | 'informers' | 'log' | 'metrics' | 'queueMetrics'
>;

export interface LeaderElectionOptions {
  /** The Lease's name; one per operator deployment. */
  name: string;
  /** The Lease's namespace (usually the operator's own). */
  namespace: string;
  /** Default: the host name plus a random suffix. */
  identity?: string;
  leaseDurationMs?: number;
  renewDeadlineMs?: number;
  retryPeriodMs?: number;
}

export interface ManagerOptions {
  /**
   * A `KubeConfig`, a kubeconfig file path, or a kubeconfig object (such as an embedded API server's
   * `server.kubeConfig`). Default: KUBECONFIG, ~/.kube/config, or in-cluster.
   */
  kubeConfig?: KubeConfigLike;
  /** Use this client instead of one built from `kubeConfig`. */
  client?: KubeClient;
  /** Watch one namespace; default all. */
  namespace?: string;
  /** Default off; give it for any deployment with more than one replica. */
  leaderElection?: false | LeaderElectionOptions;
  /** `/healthz` and `/readyz`; port 0 picks a free port. Default off. */
  healthProbe?: false | { port: number; host?: string };
  /** `/metrics` (Prometheus text) on its own port, or on the health port when `port` is omitted. */
  metrics?: false | { port?: number; host?: string; registry?: Registry };
  /** Default: JSON lines on stdout. */
  log?: ControllerLogger;
  /** How long `stop()` waits for running reconciles. Default 30 s. */
  shutdownTimeoutMs?: number;
}

export interface Manager {
  readonly client: KubeClient;
  readonly informers: SharedInformerFactory;
  /** The prom-client registry every metric of this manager is registered in. */
  readonly registry: Registry;
  readonly log: ControllerLogger;
  /** Registers a controller; before or after `start()`. Names must be unique. */
  add<T extends KubeObject>(options: ManagedControllerOptions<T>): void;
  /**
   * Starts the informers and waits until their caches are warm, opens the probe and metrics servers,
   * and begins the leader-election campaign; controllers run only while this process leads.
   */
  start(signal?: AbortSignal): Promise<void>;
  /** Stops intake, waits for running reconciles up to the deadline, releases the lease, closes servers. */
  stop(options?: { deadlineMs?: number }): Promise<void>;
  /** `start()`, then `stop()` on SIGTERM or SIGINT; resolves after a clean stop. */
  run(): Promise<void>;
  isLeader(): boolean;
  /** `http://host:port` of the probe server once listening. */
  readonly healthUrl: string | undefined;
  /** `http://host:port` of the metrics server once listening. */
  readonly metricsUrl: string | undefined;
}
