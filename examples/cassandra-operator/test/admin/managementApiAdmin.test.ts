import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { CassandraAdminError } from '../../src/admin/adminErrors.js';
import type { CassandraAdmin } from '../../src/admin/cassandraAdmin.js';
import { managementApiAdmin } from '../../src/admin/managementApiAdmin.js';
import { fakeManagementApi, type FakeManagementApi } from './fakeManagementApi.js';

let api: FakeManagementApi;
let admin: CassandraAdmin;
beforeEach(async () => {
  api = await fakeManagementApi();
  admin = managementApiAdmin({ pollIntervalMs: 5, volumeCapacity: () => 10_000 });
});
afterEach(() => api.close());

const self = (status: string, load = '4000.0') => ({
  DC: 'dc1',
  RACK: 'r1',
  HOST_ID: 'h-self',
  ENDPOINT_IP: '127.0.0.1',
  IS_ALIVE: 'true',
  STATUS: status,
  STATUS_WITH_PORT: status,
  LOAD: load,
});

const codeOf = async (promise: Promise<unknown>): Promise<string | undefined> =>
  promise.then(
    () => undefined,
    (error: unknown) => (error instanceof CassandraAdminError ? error.code : String(error)),
  );

describe('managementApiAdmin', () => {
  test('start posts lifecycle/start; a repeat on a running node (202) is fine', async () => {
    await admin.start(api.node, { seeds: ['10.0.0.1'] });
    await admin.start(api.node);
    expect(api.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'POST /api/v0/lifecycle/start',
      'POST /api/v0/lifecycle/start',
    ]);
  });

  test('start answered 420 is CASSANDRA_START_FAILED, retryable', async () => {
    api.answer('/api/v0/lifecycle/start', 420, 'Unable to contact any seeds');
    const error = await admin.start(api.node).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CassandraAdminError);
    expect(error).toMatchObject({ code: 'CASSANDRA_START_FAILED', retryable: true });
    expect((error as Error).message).toContain('db/dc1-r1-0');
    expect((error as Error).message).toContain('Unable to contact any seeds');
  });

  test('ring reads the endpoints entity list as nodetool status', async () => {
    api.endpoints = [
      self('NORMAL,-2444908528344618126', '135527.0'),
      { ...self('BOOT,123'), HOST_ID: 'h2', ENDPOINT_IP: '10.0.0.2', RACK: 'r2' },
      { ...self('LEAVING,1'), HOST_ID: 'h3', ENDPOINT_IP: '10.0.0.3', IS_ALIVE: 'false' },
      { ...self('LEFT,1,1700000000000'), HOST_ID: 'h4', ENDPOINT_IP: '10.0.0.4' },
      { ...self('NORMAL,5'), HOST_ID: 'h5', ENDPOINT_IP: '10.0.0.5', IS_ALIVE: 'false' },
    ];
    const ring = await admin.ring(api.node);
    expect(ring.map((m) => [m.address, m.hostId, m.rack, m.state, m.load])).toEqual([
      ['127.0.0.1', 'h-self', 'r1', 'UN', 135527],
      ['10.0.0.2', 'h2', 'r2', 'UJ', 4000],
      ['10.0.0.3', 'h3', 'r1', 'DL', 4000],
      ['10.0.0.4', 'h4', 'r1', 'LEFT', 4000],
      ['10.0.0.5', 'h5', 'r1', 'DN', 4000],
    ]);
    expect(ring[0]?.datacenter).toBe('dc1');
  });

  test('decommission uses the asynchronous v1 endpoint with force, and is a no-op once leaving', async () => {
    api.endpoints = [self('NORMAL,1')];
    await admin.decommission(api.node);
    api.endpoints = [self('LEAVING,1')];
    await admin.decommission(api.node);
    api.endpoints = [self('LEFT,1,2')];
    await admin.decommission(api.node);
    const posts = api.requests.filter((r) => r.method === 'POST').map((r) => r.path);
    expect(posts).toEqual(['/api/v1/ops/node/decommission?force=true']);
  });

  test('decommission falls back to the blocking v0 endpoint on an older agent', async () => {
    api.v1 = false;
    api.endpoints = [self('NORMAL,1')];
    await managementApiAdmin({ forceDecommission: false }).decommission(api.node);
    const posts = api.requests.filter((r) => r.method === 'POST').map((r) => r.path);
    expect(posts).toEqual([
      '/api/v1/ops/node/decommission?force=false',
      '/api/v0/ops/node/decommission?force=false',
    ]);
  });

  test('drain posts ops/node/drain', async () => {
    await admin.drain(api.node);
    expect(api.requests).toEqual([{ method: 'POST', path: '/api/v0/ops/node/drain', body: '' }]);
  });

  test('cleanup sends a JSON keyspace request and polls its job until COMPLETED', async () => {
    api.cleanupJob = { polls: 3, status: 'COMPLETED' };
    await admin.cleanup(api.node);
    expect(api.requests[0]).toEqual({ method: 'POST', path: '/api/v1/ops/keyspace/cleanup', body: '{}' });
    const polls = api.requests.filter((r) => r.path.startsWith('/api/v0/ops/executor/job?job_id=job-1'));
    expect(polls).toHaveLength(4);
  });

  test("a cleanup job in ERROR is CASSANDRA_JOB_FAILED with the agent's error", async () => {
    api.cleanupJob = { polls: 0, status: 'ERROR', error: 'disk full' };
    const error = await admin.cleanup(api.node).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'CASSANDRA_JOB_FAILED', retryable: true });
    expect((error as Error).message).toContain('disk full');
  });

  test('cleanup with nothing to clean (200) needs no polling; v0 is the fallback', async () => {
    api.answer('/api/v1/ops/keyspace/cleanup', 200, 'OK');
    await admin.cleanup(api.node);
    api.v1 = false;
    await admin.cleanup(api.node);
    expect(api.requests.map((r) => r.path)).toEqual([
      '/api/v1/ops/keyspace/cleanup',
      '/api/v1/ops/keyspace/cleanup',
      '/api/v0/ops/keyspace/cleanup',
    ]);
  });

  test("freeSpace is the volume capacity less the node's own load", async () => {
    api.endpoints = [{ ...self('NORMAL,1', '9000.0'), ENDPOINT_IP: '10.0.0.9' }, self('NORMAL,1', '2500.0')];
    expect(await admin.freeSpace(api.node)).toBe(7_500);
    expect(await codeOf(managementApiAdmin().freeSpace(api.node))).toBe('CASSANDRA_CAPACITY_UNKNOWN');
    api.endpoints = [];
    expect(await codeOf(admin.freeSpace(api.node))).toBe('CASSANDRA_UNREACHABLE');
  });

  test('errors: no agent is UNREACHABLE, 5xx UNREACHABLE, other 4xx REQUEST', async () => {
    api.answer('/api/v0/ops/node/drain', 500, 'cannot connect to Cassandra');
    expect(await codeOf(admin.drain(api.node))).toBe('CASSANDRA_UNREACHABLE');
    api.answer('/api/v0/ops/node/drain', 400, 'bad');
    expect(await codeOf(admin.drain(api.node))).toBe('CASSANDRA_REQUEST');
    await api.close();
    const error = await admin.ring(api.node).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'CASSANDRA_UNREACHABLE', retryable: true });
    expect((error as Error).cause).toBeDefined();
  });
});
