import { describe, expect, test } from '@jest/globals';
import { StatusError } from '../errors/status.js';
import { builtinMergeSchema, crdMergeSchema } from './mergeSchema.js';
import { recordUpdate, serverSideApply } from './serverSideApply.js';

type Obj = Record<string, unknown>;

/** The value at a dotted path (list items by index), or undefined when any step is missing. */
function get(value: unknown, path: string): unknown {
  let at = value;
  for (const step of path.split('.')) {
    if (at === null || typeof at !== 'object') return undefined;
    at = (at as Obj)[step];
  }
  return at;
}
const schema = builtinMergeSchema('apps', 'Deployment');
const T0 = '2026-11-27T06:00:00Z';
const T1 = '2026-11-27T06:01:00Z';
const T2 = '2026-11-27T06:02:00Z';

const opts = (manager: string, now = T0, force = false) => ({
  manager,
  apiVersion: 'apps/v1',
  now,
  schema,
  force,
});

const config: Obj = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'default', labels: { app: 'web' } },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: 'web' } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: { containers: [{ name: 'nginx', image: 'nginx:1' }] },
    },
  },
};

function conflictOf(fn: () => unknown): StatusError {
  try {
    fn();
  } catch (e) {
    if (e instanceof StatusError) return e;
    throw e;
  }
  throw new Error('expected a conflict');
}

describe('serverSideApply', () => {
  test('create records an Apply entry in the FieldsV1 encoding', () => {
    const out = serverSideApply(undefined, config, opts('kubectl')) as Obj;
    expect(out['spec']).toEqual(config['spec']);
    expect(get(out, 'metadata.managedFields')).toEqual([
      {
        manager: 'kubectl',
        operation: 'Apply',
        apiVersion: 'apps/v1',
        time: T0,
        fieldsType: 'FieldsV1',
        fieldsV1: {
          'f:metadata': { 'f:labels': { 'f:app': {} } },
          'f:spec': {
            'f:replicas': {},
            'f:selector': {},
            'f:template': {
              'f:metadata': { 'f:labels': { 'f:app': {} } },
              'f:spec': {
                'f:containers': { 'k:{"name":"nginx"}': { '.': {}, 'f:image': {}, 'f:name': {} } },
              },
            },
          },
        },
      },
    ]);
    expect(get(config, 'metadata.managedFields')).toBeUndefined();
  });

  test('another applier changing an owned field gets the real 409', () => {
    const live = serverSideApply(undefined, config, opts('kubectl'));
    const err = conflictOf(() =>
      serverSideApply(live, { ...config, spec: { replicas: 5 } }, opts('other', T1)),
    );
    expect(err.code).toBe(409);
    expect(err.status.reason).toBe('Conflict');
    expect(err.status.message).toBe('Apply failed with 1 conflict: conflict with "kubectl": .spec.replicas');
    expect(err.status.details?.causes).toEqual([
      { reason: 'FieldManagerConflict', message: 'conflict with "kubectl"', field: '.spec.replicas' },
    ]);
  });

  test('several conflicts are listed per manager', () => {
    const live = serverSideApply(undefined, config, opts('kubectl'));
    const change = {
      spec: { replicas: 5, template: { spec: { containers: [{ name: 'nginx', image: 'nginx:2' }] } } },
    };
    const err = conflictOf(() => serverSideApply(live, change, opts('other', T1)));
    expect(err.status.message).toBe(
      'Apply failed with 2 conflicts: conflicts with "kubectl":\n- .spec.replicas\n- .spec.template.spec.containers[name="nginx"].image',
    );
  });

  test('the same value is shared ownership, not a conflict', () => {
    const live = serverSideApply(undefined, config, opts('kubectl'));
    const out = serverSideApply(live, { spec: { replicas: 2 } }, opts('other', T1)) as Obj;
    const mf = get(out, 'metadata.managedFields') as Obj[];
    expect(mf.map((e) => e['manager'])).toEqual(['kubectl', 'other']);
    expect(mf[1]?.['fieldsV1']).toEqual({ 'f:spec': { 'f:replicas': {} } });
    expect(get(mf[0], 'fieldsV1.f:spec.f:replicas')).toEqual({});
    // Nothing changed for the object, so the new entry's time is its first time, and the old one keeps its own.
    expect(mf[0]?.['time']).toBe(T0);
  });

  test('re-applying the same configuration changes nothing, not even entry times', () => {
    // The handler stores a write only when the object's JSON changes, so a second manager joining is a
    // write (its entry is new) while a manager repeating itself is not.
    const live = serverSideApply(undefined, config, opts('kubectl'));
    expect(serverSideApply(live, config, opts('kubectl', T2))).toEqual(live);
    const shared = serverSideApply(live, { spec: { replicas: 2 } }, opts('other', T1));
    expect(shared).not.toEqual(live);
    expect(serverSideApply(shared, { spec: { replicas: 2 } }, opts('other', T2))).toEqual(shared);
  });

  test('force moves ownership', () => {
    const live = serverSideApply(undefined, config, opts('kubectl'));
    const out = serverSideApply(live, { spec: { replicas: 5 } }, opts('other', T1, true)) as Obj;
    expect(get(out, 'spec.replicas')).toBe(5);
    const [kubectl, other] = get(out, 'metadata.managedFields') as Obj[];
    expect(get(kubectl, 'fieldsV1.f:spec.f:replicas')).toBeUndefined();
    expect(other?.['fieldsV1']).toEqual({ 'f:spec': { 'f:replicas': {} } });
  });

  test('fields the applier stops setting are removed unless someone else owns them', () => {
    const live = serverSideApply(undefined, config, opts('kubectl'));
    const shared = serverSideApply(live, { metadata: { labels: { app: 'web' } } }, opts('other', T1));
    const { replicas: _r, ...specWithoutReplicas } = config['spec'] as Obj;
    const next = { ...config, metadata: { name: 'web' }, spec: specWithoutReplicas };
    const out = serverSideApply(shared, next, opts('kubectl', T2)) as Obj;
    expect(get(out, 'spec.replicas')).toBeUndefined();
    expect(get(out, 'metadata.labels')).toEqual({ app: 'web' }); // still owned by "other"
    const alone = serverSideApply(live, next, opts('kubectl', T2)) as Obj;
    expect(get(alone, 'metadata.labels')).toBeUndefined(); // emptied and owned by nobody
  });

  test('removing a list item the applier owned', () => {
    const two = {
      spec: {
        template: {
          spec: {
            containers: [
              { name: 'a', image: '1' },
              { name: 'b', image: '1' },
            ],
          },
        },
      },
    };
    const live = serverSideApply(undefined, two, opts('kubectl'));
    const out = serverSideApply(
      live,
      { spec: { template: { spec: { containers: [{ name: 'b', image: '1' }] } } } },
      opts('kubectl', T1),
    ) as Obj;
    expect(get(out, 'spec.template.spec.containers')).toEqual([{ name: 'b', image: '1' }]);
  });

  test('apply merges keyed lists into live items without dropping fields set by others', () => {
    const live = recordUpdate(
      undefined,
      { spec: { template: { spec: { containers: [{ name: 'a', image: '1', args: ['x'] }] } } } },
      opts('ctrl'),
    );
    const out = serverSideApply(
      live,
      {
        spec: {
          template: {
            spec: {
              containers: [
                { name: 'a', image: '1' },
                { name: 'b', image: '2' },
              ],
            },
          },
        },
      },
      opts('kubectl', T1),
    ) as Obj;
    expect(get(out, 'spec.template.spec.containers')).toEqual([
      { name: 'a', image: '1', args: ['x'] },
      { name: 'b', image: '2' },
    ]);
  });

  test('conflicts with Update managers print their API version', () => {
    const live = serverSideApply(undefined, config, opts('kubectl'));
    const updated = recordUpdate(
      live,
      { ...(live as Obj), spec: { ...((live as Obj)['spec'] as Obj), replicas: 3 } },
      opts('hpa', T1),
    );
    const mf = get(updated, 'metadata.managedFields') as Obj[];
    expect(mf.map((e) => `${e['manager']}/${e['operation']}`)).toEqual(['kubectl/Apply', 'hpa/Update']);
    expect(mf[1]?.['fieldsV1']).toEqual({ 'f:spec': { 'f:replicas': {} } });
    const err = conflictOf(() => serverSideApply(updated, config, opts('kubectl', T2)));
    expect(err.status.message).toBe(
      'Apply failed with 1 conflict: conflict with "hpa" using apps/v1: .spec.replicas',
    );
  });

  test('status is not owned through the main resource when there is a status subresource', () => {
    const out = serverSideApply(
      undefined,
      { spec: { a: 1 }, status: { ready: true } },
      { ...opts('kubectl'), statusSubresource: true },
    ) as Obj;
    expect(get(out, 'metadata.managedFields.0.fieldsV1')).toEqual({ 'f:spec': { 'f:a': {} } });
    expect(out['status']).toBeUndefined();
    const st = serverSideApply(
      out,
      { status: { ready: true } },
      { ...opts('ctrl', T1), subresource: 'status' },
    ) as Obj;
    expect(st['status']).toEqual({ ready: true });
    expect(get(st, 'metadata.managedFields.1')).toMatchObject({
      manager: 'ctrl',
      subresource: 'status',
      fieldsV1: { 'f:status': { 'f:ready': {} } },
    });
  });

  test('CRD list-map keys come from x-kubernetes-list-map-keys', () => {
    const crd = crdMergeSchema({
      type: 'object',
      properties: {
        spec: {
          type: 'object',
          properties: {
            ports: {
              type: 'array',
              'x-kubernetes-list-type': 'map',
              'x-kubernetes-list-map-keys': ['port', 'protocol'],
              items: { type: 'object' },
            },
            tags: { type: 'array', 'x-kubernetes-list-type': 'set', items: { type: 'string' } },
          },
        },
      },
    });
    const out = serverSideApply(
      undefined,
      { spec: { ports: [{ protocol: 'TCP', port: 80, name: 'http' }], tags: ['a'] } },
      { ...opts('m'), schema: crd },
    ) as Obj;
    expect(get(out, 'metadata.managedFields.0.fieldsV1')).toEqual({
      'f:spec': {
        'f:ports': {
          'k:{"port":80,"protocol":"TCP"}': { '.': {}, 'f:name': {}, 'f:port': {}, 'f:protocol': {} },
        },
        'f:tags': { 'v:"a"': {} },
      },
    });
  });
});

describe('recordUpdate', () => {
  test('create marks new maps and list items as members', () => {
    const out = recordUpdate(
      undefined,
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', labels: { a: 'b' } }, data: { k: 'v' } },
      { ...opts('kubectl-create'), apiVersion: 'v1' },
    ) as Obj;
    expect(get(out, 'metadata.managedFields')).toEqual([
      {
        manager: 'kubectl-create',
        operation: 'Update',
        apiVersion: 'v1',
        time: T0,
        fieldsType: 'FieldsV1',
        fieldsV1: { 'f:data': { '.': {}, 'f:k': {} }, 'f:metadata': { 'f:labels': { '.': {}, 'f:a': {} } } },
      },
    ]);
  });

  test('a write that changes nothing records nothing new', () => {
    const created = recordUpdate(undefined, { data: { k: 'v' } }, opts('a'));
    const same = recordUpdate(created, { ...(created as Obj) }, opts('b', T1)) as Obj;
    expect((get(same, 'metadata.managedFields') as Obj[]).map((e) => e['manager'])).toEqual(['a']);
  });

  test('removed fields leave every manager; empty entries are dropped', () => {
    const created = recordUpdate(undefined, { data: { k: 'v' } }, opts('a'));
    const out = recordUpdate(created, { data: { other: 'x' } }, opts('b', T1)) as Obj;
    expect((get(out, 'metadata.managedFields') as Obj[]).map((e) => [e['manager'], e['fieldsV1']])).toEqual([
      ['a', { 'f:data': {} }], // the map itself, now a leaf of the set
      ['b', { 'f:data': { 'f:other': {} } }],
    ]);
  });

  test('resourceVersion, generation and other server fields are never owned', () => {
    const out = recordUpdate(
      { metadata: { name: 'x', resourceVersion: '1' } },
      { metadata: { name: 'x', resourceVersion: '2', generation: 2 } },
      opts('a'),
    ) as Obj;
    expect(get(out, 'metadata.managedFields')).toBeUndefined();
  });
});
