/**
 * Runs the level-triggered Shelf controller of docs/concepts.md on the embedded API server: it
 * converges to `spec.books` ConfigMaps from any state, including a book deleted behind its back.
 */
import { afterEach, beforeEach, expect, test } from '@jest/globals';
import { addController, builtin, isConditionTrue, resourceRefOf } from '@steward/core';
import type { KubeObject } from '@steward/core';
import { runManager, startTestEnv, waitFor } from '@steward/testing';
import type { TestEnv } from '@steward/testing';
import { Shelf, ShelfController } from './concepts.js';

const shelves = resourceRefOf(Shelf);
let env: TestEnv;
beforeEach(async () => {
  env = await startTestEnv({ crds: [Shelf], namespace: true });
  await runManager(env, (m) => {
    addController(m, new ShelfController());
  });
});
afterEach(() => env.stop());

async function books(): Promise<string[]> {
  const { items } = await env.client.list(builtin.configmaps, {
    namespace: env.namespace,
    labelSelector: 'shelf=s',
  });
  return items.map((item) => item.metadata.name ?? '').sort();
}

test('the shelf converges from whatever state it finds', async () => {
  const { namespace } = env;
  await env.client.create(shelves, { metadata: { name: 's', namespace }, spec: { books: 3 } });
  const three = ['s-book-0', 's-book-1', 's-book-2'];
  await waitFor(async () => JSON.stringify(await books()) === JSON.stringify(three), { state: books });
  // Someone deletes a book: the owned ConfigMap's event wakes the Shelf, which reads the world again.
  await env.client.delete(builtin.configmaps, 's-book-1', { namespace });
  await waitFor(async () => (await books()).includes('s-book-1'), { state: books });
  await env.client.patch(shelves, 's', { spec: { books: 1 } }, { namespace });
  await waitFor(async () => JSON.stringify(await books()) === '["s-book-0"]', { state: books });
  const shelf = await waitFor(async () => {
    const s = await env.client.get<Shelf & KubeObject>(shelves, 's', { namespace });
    return s.status?.conditions?.find((c) => c.message === '1 books') ? s : undefined;
  });
  expect(isConditionTrue(shelf.status?.conditions, 'Ready')).toBe(true);
});
