import { describe, expect, test } from '@jest/globals';
import type { PostgresClusterSpec } from '../api/postgresCluster.js';
import { instancePod, serverArgs, specHash } from './instancePod.js';
import { clusterPdbs } from './pdbs.js';
import { credentialsSecret, secretValue } from './secrets.js';
import { clusterServices } from './services.js';

const specWith = (over: Partial<PostgresClusterSpec>): PostgresClusterSpec =>
  Object.assign({ instances: 3, version: '16', storage: { size: '1Gi' } }, over);
const spec = specWith({});

describe('instancePod', () => {
  const pod = instancePod({
    cluster: 'pg',
    namespace: 'db',
    serial: 2,
    spec,
    bootstrap: { mode: 'clone', source: 'pg-1' },
    role: 'replica',
  });
  const podSpec = pod['spec'] as {
    affinity: {
      podAntiAffinity: {
        preferredDuringSchedulingIgnoredDuringExecution: { podAffinityTerm: { topologyKey: string } }[];
      };
    };
    containers: {
      image: string;
      readinessProbe: object;
      env: { name: string; value?: string }[];
      ports: { name: string; containerPort: number }[];
    }[];
    volumes: { persistentVolumeClaim: { claimName: string } }[];
  };

  test('follows the pod convention: name, labels, env, port, claim', () => {
    expect(pod.metadata.name).toBe('pg-2');
    expect(pod.metadata.labels).toEqual({
      'postgres.steward.dev/cluster': 'pg',
      'postgres.steward.dev/instance': 'pg-2',
      'postgres.steward.dev/role': 'replica',
    });
    const c = podSpec.containers[0];
    expect(c?.image).toBe('postgres:16');
    expect(c?.ports).toEqual([{ name: 'postgres', containerPort: 5432, protocol: 'TCP' }]);
    expect(Object.fromEntries((c?.env ?? []).map((e) => [e.name, e.value]))).toMatchObject({
      PG_BOOTSTRAP: 'clone',
      PG_SOURCE: 'pg-1',
      PG_CLUSTER: 'pg',
    });
    expect(c?.readinessProbe).toBeDefined();
    expect(podSpec.volumes[0]?.persistentVolumeClaim.claimName).toBe('pg-2');
  });

  test('spreads instances over hosts', () => {
    const terms = podSpec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution;
    expect(terms[0]?.podAffinityTerm.topologyKey).toBe('kubernetes.io/hostname');
  });

  test('the spec hash moves with parameters, version and resources, not with instances', () => {
    expect(specHash(specWith({ instances: 5 }))).toBe(specHash(spec));
    expect(specHash(specWith({ parameters: { work_mem: '8MB' } }))).not.toBe(specHash(spec));
    expect(specHash(specWith({ version: '16.4' }))).not.toBe(specHash(spec));
    expect(specHash(specWith({ resources: { limits: { memory: '1Gi' } } }))).not.toBe(specHash(spec));
    expect(serverArgs({ b: '2', a: '1' })).toEqual(['-c', 'a=1', '-c', 'b=2']);
  });
});

test('-rw selects the primary, -ro the replicas', () => {
  const selectors = clusterServices('pg', 'db').map((s) => [
    s.metadata.name,
    (s['spec'] as { selector: object }).selector,
  ]);
  expect(selectors).toEqual([
    ['pg-rw', { 'postgres.steward.dev/cluster': 'pg', 'postgres.steward.dev/role': 'primary' }],
    ['pg-ro', { 'postgres.steward.dev/cluster': 'pg', 'postgres.steward.dev/role': 'replica' }],
  ]);
});

test('PDBs: the primary always, replicas only when there are some', () => {
  expect(clusterPdbs('pg', 'db', 1).map((p) => p.metadata.name)).toEqual(['pg-primary']);
  const three = clusterPdbs('pg', 'db', 3).map((p) => [
    p.metadata.name,
    (p['spec'] as { minAvailable: number }).minAvailable,
  ]);
  expect(three).toEqual([
    ['pg-primary', 1],
    ['pg-replicas', 1],
  ]);
});

test('the credentials Secret carries a URI built from its parts; secretValue reads data and stringData', () => {
  const secret = credentialsSecret({
    cluster: 'pg',
    namespace: 'db',
    database: 'app',
    user: 'u',
    password: 'p',
  });
  expect(secret.metadata.name).toBe('pg-app-credentials');
  expect(secretValue(secret, 'uri')).toBe('postgresql://u:p@pg-rw.db.svc:5432/app');
  expect(secretValue({ metadata: {}, data: { k: Buffer.from('v').toString('base64') } }, 'k')).toBe('v');
  expect(secretValue(undefined, 'k')).toBeUndefined();
});
