/**
 * {@link CassandraAdmin} over HTTP: the DataStax/k8ssandra Management API, the sidecar that runs in
 * every Cassandra pod (port 8080) and that cass-operator drives. Start with {@link managementApiAdmin}.
 * Each call goes to the node's own agent; long operations use the asynchronous v1 endpoints (a job
 * id, polled on `/api/v0/ops/executor/job`) and fall back to the blocking v0 ones on older agents.
 */
import { CassandraAdminError, describeNode } from './adminErrors.js';
import type { CassandraAdmin, Node, RingMember } from './cassandraAdmin.js';
import { ringMemberOf, type EndpointsResponse } from './endpointStates.js';

export interface ManagementApiAdminOptions {
  /** Per request (default 60 s; a v0 cleanup or decommission, which blocks, gets `blockingTimeoutMs`). */
  timeoutMs?: number;
  /** How long a blocking v0 cleanup or decommission may take (default 1 h). */
  blockingTimeoutMs?: number;
  /** How often a cleanup job's status is polled (default 1 s). */
  pollIntervalMs?: number;
  /**
   * Total bytes of the node's data volume. The Management API reports the load but not the disk, so
   * (as cass-operator reads the PersistentVolume's capacity) the operator says where it comes from.
   */
  volumeCapacity?: (node: Node) => number | Promise<number>;
  /**
   * Sent as decommission's `force` (default true, as cass-operator): the operator already decided the
   * node may go, and without it Cassandra refuses to shrink a datacenter below a keyspace's RF.
   */
  forceDecommission?: boolean;
}

interface Answer {
  status: number;
  text: string;
}

/** Start answers: 201 started, 202 already running, 204 running but CQL not up yet, 206 no process but CQL answers. */
const STARTED = new Set([201, 202, 204, 206]);

/** Any 2xx passes; 5xx means Cassandra behind the agent is not up (retryable); the rest is a bug. */
function expectOk(node: Node, what: string, answer: Answer): Answer {
  if (answer.status >= 200 && answer.status < 300) return answer;
  const detail = `${what} on ${describeNode(node)} answered ${answer.status}: ${answer.text.slice(0, 200)}`;
  if (answer.status >= 500)
    throw new CassandraAdminError('CASSANDRA_UNREACHABLE', `${detail} (is Cassandra running there?)`);
  throw new CassandraAdminError('CASSANDRA_REQUEST', detail);
}

/**
 * The operator's admin over each pod's Management API (`http://<podIP>:8080`, no TLS). Errors are
 * {@link CassandraAdminError}s: unreachable agents and 5xx answers are retryable, protocol surprises not.
 */
export function managementApiAdmin(options: ManagementApiAdminOptions = {}): CassandraAdmin {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const blockingTimeoutMs = options.blockingTimeoutMs ?? 3_600_000;
  const pollIntervalMs = options.pollIntervalMs ?? 1_000;
  const force = options.forceDecommission ?? true;

  async function call(
    node: Node,
    method: 'GET' | 'POST',
    path: string,
    extra: { body?: unknown; timeoutMs?: number } = {},
  ): Promise<Answer> {
    const url = `http://${node.host}:${node.port}${path}`;
    const init: RequestInit = {
      method,
      signal: AbortSignal.timeout(extra.timeoutMs ?? timeoutMs),
    };
    if (extra.body !== undefined) {
      init.body = JSON.stringify(extra.body);
      init.headers = { 'content-type': 'application/json' };
    }
    try {
      const response = await fetch(url, init);
      return { status: response.status, text: await response.text() };
    } catch (error) {
      throw new CassandraAdminError(
        'CASSANDRA_UNREACHABLE',
        `${method} ${path} on ${describeNode(node)} got no answer: is the pod running and its management API (container cassandra, port mgmt-api) up?`,
        { cause: error },
      );
    }
  }

  async function ring(node: Node): Promise<RingMember[]> {
    const answer = expectOk(node, 'ring', await call(node, 'GET', '/api/v0/metadata/endpoints'));
    let parsed: EndpointsResponse;
    try {
      parsed = JSON.parse(answer.text) as EndpointsResponse;
    } catch (error) {
      throw new CassandraAdminError('CASSANDRA_REQUEST', `ring on ${describeNode(node)}: not JSON`, {
        cause: error,
      });
    }
    return (parsed.entity ?? []).map(ringMemberOf);
  }

  /** The node's own entry: the member whose address is the one we reach it at (its pod IP). */
  async function self(node: Node): Promise<RingMember | undefined> {
    return (await ring(node)).find((m) => m.address === node.host);
  }

  /** Polls an executor job until it is no longer `WAITING`; `ERROR` (or a job lost to a restart) throws. */
  async function awaitJob(node: Node, what: string, jobId: string): Promise<void> {
    for (;;) {
      const answer = await call(node, 'GET', `/api/v0/ops/executor/job?job_id=${encodeURIComponent(jobId)}`);
      if (answer.status === 404)
        throw new CassandraAdminError(
          'CASSANDRA_JOB_FAILED',
          `${what} job ${jobId} on ${describeNode(node)} is unknown to the agent (restarted?); run ${what} again`,
        );
      const job = JSON.parse(expectOk(node, `${what} job`, answer).text) as {
        status?: string;
        error?: string;
      };
      if (job.status === 'COMPLETED') return;
      if (job.status === 'ERROR')
        throw new CassandraAdminError(
          'CASSANDRA_JOB_FAILED',
          `${what} job ${jobId} on ${describeNode(node)} failed: ${job.error ?? 'no detail'}`,
        );
      await new Promise((resolve) => setTimeout(resolve, pollIntervalMs));
    }
  }

  return {
    async start(node) {
      // Seeds reach Cassandra through cassandra.yaml's seed provider (the seed Service), not this call.
      const answer = await call(node, 'POST', '/api/v0/lifecycle/start', {
        timeoutMs: Math.min(timeoutMs, 10_000),
      });
      if (STARTED.has(answer.status)) return;
      if (answer.status === 420)
        throw new CassandraAdminError(
          'CASSANDRA_START_FAILED',
          `Cassandra on ${describeNode(node)} did not start: ${answer.text.slice(0, 200)}; see the pod's cassandra log`,
        );
      expectOk(node, 'start', answer);
    },

    ring,

    async decommission(node) {
      // A repeat while it streams (or after it left) must not start a second decommission.
      const own = await self(node);
      if (own !== undefined && (own.state === 'UL' || own.state === 'DL' || own.state === 'LEFT')) return;
      const answer = await call(node, 'POST', `/api/v1/ops/node/decommission?force=${force}`);
      if (answer.status !== 404) {
        expectOk(node, 'decommission', answer);
        return;
      }
      const blocking = `/api/v0/ops/node/decommission?force=${force}`;
      expectOk(node, 'decommission', await call(node, 'POST', blocking, { timeoutMs: blockingTimeoutMs }));
    },

    async drain(node) {
      expectOk(
        node,
        'drain',
        await call(node, 'POST', '/api/v0/ops/node/drain', { timeoutMs: Math.max(timeoutMs, 120_000) }),
      );
    },

    async cleanup(node) {
      // An empty request cleans every keyspace; 200 means nothing to clean, 202 carries a job id.
      const answer = await call(node, 'POST', '/api/v1/ops/keyspace/cleanup', { body: {} });
      if (answer.status === 404) {
        const blocking = await call(node, 'POST', '/api/v0/ops/keyspace/cleanup', {
          body: {},
          timeoutMs: blockingTimeoutMs,
        });
        expectOk(node, 'cleanup', blocking);
        return;
      }
      if (expectOk(node, 'cleanup', answer).status === 202)
        await awaitJob(node, 'cleanup', answer.text.trim());
    },

    async freeSpace(node) {
      if (options.volumeCapacity === undefined)
        throw new CassandraAdminError(
          'CASSANDRA_CAPACITY_UNKNOWN',
          `free space of ${describeNode(node)}: the Management API does not report disk capacity; pass volumeCapacity to managementApiAdmin (e.g. from the PersistentVolume)`,
        );
      const capacity = await options.volumeCapacity(node);
      const own = await self(node);
      if (own === undefined)
        throw new CassandraAdminError(
          'CASSANDRA_UNREACHABLE',
          `free space of ${describeNode(node)}: the node is not in its own ring view yet (still starting?)`,
        );
      return Math.max(0, capacity - own.load);
    },
  };
}
