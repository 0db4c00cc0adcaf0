// The server object: restart on the same port keeping data, stop/start with kept data, built-in faults.
import { expect, test } from '@jest/globals';
import { startApiServer } from './apiServer.js';

const cm = (name: string) => JSON.stringify({ metadata: { name } });

test('restart() drops connections and comes back on the same port with the same objects', async () => {
  const server = await startApiServer({ port: 0 });
  try {
    await fetch(`${server.url}/api/v1/namespaces/default/configmaps`, {
      method: 'POST',
      body: cm('kept'),
      headers: { 'Content-Type': 'application/json' },
    });
    await server.restart(10);
    // fetch may first pick its pooled keep-alive socket, which the restart closed ("other side
    // closed"): a GET is resent once on a fresh connection, as every HTTP client does for that case.
    const get = () => fetch(`${server.url}/api/v1/namespaces/default/configmaps/kept`);
    const res = await get().catch(get);
    expect(res.status).toBe(200);
  } finally {
    await server.stop();
  }
});

test('stop({ keepData }) hands the data to a new server on the same port', async () => {
  const first = await startApiServer({ port: 0 });
  await fetch(`${first.url}/api/v1/namespaces/default/configmaps`, {
    method: 'POST',
    body: cm('carried'),
    headers: { 'Content-Type': 'application/json' },
  });
  const data = await first.stop({ keepData: true });
  const second = await startApiServer({ port: first.port, data });
  try {
    const got = (await (
      await fetch(`${second.url}/api/v1/namespaces/default/configmaps/carried`)
    ).json()) as { metadata: { name: string } };
    expect(got.metadata.name).toBe('carried');
  } finally {
    await second.stop();
  }
});

test('faults.failNext answers the next matching request with the chosen Status', async () => {
  const server = await startApiServer({ port: 0 });
  try {
    server.faults.failNext(
      { method: 'GET', path: '/api/v1/namespaces' },
      { code: 429, retryAfterSeconds: 2 },
    );
    const res = await fetch(`${server.url}/api/v1/namespaces`);
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('2');
    expect((await fetch(`${server.url}/api/v1/namespaces`)).status).toBe(200);
  } finally {
    await server.stop();
  }
});
