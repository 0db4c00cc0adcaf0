/**
 * The examples of docs/embedded-api-server.md, run: start the server, talk to it with Steward's
 * client, inject a conflict and a compaction. Start with the `start` region.
 */
import { expect, test } from '@jest/globals';
import { startApiServer } from '@steward/apiserver';
import { builtin, ConflictError, kubeClient, loadKubeConfig } from '@steward/core';

test('the embedded server answers as a cluster, and fails on request', async () => {
  // #region start
  const server = await startApiServer({ port: 0, bookmarkIntervalMs: 1_000 }); // 0: a free port
  const client = kubeClient(loadKubeConfig(server.kubeConfig)); // http://127.0.0.1:<port>
  await client.create(builtin.configmaps, {
    metadata: { name: 'a', namespace: 'default' },
    data: { k: 'v' },
  });
  // #endregion
  try {
    // #region faults
    // The next PUT of a ConfigMap in any namespace answers 409, as if someone wrote first.
    server.faults.failNext({ method: 'PUT', path: '/api/v1/namespaces/*/configmaps/*' }, { code: 409 });
    const current = await client.get(builtin.configmaps, 'a', { namespace: 'default' });
    await expect(client.replace(builtin.configmaps, current)).rejects.toBeInstanceOf(ConflictError);
    server.faults.compact(); // watches resumed from an older resourceVersion now get 410 Gone
    server.faults.closeWatches({ resource: 'configmaps' }); // open watches end; informers resume
    await server.restart(200); // down 200 ms, back on the same port with the same data
    // #endregion
    expect((await client.get(builtin.configmaps, 'a', { namespace: 'default' }))['data']).toEqual({ k: 'v' });
  } finally {
    client.close();
    await server.stop();
  }
});
