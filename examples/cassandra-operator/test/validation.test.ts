import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { InvalidError } from '@steward/core';
import { startTestEnv } from '@steward/testing';
import type { TestEnv } from '@steward/testing';
import { CassandraDatacenter } from '../src/api/cassandraDatacenter.js';
import { datacenters } from './cassandraEnv.js';

// The API server rejects invalid specs with field-level messages (the CRD's schema and CEL rules).
let env: TestEnv;
beforeAll(async () => {
  env = await startTestEnv({ crds: [CassandraDatacenter], namespace: true });
});
afterAll(() => env.stop());

const dc = (name: string, spec: Record<string, unknown>) => ({
  metadata: { name, namespace: env.namespace },
  spec: { clusterName: 'demo', ...spec },
});

/** The causes of the 422 a write gets, as `field: message`. */
async function rejection(write: Promise<unknown>): Promise<string[]> {
  const error = await write.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InvalidError);
  return (error as InvalidError).causes.map((c) => `${c.field ?? ''}: ${c.message ?? ''}`);
}

test('defaults: one rack, the default version, 10Gi, not stopped', async () => {
  const created = await env.client.create(datacenters, dc('defaults', { size: 1 }));
  expect(created['spec']).toMatchObject({
    racks: [{ name: 'rack1' }],
    serverVersion: '4.1.8',
    storage: { size: '10Gi' },
    stopped: false,
  });
});

test('a size below the number of racks is rejected on spec.size', async () => {
  const causes = await rejection(
    env.client.create(
      datacenters,
      dc('small', { size: 2, racks: [{ name: 'a' }, { name: 'b' }, { name: 'c' }] }),
    ),
  );
  expect(causes).toEqual([expect.stringMatching(/^spec\.size: .*at least the number of racks/)]);
});

test('duplicate rack names are rejected on spec.racks', async () => {
  const causes = await rejection(
    env.client.create(datacenters, dc('dup', { size: 2, racks: [{ name: 'a' }, { name: 'a' }] })),
  );
  expect(causes).toEqual([expect.stringMatching(/^spec\.racks: .*rack names must be unique/)]);
});

test('a size change together with a rack change is rejected; each alone is accepted', async () => {
  await env.client.create(datacenters, dc('both', { size: 2, racks: [{ name: 'a' }, { name: 'b' }] }));
  const patch = (spec: unknown) =>
    env.client.patch(datacenters, 'both', { spec }, { namespace: env.namespace });
  const causes = await rejection(patch({ size: 3, racks: [{ name: 'a' }, { name: 'b' }, { name: 'c' }] }));
  expect(causes).toEqual([expect.stringMatching(/^spec\.racks: .*separate edits/)]);
  await patch({ size: 3 });
  await patch({ racks: [{ name: 'a' }, { name: 'b' }, { name: 'c' }] });
});

test('size, version, rack names and storage are checked by the schema', async () => {
  const causes = await rejection(
    env.client.create(
      datacenters,
      dc('bad', { size: 0, serverVersion: '3.11', racks: [{ name: 'Rack_1' }], storage: { size: '10GB' } }),
    ),
  );
  // As kube-apiserver does, the CEL rules are skipped (one `<nil>` cause says so) when the schema fails.
  const fields = causes.map((c) => c.split(':')[0]).sort();
  expect(fields).toEqual([
    '<nil>',
    'spec.racks[0].name',
    'spec.serverVersion',
    'spec.size',
    'spec.storage.size',
  ]);
});
