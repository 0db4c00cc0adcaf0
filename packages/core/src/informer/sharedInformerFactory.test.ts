import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startApiServer } from '@steward/apiserver';
import { clientFor } from '../client/testServer.fixture.js';
import type { KubeClient, KubeObject } from '../client/types.js';
import { configMaps } from './httpListWatcher.fixture.js';
import { InformerStoppedError } from './informerErrors.js';
import { sharedInformerFactory } from './sharedInformerFactory.js';

type Server = Awaited<ReturnType<typeof startApiServer>>;
let server: Server;
let client: KubeClient;
const requests: string[] = [];

beforeAll(async () => {
  server = await startApiServer({
    port: 0,
    onRequest: (req) => {
      requests.push(`${req.method ?? ''} ${req.url ?? ''}`);
      return Promise.resolve(false);
    },
  });
  ({ client } = clientFor(server));
  await client.create(configMaps, { metadata: { name: 'a', namespace: 'default', labels: { app: 'x' } } });
});
afterAll(async () => {
  client.close();
  await server.stop();
});

const strip = (o: KubeObject): KubeObject => o;
const configMapRequests = (kind: 'watch' | 'list'): number =>
  requests.filter((r) => r.includes('/configmaps') && r.includes('watch=') === (kind === 'watch')).length;

describe('sharedInformerFactory', () => {
  it('gives every caller with the same options one informer: one list, one watch', async () => {
    requests.length = 0;
    const factory = sharedInformerFactory(client);
    const first = factory.informer({ ref: configMaps, namespace: 'default' });
    const second = factory.informer({ ref: { ...configMaps }, namespace: 'default' });
    expect(second).toBe(first);
    factory.start();
    await factory.waitForSync();
    expect(first.store.get('default/a')?.metadata.name).toBe('a');
    expect(configMapRequests('list')).toBe(1);
    await factory.stop();
    expect(configMapRequests('watch')).toBeLessThanOrEqual(1);
  });

  it('separates informers by namespace, selectors, metadata mode and transform', async () => {
    const factory = sharedInformerFactory(client);
    const keys = [
      factory.informer({ ref: configMaps }),
      factory.informer({ ref: configMaps, namespace: 'default' }),
      factory.informer({ ref: configMaps, labelSelector: 'app=x' }),
      factory.informer({ ref: configMaps, fieldSelector: 'metadata.name=a' }),
      factory.informer({ ref: configMaps, metadataOnly: true }),
      factory.informer({ ref: configMaps, transform: strip }),
      factory.informer({ ref: configMaps, transform: (o) => o }),
    ];
    expect(new Set(keys).size).toBe(7);
    // the same function, or the same transformId, shares
    expect(factory.informer({ ref: configMaps, transform: strip })).toBe(keys[5]);
    const byId = factory.informer({ ref: configMaps, transform: (o) => o, transformId: 'identity' });
    expect(factory.informer({ ref: configMaps, transform: (o) => o, transformId: 'identity' })).toBe(byId);
    expect(factory.health()).toHaveLength(8);
    await factory.stop();
  });

  it('starts informers created after start, reports health per informer, refuses after stop', async () => {
    const factory = sharedInformerFactory(client, { idleTimeoutMs: 5_000 });
    factory.start();
    const late = factory.informer({ ref: configMaps, namespace: 'default', labelSelector: 'app=x' });
    await late.waitForSync();
    expect(late.store.size).toBe(1);
    const [health] = factory.health();
    expect(health).toEqual(expect.objectContaining({ hasSynced: true, running: true, size: 1 }));
    expect(health?.key).toContain('app=x');
    await factory.stop();
    expect(late.health().running).toBe(false);
    expect(() => factory.informer({ ref: configMaps })).toThrow(InformerStoppedError);
  });
});
