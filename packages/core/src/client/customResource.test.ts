import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { startApiServer } from '@steward/apiserver';
import type { ApiServer } from '@steward/apiserver';
import { InvalidError, UnexpectedApiError } from './errors.js';
import { clientFor, createWidgetCrd, widgets } from './testServer.fixture.js';
import type { KubeClient, KubeObject } from './types.js';

let server: ApiServer;
let client: KubeClient;

beforeAll(async () => {
  server = await startApiServer({ port: 0 });
  ({ client } = clientFor(server));
  await createWidgetCrd(client, {
    spec: { type: 'object', properties: { size: { type: 'integer', minimum: 1 } } },
    status: { type: 'object', properties: { ready: { type: 'boolean' } } },
  });
});

afterAll(async () => {
  client.close();
  await server.stop();
});

type Widget = KubeObject & { spec?: { size?: number }; status?: { ready?: boolean } };

test('custom resources: create, status subresource, merge patch', async () => {
  const created = await client.create<Widget>(widgets, {
    metadata: { name: 'w1', namespace: 'default' },
    spec: { size: 2 },
    status: { ready: true },
  });
  expect(created.apiVersion).toBe('test.steward.dev/v1');
  // With a status subresource, the main resource ignores status.
  expect(created.status).toBeUndefined();
  const withStatus = await client.patchStatus<Widget>(
    widgets,
    'w1',
    { status: { ready: true } },
    { namespace: 'default' },
  );
  expect(withStatus.status).toEqual({ ready: true });
  const patched = await client.patch<Widget>(widgets, 'w1', { spec: { size: 3 } }, { namespace: 'default' });
  expect(patched.spec?.size).toBe(3);
  expect(patched.metadata.generation).toBe(2);
});

test('schema violations are InvalidError with the field', async () => {
  const err = await client
    .create(widgets, { metadata: { name: 'w2', namespace: 'default' }, spec: { size: 0 } })
    .catch((e: unknown) => e);
  expect(err).toBeInstanceOf(InvalidError);
  expect((err as InvalidError).causes.map((c) => c.field)).toContain('spec.size');
});

test('a strategic merge patch on a custom resource is refused with 415, typed', async () => {
  const err = await client
    .patch(widgets, 'w1', { spec: { size: 4 } }, { namespace: 'default', type: 'strategic' })
    .catch((e: unknown) => e);
  expect(err).toBeInstanceOf(UnexpectedApiError);
  expect(err).toMatchObject({ statusCode: 415, retryable: false });
});
