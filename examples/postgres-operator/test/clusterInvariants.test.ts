/**
 * The cluster invariants on hand-made events: each holds on a safe history and names the pod on an
 * unsafe one. The perturbation runner applies them to every event of every run.
 */
import { expect, test } from '@jest/globals';
import { builtin } from '@steward/core';
import type { KubeObject } from '@steward/core';
import type { InvariantEvent, Snapshot } from '@steward/testing';
import { noPrimaryRestarted, onePrimaryLabel } from './support/clusterInvariants.js';

const pod = (name: string, uid: string, role: string, deleting = false): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name,
    uid,
    namespace: 'default',
    labels: { 'postgres.steward.dev/cluster': 'pg', 'postgres.steward.dev/role': role },
    ...(deleting ? { deletionTimestamp: '2025-01-01T00:00:00Z' } : {}),
  },
});
const event = (type: InvariantEvent['type'], object: KubeObject): InvariantEvent => ({
  type,
  ref: builtin.pods,
  object,
});
const snapshotOf = (pods: KubeObject[]): Snapshot =>
  ({ get: () => undefined, list: () => pods }) as unknown as Snapshot;
const empty = snapshotOf([]);

test('no pod restarted while primary: a fenced pod may go, a labelled primary may not, a user kill is allowed once', () => {
  const check = noPrimaryRestarted('default', 'pg', ['pg-1']).begin();
  // The user kills the primary pg-1: allowed (the scenario's own deletion).
  expect(check(empty, event('update', pod('pg-1', 'a', 'primary', true)))).toBeUndefined();
  // The operator fences pg-2 and then deletes it: fine.
  expect(check(empty, event('update', pod('pg-2', 'b', 'replica')))).toBeUndefined();
  expect(check(empty, event('delete', pod('pg-2', 'b', 'replica')))).toBeUndefined();
  // The recreated pg-1 (a new uid) deleted while labelled primary: broken.
  expect(check(empty, event('update', pod('pg-1', 'c', 'primary', true)))).toMatch(/pg-1 .*labelled primary/);
  // Checked once per incarnation: its later events are not reported again.
  expect(check(empty, event('delete', pod('pg-1', 'c', 'primary')))).toBeUndefined();
  // Another cluster's pods are not this invariant's business.
  const other = pod('x-1', 'd', 'primary', true);
  other.metadata.labels = { 'postgres.steward.dev/cluster': 'x', 'postgres.steward.dev/role': 'primary' };
  expect(check(empty, event('update', other))).toBeUndefined();
});

test('at most one pod labelled primary', () => {
  const check = onePrimaryLabel('default', 'pg').begin();
  expect(
    check(snapshotOf([pod('pg-1', 'a', 'primary')]), event('update', pod('pg-1', 'a', 'primary'))),
  ).toBeFalsy();
  expect(
    check(
      snapshotOf([pod('pg-1', 'a', 'primary'), pod('pg-2', 'b', 'primary')]),
      event('update', pod('pg-2', 'b', 'primary')),
    ),
  ).toMatch(/pg-1, pg-2/);
});
