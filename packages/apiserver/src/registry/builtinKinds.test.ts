// Built-in kind rules: []byte fields, ownerReferences, Service address allocation, Pod and Job updates,
// PDB exclusivity — unit level, plus the Service allocation over HTTP.
/* oxlint-disable typescript/no-explicit-any -- tests read JSON answers field by field */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { startApiServer, type ApiServer } from '../apiServer.js';
import { StatusError } from '../errors/status.js';
import type { KObject } from '../storage/storedObject.js';
import { base64ErrorOffset, checkByteFields, mergeStringData } from './byteFields.js';
import { validateOwnerReferences } from './ownerReferences.js';
import { validatePodUpdate } from './podUpdate.js';
import { allocateServiceAddresses } from './serviceAllocation.js';
import { validateJob, validateJobUpdate, validatePodDisruptionBudget } from './workloadValidation.js';

const badSecret = (): void => checkByteFields('secrets', 'Secret', 'v1', { data: { k: 'ab!d' } });
const ref = (name: string, controller: boolean) => ({
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  name,
  uid: `uid-${name}`,
  controller,
});
const svc = (name: string, spec: Record<string, unknown>): KObject => ({
  metadata: { name, namespace: 'ns' },
  spec: { type: 'ClusterIP', ports: [{ port: 80, protocol: 'TCP' }], ...spec },
});
const pod = (spec: Record<string, unknown>): KObject => ({
  spec: { restartPolicy: 'Always', containers: [{ name: 'a', image: 'img:1' }], ...spec },
});
const job = (restartPolicy: string): KObject => ({
  spec: {
    selector: { matchLabels: { u: '1' } },
    template: { metadata: { labels: { u: '1' } }, spec: { restartPolicy } },
  },
});
const serviceBody = (name: string) => ({ metadata: { name }, spec: { ports: [{ port: 80 }] } });

describe('base64 as Go decodes it', () => {
  test.each([
    ['YWRtaW4=', undefined],
    ['', undefined],
    ['YWJj', undefined],
    ['YW\nJj', undefined],
    ['%%%not', 0],
    ['YWJ', 0],
    ['YWJjZ', 4],
    ['YQ=', 3],
    ['Y===', 1],
    ['YQ==x', 4],
    ['YWJ!', 3],
  ])('%j → %p', (s, offset) => {
    expect(base64ErrorOffset(s)).toBe(offset);
  });

  test('a Secret with a bad value fails with the decode error, a ConfigMap binaryData too', () => {
    expect(badSecret).toThrow(StatusError);
    expect(badSecret).toThrow(
      'Secret in version "v1" cannot be handled as a Secret: illegal base64 data at input byte 2',
    );
    expect(() => checkByteFields('configmaps', 'ConfigMap', 'v1', { binaryData: { k: '*' } })).toThrow(
      'illegal base64 data at input byte 0',
    );
    expect(() => checkByteFields('configmaps', 'ConfigMap', 'v1', { data: { k: '*' } })).not.toThrow();
  });

  test('stringData wins over data and is dropped', () => {
    const o: KObject = { data: { a: 'MQ==', b: 'Mg==' }, stringData: { b: 'two', c: 'é' } };
    mergeStringData(o);
    expect(o).toEqual({ data: { a: 'MQ==', b: Buffer.from('two').toString('base64'), c: 'w6k=' } });
  });
});

describe('ownerReferences', () => {
  test('every missing part is Required under its index (v1.37.2 object-meta validation)', () => {
    const causes = validateOwnerReferences([{ apiVersion: 'v1', kind: 'Pod', name: 'p', uid: 'u' }, {}]);
    expect(causes.map((c) => c.field)).toEqual([
      'metadata.ownerReferences[1].apiVersion',
      'metadata.ownerReferences[1].kind',
      'metadata.ownerReferences[1].name',
      'metadata.ownerReferences[1].uid',
    ]);
    expect(causes[0]).toMatchObject({
      reason: 'FieldValueRequired',
      message: 'Required value: must not be empty',
    });
    expect(validateOwnerReferences([{ apiVersion: 'a/b/c', kind: 'K', name: 'n', uid: 'u' }])).toEqual([
      {
        reason: 'FieldValueInvalid',
        field: 'metadata.ownerReferences[0].apiVersion',
        message: 'Invalid value: "a/b/c": must be <group>/<version> or <version>',
      },
    ]);
  });

  test('two controllers are refused, one is fine', () => {
    expect(validateOwnerReferences([ref('a', true), ref('b', false)])).toEqual([]);
    const causes = validateOwnerReferences([ref('a', true), ref('b', true)]);
    expect(causes).toHaveLength(1);
    expect(causes[0]?.message).toMatch(
      /: Only one reference can have Controller set to true. Found "true" in references for ReplicaSet\/a and ReplicaSet\/b$/,
    );
  });

  test('an Event cannot own anything', () => {
    const causes = validateOwnerReferences([{ apiVersion: 'v1', kind: 'Event', name: 'e', uid: 'u' }]);
    expect(causes[0]?.message).toMatch(/\/v1, Kind=Event is disallowed from being an owner$/);
  });
});

describe('Service addresses', () => {
  test('a new Service gets a free address in 10.96.0.0/12', () => {
    const o = svc('a', {});
    expect(allocateServiceAddresses(o, undefined, [])).toEqual([]);
    const spec = o['spec'] as any;
    const octets = (spec.clusterIP as string).split('.').map(Number);
    expect(octets[0]).toBe(10);
    expect(octets[1]).toBeGreaterThanOrEqual(96);
    expect(octets[1]).toBeLessThanOrEqual(111);
    expect(spec.clusterIPs).toEqual([spec.clusterIP]);
  });

  test('a requested address must be free and in range', () => {
    const taken = svc('a', { clusterIP: '10.96.0.20', clusterIPs: ['10.96.0.20'] });
    const again = allocateServiceAddresses(svc('b', { clusterIP: '10.96.0.20' }), undefined, [taken]);
    expect(again[0]?.message).toBe(
      'Invalid value: ["10.96.0.20"]: failed to allocate IP 10.96.0.20: provided IP is already allocated',
    );
    const outside = allocateServiceAddresses(svc('c', { clusterIP: '192.168.0.1' }), undefined, [taken]);
    expect(outside[0]?.message).toContain(
      'is not in the valid range. The range of valid IPs is 10.96.0.0/12',
    );
    const ok = svc('d', { clusterIP: '10.96.0.21' });
    expect(allocateServiceAddresses(ok, undefined, [taken])).toEqual([]);
    expect((ok['spec'] as any).clusterIPs).toEqual(['10.96.0.21']);
  });

  test('an update that omits the address keeps it; changing it is refused', () => {
    const old = svc('a', { clusterIP: '10.96.5.5', clusterIPs: ['10.96.5.5'] });
    const next = svc('a', {});
    expect(allocateServiceAddresses(next, old, [old])).toEqual([]);
    expect((next['spec'] as any).clusterIP).toBe('10.96.5.5');
    const moved = allocateServiceAddresses(svc('a', { clusterIP: '10.96.5.6' }), old, [old]);
    expect(moved[0]?.field).toBe('spec.clusterIPs[0]');
  });

  test('headless and ExternalName Services get no address; NodePorts get ports', () => {
    const headless = svc('h', { clusterIP: 'None' });
    allocateServiceAddresses(headless, undefined, []);
    expect((headless['spec'] as any).clusterIPs).toEqual(['None']);
    const external = svc('e', { type: 'ExternalName', externalName: 'example.com' });
    allocateServiceAddresses(external, undefined, []);
    expect((external['spec'] as any).clusterIP).toBeUndefined();
    const np = svc('n', { type: 'NodePort' });
    allocateServiceAddresses(np, undefined, []);
    const port = (np['spec'] as any).ports[0].nodePort as number;
    expect(port).toBeGreaterThanOrEqual(30000);
    expect(port).toBeLessThanOrEqual(32767);
    const clash = svc('m', { type: 'NodePort', ports: [{ port: 81, nodePort: port }] });
    expect(allocateServiceAddresses(clash, undefined, [np])[0]?.message).toBe(
      `Invalid value: ${port}: provided port is already allocated`,
    );
  });
});

describe('Pod updates', () => {
  test('images, a shorter deadline and added tolerations may change', () => {
    const old = pod({ activeDeadlineSeconds: 100, tolerations: [{ key: 'x', operator: 'Exists' }] });
    const next = pod({
      containers: [{ name: 'a', image: 'img:2' }],
      activeDeadlineSeconds: 50,
      tolerations: [
        { key: 'x', operator: 'Exists' },
        { key: 'y', operator: 'Exists' },
      ],
    });
    expect(validatePodUpdate(next, old)).toEqual([]);
  });

  test('anything else is forbidden with the real message and a diff', () => {
    const causes = validatePodUpdate(pod({ restartPolicy: 'Never' }), pod({}));
    expect(causes).toHaveLength(1);
    expect(causes[0]?.field).toBe('spec');
    expect(causes[0]?.message).toMatch(
      /^Forbidden: pod updates may not change fields other than `spec.containers\[\*\].image`,/,
    );
    expect(causes[0]?.message).toContain('- \tRestartPolicy: "Always",\n+ \tRestartPolicy: "Never",');
    expect(
      validatePodUpdate(pod({ activeDeadlineSeconds: 200 }), pod({ activeDeadlineSeconds: 100 })),
    ).toHaveLength(1);
    expect(validatePodUpdate(pod({ tolerations: [] }), pod({ tolerations: [{ key: 'x' }] }))).toHaveLength(1);
  });

  test('containers cannot be added or removed', () => {
    const two = pod({
      containers: [
        { name: 'a', image: 'i' },
        { name: 'b', image: 'i' },
      ],
    });
    expect(validatePodUpdate(two, pod({}))[0]?.message).toBe(
      'Forbidden: pod updates may not add or remove containers',
    );
  });
});

describe('Jobs and PDBs', () => {
  test('a Job restarts OnFailure or Never only', () => {
    expect(validateJob(job('Never'))).toEqual([]);
    expect(validateJob(job('Always'))).toEqual([
      {
        reason: 'FieldValueNotSupported',
        message: 'Unsupported value: "Always": supported values: "OnFailure", "Never"',
        field: 'spec.template.spec.restartPolicy',
      },
    ]);
  });

  test("a Job's selector is fixed and its template too unless suspended", () => {
    const old = job('Never');
    const moved = job('Never');
    (moved['spec'] as any).selector = { matchLabels: { u: '2' } };
    expect(validateJobUpdate(moved, old).map((c) => c.field)).toEqual(['spec.selector']);
    const retemplated = job('OnFailure');
    expect(validateJobUpdate(retemplated, old).map((c) => c.field)).toEqual(['spec.template']);
    (old['spec'] as any).suspend = true;
    expect(validateJobUpdate(retemplated, old)).toEqual([]);
  });

  test('a PDB sets minAvailable or maxUnavailable, not both', () => {
    const causes = validatePodDisruptionBudget({ spec: { maxUnavailable: 1, minAvailable: '50%' } });
    expect(causes).toEqual([
      {
        reason: 'FieldValueInvalid',
        message:
          // As kube-apiserver v1.37.2 prints the internal struct: Go field names, absent fields null.
          'Invalid value: {"MinAvailable":"50%","Selector":null,"MaxUnavailable":1,"UnhealthyPodEvictionPolicy":null}: minAvailable and maxUnavailable cannot be both set',
        field: 'spec',
      },
    ]);
    expect(validatePodDisruptionBudget({ spec: { minAvailable: '150%' } })[0]?.message).toBe(
      'Invalid value: "150%": must not be greater than 100%',
    );
    expect(validatePodDisruptionBudget({ spec: { minAvailable: 2 } })).toEqual([]);
  });
});

describe('over HTTP', () => {
  let server: ApiServer;
  beforeAll(async () => {
    server = await startApiServer({ port: 0 });
  });
  afterAll(async () => {
    await server.stop();
  });
  const call = async (
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; json: any }> => {
    const res = await fetch(`${server.url}${path}`, {
      method,
      headers: { 'Content-Type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, json: await res.json() };
  };

  test('two Services get different addresses, and a PUT without one keeps it', async () => {
    const path = '/api/v1/namespaces/default/services';
    const a = await call('POST', path, serviceBody('a'));
    const b = await call('POST', path, serviceBody('b'));
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    expect(a.json.spec.clusterIP).not.toBe(b.json.spec.clusterIP);
    const put = await call('PUT', `${path}/a`, { ...serviceBody('a'), metadata: { name: 'a' } });
    expect(put.status).toBe(200);
    expect(put.json.spec.clusterIP).toBe(a.json.spec.clusterIP);
  });

  test('a Job gets its generated selector and labels', async () => {
    const made = await call('POST', '/apis/batch/v1/namespaces/default/jobs', {
      metadata: { name: 'j' },
      spec: {
        template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox:1' }] } },
      },
    });
    expect(made.status).toBe(201);
    const uid = made.json.metadata.uid;
    expect(made.json.spec.selector).toEqual({ matchLabels: { 'batch.kubernetes.io/controller-uid': uid } });
    expect(made.json.spec.template.metadata.labels).toEqual({
      'batch.kubernetes.io/controller-uid': uid,
      'batch.kubernetes.io/job-name': 'j',
      'controller-uid': uid,
      'job-name': 'j',
    });
    // A read-modify-write of the Job keeps its selector, so the update is accepted.
    made.json.metadata.labels = { touched: 'yes' };
    expect((await call('PUT', '/apis/batch/v1/namespaces/default/jobs/j', made.json)).status).toBe(200);
  });
});
