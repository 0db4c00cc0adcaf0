/* oxlint-disable typescript/no-explicit-any -- the cases read the applied JSON field by field */
import { describe, expect, test } from '@jest/globals';
import { builtinMergeSchema, crdMergeSchema } from './mergeSchema.js';
import { serverSideApply } from './serverSideApply.js';

type Obj = Record<string, any>;

const T0 = '2026-11-27T06:00:00Z';
const T1 = '2026-11-27T06:01:00Z';
const sts = builtinMergeSchema('apps', 'StatefulSet');
const opts = (now: string, schema = sts) => ({
  manager: 'm',
  apiVersion: 'apps/v1',
  now,
  schema,
  force: false,
});

/** What the server stores after an apply: the result with the defaults the strategy would add. */
function withTcp(obj: Obj): Obj {
  for (const c of obj['spec']['template']['spec']['containers'])
    for (const p of c.ports ?? []) p.protocol ??= 'TCP';
  return obj;
}

function statefulSet(extra: Obj = {}): Obj {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 's' },
    spec: {
      template: {
        metadata: { labels: { app: 's' }, ...extra },
        spec: { containers: [{ name: 'c', image: 'i', ports: [{ containerPort: 80, name: 'http' }] }] },
      },
    },
  };
}

describe('list-map keys with defaults', () => {
  test('a port without protocol is the stored TCP port: one item, the object and managedFields unchanged', () => {
    const live = withTcp(serverSideApply(undefined, statefulSet(), opts(T0)));
    const again = serverSideApply(live, statefulSet(), opts(T1)) as Obj;
    expect(again).toEqual(live);
    const owned = again['metadata']['managedFields'][0]['fieldsV1'];
    expect(owned['f:spec']['f:template']['f:spec']['f:containers']['k:{"name":"c"}']['f:ports']).toEqual({
      'k:{"containerPort":80,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {}, 'f:name': {} },
    });
  });

  test('a port with another protocol stays a separate item', () => {
    const live = withTcp(serverSideApply(undefined, statefulSet(), opts(T0)));
    const udp = statefulSet();
    udp['spec']['template']['spec']['containers'][0].ports.push({
      containerPort: 80,
      name: 'dns',
      protocol: 'UDP',
    });
    const out = serverSideApply(live, udp, opts(T1)) as Obj;
    expect(out['spec']['template']['spec']['containers'][0].ports).toEqual([
      { containerPort: 80, name: 'http', protocol: 'TCP' },
      { containerPort: 80, name: 'dns', protocol: 'UDP' },
    ]);
  });

  test('Service ports are keyed by port and protocol, protocol defaulting to TCP', () => {
    const schema = builtinMergeSchema('', 'Service');
    const svc = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'x' },
      spec: { ports: [{ port: 80 }] },
    };
    const live: Obj = serverSideApply(undefined, svc, opts(T0, schema));
    live['spec']['ports'][0].protocol = 'TCP';
    expect(serverSideApply(live, svc, opts(T1, schema))).toEqual(live);
  });

  test('a CRD map-list key takes the default its item schema declares', () => {
    const schema = crdMergeSchema({
      type: 'object',
      properties: {
        spec: {
          type: 'object',
          properties: {
            items: {
              type: 'array',
              'x-kubernetes-list-type': 'map',
              'x-kubernetes-list-map-keys': ['name', 'zone'],
              items: {
                type: 'object',
                properties: { name: { type: 'string' }, zone: { type: 'string', default: 'a' } },
              },
            },
          },
        },
      },
    });
    const cr = { apiVersion: 'g/v1', kind: 'W', metadata: { name: 'w' }, spec: { items: [{ name: 'x' }] } };
    const live: Obj = serverSideApply(undefined, cr, opts(T0, schema));
    live['spec']['items'][0].zone = 'a';
    const again: Obj = serverSideApply(live, cr, opts(T1, schema));
    expect(again['spec']['items']).toEqual([{ name: 'x', zone: 'a' }]);
    expect(again).toEqual(live);
  });
});

describe('empty maps a typed object omits', () => {
  test('an applied `annotations: {}` is owned but not stored, and applying it again changes nothing', () => {
    const first = serverSideApply(undefined, statefulSet({ annotations: {} }), opts(T0)) as Obj;
    expect(first['spec']['template']['metadata']).toEqual({ labels: { app: 's' } });
    const owned = first['metadata']['managedFields'][0]['fieldsV1'];
    expect(owned['f:spec']['f:template']['f:metadata']).toEqual({
      'f:annotations': {},
      'f:labels': { 'f:app': {} },
    });
    const live = withTcp(first);
    expect(serverSideApply(live, statefulSet({ annotations: {} }), opts(T1))).toEqual(live);
  });

  test('emptying an owned map drops it but keeps the map owned', () => {
    const live = withTcp(serverSideApply(undefined, statefulSet({ annotations: { a: '1' } }), opts(T0)));
    const out = serverSideApply(live, statefulSet({ annotations: {} }), opts(T1)) as Obj;
    expect(out['spec']['template']['metadata']).toEqual({ labels: { app: 's' } });
    expect(out['metadata']['managedFields'][0]['time']).toBe(T1);
    const owned = out['metadata']['managedFields'][0]['fieldsV1'];
    expect(owned['f:spec']['f:template']['f:metadata']['f:annotations']).toEqual({});
  });

  test('struct-like empty objects (`resources: {}`, `emptyDir: {}`) and custom resource maps are kept; CR metadata maps are not', () => {
    const body = statefulSet();
    body['spec']['template']['spec']['containers'][0].resources = {};
    body['spec']['template']['spec'].volumes = [{ name: 'v', emptyDir: {} }];
    const out = serverSideApply(undefined, body, opts(T0)) as Obj;
    expect(out['spec']['template']['spec']['containers'][0].resources).toEqual({});
    expect(out['spec']['template']['spec'].volumes).toEqual([{ name: 'v', emptyDir: {} }]);
    const cr = { apiVersion: 'g/v1', kind: 'W', metadata: { name: 'w' }, spec: { labels: {} } };
    const crOut: Obj = serverSideApply(undefined, cr, opts(T0, crdMergeSchema(undefined)));
    expect(crOut['spec']).toEqual({ labels: {} });
    const crMeta = { ...cr, metadata: { name: 'w', labels: {}, annotations: {} } };
    const metaOut: Obj = serverSideApply(undefined, crMeta, opts(T0, crdMergeSchema(undefined)));
    expect(metaOut['metadata']['labels']).toBeUndefined();
    expect(metaOut['metadata']['annotations']).toBeUndefined();
  });
});
