// kubectl's typed clients send protobuf bodies; the kinds `kubectl create` makes most are decoded.
/* oxlint-disable typescript/no-explicit-any -- tests read JSON answers field by field */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { startApiServer, type ApiServer } from '../apiServer.js';
import { decodeProtobufObject } from './protobuf.js';

const run = promisify(execFile);
let server: ApiServer;
let dir: string;
let kubectl: (...args: string[]) => Promise<string>;

beforeAll(async () => {
  server = await startApiServer({ port: 0 });
  dir = await mkdtemp(join(tmpdir(), 'steward-proto-'));
  const kubeconfig = join(dir, 'kubeconfig');
  await writeFile(kubeconfig, JSON.stringify(server.kubeConfig));
  kubectl = async (...args) => (await run('kubectl', ['--kubeconfig', kubeconfig, ...args])).stdout;
});
afterAll(async () => {
  await server.stop();
  await rm(dir, { recursive: true, force: true });
});

test('kubectl create namespace, configmap, secret and serviceaccount (protobuf bodies) are stored as sent', async () => {
  await kubectl('create', 'namespace', 'proto');
  await kubectl('create', 'configmap', 'c', '-n', 'proto', '--from-literal=a=b');
  await kubectl('create', 'secret', 'generic', 's', '-n', 'proto', '--from-literal=p=q');
  await kubectl('create', 'serviceaccount', 'bot', '-n', 'proto');
  const cm = (await (await fetch(`${server.url}/api/v1/namespaces/proto/configmaps/c`)).json()) as {
    data: unknown;
  };
  expect(cm.data).toEqual({ a: 'b' });
  const secret = (await (await fetch(`${server.url}/api/v1/namespaces/proto/secrets/s`)).json()) as {
    data: { p: string };
    type: string;
  };
  expect(Buffer.from(secret.data.p, 'base64').toString()).toBe('q');
  expect(secret.type).toBe('Opaque');
  expect(await kubectl('get', 'sa', 'bot', '-n', 'proto', '-o', 'name')).toBe('serviceaccount/bot\n');
});

async function get(path: string): Promise<any> {
  return (await fetch(`${server.url}${path}`)).json();
}

test('a body without the k8s protobuf magic is a 400', () => {
  expect(() => decodeProtobufObject(Buffer.from('{}'))).toThrow('not a Kubernetes protobuf object');
});

test('kubectl create deployment, job and service (protobuf bodies) are stored with their fields', async () => {
  await kubectl('create', 'namespace', 'proto-work');
  await kubectl(
    'create',
    'deployment',
    'web',
    '-n',
    'proto-work',
    '--image=nginx:1.27',
    '--replicas=2',
    '--port=80',
  );
  await kubectl('create', 'job', 'once', '-n', 'proto-work', '--image=busybox:1', '--', 'echo', 'hi');
  await kubectl('create', 'service', 'clusterip', 'web', '-n', 'proto-work', '--tcp=80:8080');
  const deploy = await get('/apis/apps/v1/namespaces/proto-work/deployments/web');
  expect(deploy.spec.replicas).toBe(2);
  expect(deploy.spec.selector).toEqual({ matchLabels: { app: 'web' } });
  expect(deploy.spec.template.spec.containers).toEqual([
    expect.objectContaining({
      name: 'nginx',
      image: 'nginx:1.27',
      ports: [{ containerPort: 80, protocol: 'TCP' }],
    }),
  ]);
  const job = await get('/apis/batch/v1/namespaces/proto-work/jobs/once');
  expect(job.spec.template.spec.restartPolicy).toBe('Never');
  expect(job.spec.template.spec.containers[0].command).toEqual(['echo', 'hi']);
  const svc = await get('/api/v1/namespaces/proto-work/services/web');
  expect(svc.spec.ports).toEqual([{ name: '80-8080', port: 80, protocol: 'TCP', targetPort: 8080 }]);
  expect(svc.spec.clusterIP).toMatch(/^10\./);
});
