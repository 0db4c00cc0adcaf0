/**
 * The oracle's pieces without a server: normalisation, masking by two undisturbed runs, end-state and
 * count comparison, and the recording client's numbering and crash.
 */
import { expect, test } from '@jest/globals';
import { builtin } from '@steward/core';
import type { KubeClient, KubeObject } from '@steward/core';
import { compareCounts, compareEndStates, describeMask, endState, maskBetween } from './endState.js';
import { OperatorCrashedError, recordingClient } from './recordingClient.js';

const job = (suffix: string, uid: string, extra: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: {
    name: `db-init-${suffix}`,
    generateName: 'db-init-',
    namespace: 'default',
    uid,
    resourceVersion: suffix,
    creationTimestamp: '2026-01-01T00:00:00Z',
    labels: { 'controller-uid': uid },
  },
  spec: { parallelism: 1 },
  status: { startTime: suffix, conditions: [{ type: 'Complete', lastTransitionTime: suffix }] },
  ...extra,
});

test('generated names, uids, versions and times do not count as differences', () => {
  const a = endState([job('abcde', 'u1')]);
  const b = endState([job('vwxyz', 'u2')]);
  expect([...a.keys()]).toEqual(['Job default/db-init-*']);
  expect(maskBetween(a, b).size).toBe(0);
  expect(compareEndStates(a, b, new Map())).toEqual([]);
  expect(a.get('Job default/db-init-*')?.[0]).toMatchObject({
    'metadata.labels.controller-uid': '"<uid of Job default/db-init-*>"',
  });
});

test('a changed field, a missing object and duplicates are findings; masked fields are not', () => {
  const reference = endState([job('a', 'u1')]);
  expect(
    compareEndStates(reference, endState([job('b', 'u2', { spec: { parallelism: 2 } })]), new Map()),
  ).toEqual(['end state: Job default/db-init-* differs: spec.parallelism 2 (reference 1)']);
  expect(compareEndStates(reference, endState([]), new Map())).toEqual([
    'end state: Job default/db-init-* missing',
  ]);
  expect(compareEndStates(reference, endState([job('b', 'u2'), job('c', 'u3')]), new Map())).toEqual([
    'end state: Job default/db-init-* ×2, the reference has ×1',
  ]);
  const mask = maskBetween(reference, endState([job('b', 'u2', { spec: { parallelism: 3 } })]));
  expect(describeMask(mask)).toEqual(['Job default/db-init-*: spec.parallelism']);
  expect(compareEndStates(reference, endState([job('b', 'u2', { spec: { parallelism: 2 } })]), mask)).toEqual(
    [],
  );
});

test('create and delete counts are compared per object', () => {
  const reference = new Map([['Service default/db', { created: 1, deleted: 0 }]]);
  expect(
    compareCounts(reference, new Map([['Service default/db', { created: 1, deleted: 0 }]]), new Map()),
  ).toEqual([]);
  expect(
    compareCounts(reference, new Map([['Service default/db', { created: 2, deleted: 1 }]]), new Map()),
  ).toEqual(['counts: Service default/db created 2× deleted 1× (reference: created 1× deleted 0×)']);
});

function fakeClient(): { client: KubeClient; sent: string[] } {
  const sent: string[] = [];
  const answer = (verb: string) => (_ref: unknown, obj: KubeObject | string) => {
    const name =
      typeof obj === 'string' ? obj : (obj.metadata.name ?? `${obj.metadata.generateName ?? ''}x1`);
    sent.push(`${verb} ${name}`);
    const generateName = typeof obj === 'string' ? undefined : obj.metadata.generateName;
    return Promise.resolve({ metadata: { name, ...(generateName ? { generateName } : {}) } });
  };
  const client = {
    get: answer('get'),
    list: () => Promise.resolve({ items: [], resourceVersion: '1' }),
    create: answer('create'),
    replace: answer('replace'),
    patch: answer('patch'),
    apply: answer('apply'),
    delete: answer('delete'),
    replaceStatus: answer('replaceStatus'),
    patchStatus: answer('patchStatus'),
    close: () => undefined,
  } as unknown as KubeClient;
  return { client, sent };
}

test('the recording client numbers successful writes, skips Events, and a crash refuses everything after', async () => {
  const { client: inner, sent } = fakeClient();
  const before: string[] = [];
  const rec = recordingClient(inner, {
    beforeWrite: (index, target) => before.push(`${index} ${target.method} ${target.path}`),
    afterWrite: (index) => (index === 2 ? 'crash' : undefined),
  });
  const ns = { metadata: { namespace: 'default' } };
  await rec.client.create(builtin.jobs, { metadata: { ...ns.metadata, generateName: 'db-init-' } });
  await rec.client.create(builtin.events, { metadata: { ...ns.metadata, name: 'e1' } });
  await expect(rec.client.patch(builtin.configmaps, 'cfg', {}, { namespace: 'default' })).rejects.toThrow(
    OperatorCrashedError,
  );
  await expect(rec.client.get(builtin.configmaps, 'cfg', { namespace: 'default' })).rejects.toThrow(
    /crashed/,
  );
  await expect(rec.client.delete(builtin.configmaps, 'cfg', { namespace: 'default' })).rejects.toThrow(
    /crashed/,
  );
  expect(rec.killed).toBe(true);
  expect(sent).toEqual(['create db-init-x1', 'create e1', 'patch cfg']);
  expect(rec.writes).toEqual([
    { verb: 'create', method: 'POST', kind: 'Job', namespace: 'default', name: 'db-init-*' },
    { verb: 'patch', method: 'PATCH', kind: 'ConfigMap', namespace: 'default', name: 'cfg' },
  ]);
  expect(before).toEqual([
    '1 POST /apis/batch/v1/namespaces/default/jobs',
    '2 PATCH /api/v1/namespaces/default/configmaps/cfg',
  ]);
  // A restarted incarnation continues the numbering.
  const again = recordingClient(inner, {}, rec.writes);
  await again.client.patchStatus(builtin.statefulsets, 'db', {}, { namespace: 'default' });
  expect(again.writes.map((w) => w.verb)).toEqual(['create', 'patch', 'patchStatus']);
});
