import { describe, expect, test } from '@jest/globals';
import { samplePostgresInfo } from '../registry/sampleResource.fixture.js';
import type { ResourceInfo } from '../registry/types.js';
import { builtinColumns, compileJsonPath, humanDuration, toTable } from './index.js';

const NOW = new Date('2025-01-10T12:00:00Z');

const info = samplePostgresInfo;

function builtinInfo(group: string, kind: string): ResourceInfo {
  const i = info({ group, kind, version: 'v1', subresources: { status: true } });
  delete i.crdName;
  return i;
}

const pg = {
  apiVersion: 'postgres.steward.dev/v1alpha1',
  kind: 'PostgresCluster',
  metadata: { name: 'db', namespace: 'default', creationTimestamp: '2025-01-10T11:57:00Z' },
  spec: { replicas: 3, version: 16 },
  status: {
    conditions: [
      { type: 'Available', status: 'False' },
      { type: 'Ready', status: 'True' },
    ],
    primary: 'db-0',
  },
};

describe('humanDuration', () => {
  test.each([
    [0, '0s'],
    [-1500, '0s'],
    [-3000, '<invalid>'],
    [5_000, '5s'],
    [119_000, '119s'],
    [182_000, '3m2s'],
    [600_000, '10m'],
    [3 * 3600_000 + 5 * 60_000, '3h5m'],
    [10 * 3600_000, '10h'],
    [(2 * 24 + 3) * 3600_000, '2d3h'],
    [30 * 86400_000, '30d'],
    [(3 * 365 + 4) * 86400_000, '3y4d'],
    [9 * 365 * 86400_000, '9y'],
  ])('%d ms is %s', (ms, text) => {
    expect(humanDuration(ms)).toBe(text);
  });
});

describe('compileJsonPath', () => {
  test('fields, indexes, wildcards, filters, quoted keys', () => {
    expect(compileJsonPath('.spec.replicas')(pg)).toEqual([3]);
    expect(compileJsonPath('.status.conditions[?(@.type=="Ready")].status')(pg)).toEqual(['True']);
    expect(compileJsonPath('.status.conditions[*].type')(pg)).toEqual(['Available', 'Ready']);
    expect(compileJsonPath('.status.conditions[1].type')(pg)).toEqual(['Ready']);
    expect(compileJsonPath(".metadata['name']")(pg)).toEqual(['db']);
    expect(compileJsonPath('.spec.missing.deeper')(pg)).toEqual([]);
    expect(
      compileJsonPath('{.metadata.labels.app\\.kubernetes\\.io/name}')({
        metadata: { labels: { 'app.kubernetes.io/name': 'x' } },
      }),
    ).toEqual(['x']);
  });
});

describe('toTable', () => {
  test('CRD columns: Name first, then additionalPrinterColumns by type; date as age', () => {
    const t = toTable(
      info({
        printerColumns: [
          { name: 'Replicas', type: 'integer', jsonPath: '.spec.replicas' },
          { name: 'Ready', type: 'string', jsonPath: '.status.conditions[?(@.type=="Ready")].status' },
          { name: 'Version', type: 'string', jsonPath: '.spec.version', priority: 1 },
          { name: 'Missing', type: 'string', jsonPath: '.status.nothing' },
          { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
        ],
      }),
      [pg],
      { includeObject: 'Object', resourceVersion: '42', now: NOW },
    );
    expect(t).toMatchObject({
      kind: 'Table',
      apiVersion: 'meta.k8s.io/v1',
      metadata: { resourceVersion: '42' },
    });
    const defs = t['columnDefinitions'] as Record<string, unknown>[];
    expect(defs.map((d) => d['name'])).toEqual(['Name', 'Replicas', 'Ready', 'Version', 'Missing', 'Age']);
    expect(defs[0]).toMatchObject({ type: 'string', format: 'name' });
    expect(defs[3]).toMatchObject({
      priority: 1,
      description: 'Custom resource definition column (in JSONPath format): .spec.version',
    });
    expect(t['rows']).toEqual([{ cells: ['db', 3, 'True', '16', null, '3m'], object: pg }]);
  });

  test('a CRD without columns gets Age; includeObject Metadata and None', () => {
    const meta = toTable(info({}), [pg], {
      includeObject: 'Metadata',
      resourceVersion: '1',
      now: NOW,
      continue: 'abc',
      remainingItemCount: 5,
    });
    expect((meta['columnDefinitions'] as Record<string, unknown>[]).map((d) => d['name'])).toEqual([
      'Name',
      'Age',
    ]);
    expect(meta['metadata']).toEqual({ resourceVersion: '1', continue: 'abc', remainingItemCount: 5 });
    expect(meta['rows']).toEqual([
      {
        cells: ['db', '3m'],
        object: { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: pg.metadata },
      },
    ]);
    const none = toTable(info({}), [pg], { includeObject: 'None', resourceVersion: '1', now: NOW });
    expect(none['rows']).toEqual([{ cells: ['db', '3m'] }]);
  });

  test('wrong-typed values become null cells', () => {
    const t = toTable(
      info({ printerColumns: [{ name: 'R', type: 'integer', jsonPath: '.status.primary' }] }),
      [pg],
      { includeObject: 'None', resourceVersion: '1', now: NOW },
    );
    expect(t['rows']).toEqual([{ cells: ['db', null] }]);
  });

  test('built-in Pods: Ready, Status, Restarts, Age, then the wide columns', () => {
    const pod = {
      metadata: { name: 'p', creationTimestamp: '2025-01-10T11:00:00Z' },
      spec: {
        containers: [{ name: 'a' }, { name: 'b' }],
        nodeName: 'n1',
        readinessGates: [{ conditionType: 'x/ready' }, { conditionType: 'y/ready' }],
      },
      status: {
        phase: 'Running',
        podIP: '10.0.0.1',
        podIPs: [{ ip: '10.0.0.1' }],
        conditions: [
          { type: 'x/ready', status: 'True' },
          { type: 'y/ready', status: 'False' },
        ],
        containerStatuses: [
          { name: 'a', ready: true, restartCount: 0, state: { running: {} } },
          { name: 'b', ready: false, restartCount: 0, state: { waiting: { reason: 'CrashLoopBackOff' } } },
        ],
      },
    };
    const t = toTable(builtinInfo('', 'Pod'), [pod], {
      includeObject: 'None',
      resourceVersion: '1',
      now: NOW,
    });
    expect((t['columnDefinitions'] as Record<string, unknown>[]).map((d) => d['name'])).toEqual([
      'Name',
      'Ready',
      'Status',
      'Restarts',
      'Age',
      'IP',
      'Node',
      'Nominated Node',
      'Readiness Gates',
    ]);
    expect(t['rows']).toEqual([
      { cells: ['p', '1/2', 'CrashLoopBackOff', '0', '60m', '10.0.0.1', 'n1', '<none>', '1/2'] },
    ]);
  });

  test('built-in Services and StatefulSets; unknown kinds get Created At', () => {
    const svc = {
      metadata: { name: 's' },
      spec: { type: 'ClusterIP', clusterIP: '10.96.0.10', ports: [{ port: 5432, protocol: 'TCP' }] },
    };
    const cols = builtinColumns('', 'Service');
    expect(cols.map((c) => c.name)).toEqual([
      'Type',
      'Cluster-IP',
      'External-IP',
      'Port(s)',
      'Age',
      'Selector',
    ]);
    expect(cols.map((c) => c.cell(svc, NOW))).toEqual([
      'ClusterIP',
      '10.96.0.10',
      '<none>',
      '5432/TCP',
      '<unknown>',
      '<none>',
    ]);
    const sts = { metadata: { name: 'x' }, spec: { replicas: 3 }, status: { readyReplicas: 2 } };
    expect(builtinColumns('apps', 'StatefulSet')[0]?.cell(sts, NOW)).toBe('2/3');
    expect(builtinColumns('example.com', 'Thing').map((c) => c.name)).toEqual(['Created At']);
  });

  test('workloads end with the wide Containers, Images and Selector of their template', () => {
    const template = {
      spec: {
        containers: [
          { name: 'web', image: 'nginx:1' },
          { name: 'side', image: 'envoy:2' },
        ],
      },
    };
    const selector = {
      matchLabels: { tier: 'front', app: 'web' },
      matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['qa', 'dev'] }],
    };
    const deploy = { metadata: { name: 'd' }, spec: { replicas: 2, selector, template } };
    const cols = builtinColumns('apps', 'Deployment');
    expect(cols.map((c) => [c.name, c.priority ?? 0])).toEqual([
      ['Ready', 0],
      ['Up-to-date', 0],
      ['Available', 0],
      ['Age', 0],
      ['Containers', 1],
      ['Images', 1],
      ['Selector', 1],
    ]);
    expect(cols.slice(4).map((c) => c.cell(deploy, NOW))).toEqual([
      'web,side',
      'nginx:1,envoy:2',
      'app=web,env notin (dev,qa),tier=front',
    ]);
    expect(builtinColumns('apps', 'StatefulSet').map((c) => c.name)).toEqual([
      'Ready',
      'Age',
      'Containers',
      'Images',
    ]);
    expect(
      builtinColumns('apps', 'ReplicaSet')
        .map((c) => c.name)
        .slice(-3),
    ).toEqual(['Containers', 'Images', 'Selector']);
    const cron = {
      metadata: { name: 'c' },
      spec: { schedule: '*/5 * * * *', suspend: false, jobTemplate: { spec: { template } } },
    };
    expect(builtinColumns('batch', 'CronJob').map((c) => c.cell(cron, NOW))).toEqual([
      '*/5 * * * *',
      '<none>',
      'False',
      0,
      '<none>',
      '<unknown>',
      'web,side',
      'nginx:1,envoy:2',
      '',
    ]);
  });
});
