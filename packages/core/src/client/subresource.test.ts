import type { IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { startApiServer, type ApiServer } from '@steward/apiserver';
import { builtin } from './resourceRef.js';
import { clientFor } from './testServer.fixture.js';
import type { KubeClient, KubeObject } from './types.js';

describe('writes to subresources (create/replace with `subresource`)', () => {
  let server: ApiServer;
  let client: KubeClient;
  const requests: string[] = [];
  beforeAll(async () => {
    server = await startApiServer({
      port: 0,
      onRequest: (req: IncomingMessage) => {
        requests.push(`${req.method ?? ''} ${(req.url ?? '').split('?')[0] ?? ''}`);
        return Promise.resolve(false);
      },
    });
    ({ client } = clientFor(server));
  });
  afterAll(async () => {
    client.close();
    await server.stop();
  });

  test('create: a Binding POSTed to pods/<name>/binding schedules the pod, keeping kind Binding', async () => {
    const ns = { namespace: 'default' };
    await client.create(builtin.pods, {
      metadata: { name: 'p1', ...ns },
      spec: { containers: [{ name: 'c', image: 'busybox' }] },
    });
    await client.create(
      builtin.pods,
      {
        apiVersion: 'v1',
        kind: 'Binding',
        metadata: { name: 'p1', ...ns },
        target: { kind: 'Node', name: 'n1' },
      },
      { subresource: 'binding' },
    );
    expect(requests).toContain('POST /api/v1/namespaces/default/pods/p1/binding');
    const pod = await client.get<KubeObject & { spec: { nodeName?: string } }>(builtin.pods, 'p1', ns);
    expect(pod.spec.nodeName).toBe('n1');
  });

  test('replace: PUT namespaces/<name>/finalize drops the kubernetes finalizer of a terminating namespace', async () => {
    await client.create(builtin.namespaces, { metadata: { name: 'going' } });
    await client.delete(builtin.namespaces, 'going');
    const ns = await client.get<KubeObject & { spec: { finalizers?: string[] } }>(
      builtin.namespaces,
      'going',
    );
    expect(ns.spec.finalizers).toEqual(['kubernetes']);
    await client.replace(
      builtin.namespaces,
      { ...ns, spec: { finalizers: [] } },
      { subresource: 'finalize' },
    );
    expect(requests).toContain('PUT /api/v1/namespaces/going/finalize');
  });
});
