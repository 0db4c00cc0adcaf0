import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import https from 'node:https';
import type { TLSSocket } from 'node:tls';
import { KubeConfig } from '@kubernetes/client-node';
import { TransportError } from './errors.js';
import { kubeClient } from './kubeClient.js';
import { builtin } from './resourceRef.js';

const read = (file: string): Buffer => readFileSync(new URL(`./testdata/${file}`, import.meta.url));
const b64 = (file: string): string => read(file).toString('base64');

let server: https.Server;
let url: string;

beforeAll(async () => {
  // A TLS server that demands a client certificate signed by the test CA, as a kube-apiserver does.
  server = https.createServer(
    {
      key: read('server.key'),
      cert: read('server.crt'),
      ca: read('ca.crt'),
      requestCert: true,
      rejectUnauthorized: false,
    },
    (req, res) => {
      const peer = (req.socket as TLSSocket).getPeerCertificate();
      const authorized = (req.socket as TLSSocket).authorized;
      res.writeHead(authorized ? 200 : 401, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify(
          authorized
            ? {
                apiVersion: 'v1',
                kind: 'Namespace',
                metadata: { name: 'default', labels: { cn: peer.subject.CN } },
              }
            : { kind: 'Status', code: 401, reason: 'Unauthorized', message: 'Unauthorized' },
        ),
      );
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  url = `https://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

function config(cluster: Record<string, unknown>, user: Record<string, unknown>): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'c', server: url, ...cluster }],
    users: [{ name: 'u', ...user }],
    contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
    currentContext: 'x',
  });
  return kc;
}

test('CA and client certificate from the kubeconfig authenticate over TLS', async () => {
  const client = kubeClient(
    config({ caData: b64('ca.crt') }, { certData: b64('client.crt'), keyData: b64('client.key') }),
  );
  const ns = await client.get(builtin.namespaces, 'default');
  client.close();
  expect(ns.metadata.labels).toEqual({ cn: 'steward-operator' });
});

test('without a client certificate the server answers 401, typed', async () => {
  const client = kubeClient(config({ caData: b64('ca.crt') }, { token: 't' }));
  const err = await client.get(builtin.namespaces, 'default').catch((e: unknown) => e);
  client.close();
  expect(err).toMatchObject({ code: 'API_UNAUTHORIZED', statusCode: 401 });
});

test('a server certificate the CA did not sign is refused', async () => {
  const client = kubeClient(config({ caData: b64('client.crt') }, { token: 't' }));
  const err = await client.get(builtin.namespaces, 'default').catch((e: unknown) => e);
  client.close();
  expect(err).toBeInstanceOf(TransportError);
});

test('tls-server-name checks the certificate against that name', async () => {
  const good = kubeClient(
    config(
      { caData: b64('ca.crt'), tlsServerName: 'kubernetes.default.svc' },
      { certData: b64('client.crt'), keyData: b64('client.key') },
    ),
  );
  await expect(good.get(builtin.namespaces, 'default')).resolves.toBeTruthy();
  good.close();
  const bad = kubeClient(
    config({ caData: b64('ca.crt'), tlsServerName: 'elsewhere.example' }, { token: 't' }),
  );
  await expect(bad.get(builtin.namespaces, 'default')).rejects.toBeInstanceOf(TransportError);
  bad.close();
});
