import { describe, expect, test } from '@jest/globals';
import { StatusError } from '../errors/status.js';
import { builtinMergeSchema } from './mergeSchema.js';
import { applyStrategicMergePatch } from './strategicMerge.js';

const pods = builtinMergeSchema('', 'Pod');
const deployments = builtinMergeSchema('apps', 'Deployment');

const pod = {
  metadata: { name: 'p', labels: { app: 'a', tier: 't' }, finalizers: ['a', 'b'] },
  spec: {
    containers: [
      {
        name: 'web',
        image: 'nginx:1',
        env: [
          { name: 'A', value: '1' },
          { name: 'B', value: '2' },
        ],
        ports: [{ containerPort: 80 }],
      },
      { name: 'side', image: 'busybox', args: ['x', 'y'] },
    ],
    tolerations: [{ key: 'k1' }],
    volumes: [{ name: 'v1', emptyDir: {} }],
  },
};

describe('applyStrategicMergePatch', () => {
  test('containers merge by name, env by name, scalars replace, input untouched', () => {
    const out = applyStrategicMergePatch(
      pod,
      {
        spec: {
          containers: [
            {
              name: 'web',
              image: 'nginx:2',
              env: [
                { name: 'B', value: '3' },
                { name: 'C', value: '4' },
              ],
            },
          ],
        },
      },
      pods,
    );
    expect(out).toEqual({
      ...pod,
      spec: {
        ...pod.spec,
        containers: [
          {
            name: 'web',
            image: 'nginx:2',
            env: [
              { name: 'A', value: '1' },
              { name: 'B', value: '3' },
              { name: 'C', value: '4' },
            ],
            ports: [{ containerPort: 80 }],
          },
          pod.spec.containers[1],
        ],
      },
    });
    expect(pod.spec.containers[0]?.image).toBe('nginx:1');
  });

  test('new list elements go before server-only ones (mergeSortedSlice); lists without a merge key are replaced', () => {
    const out = applyStrategicMergePatch(
      pod,
      { spec: { containers: [{ name: 'new', image: 'x' }], tolerations: [{ key: 'k2' }] } },
      pods,
    ) as typeof pod;
    expect(out.spec.containers.map((c) => c.name)).toEqual(['new', 'web', 'side']);
    expect(out.spec.tolerations).toEqual([{ key: 'k2' }]);
  });

  test('the same list in a Deployment template merges too', () => {
    const dep = {
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
    const out = applyStrategicMergePatch(
      dep,
      { spec: { template: { spec: { containers: [{ name: 'b', image: '2' }] } } } },
      deployments,
    );
    expect(out).toEqual({
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
    });
  });

  test('ports merge by containerPort', () => {
    const out = applyStrategicMergePatch(
      pod,
      {
        spec: {
          containers: [{ name: 'web', ports: [{ containerPort: 80, name: 'http' }, { containerPort: 443 }] }],
        },
      },
      pods,
    ) as typeof pod;
    expect(out.spec.containers[0]?.ports).toEqual([
      { containerPort: 80, name: 'http' },
      { containerPort: 443 },
    ]);
  });

  test('null deletes a field; $patch: delete removes a list element', () => {
    const out = applyStrategicMergePatch(
      pod,
      { metadata: { labels: { tier: null } }, spec: { containers: [{ name: 'side', $patch: 'delete' }] } },
      pods,
    ) as typeof pod;
    expect(out.metadata.labels).toEqual({ app: 'a' });
    expect(out.spec.containers.map((c) => c.name)).toEqual(['web']);
  });

  test('$patch: replace on a map and on a list', () => {
    const m = applyStrategicMergePatch(
      pod,
      { metadata: { labels: { $patch: 'replace', only: 'me' } } },
      pods,
    ) as typeof pod;
    expect(m.metadata.labels).toEqual({ only: 'me' });
    const l = applyStrategicMergePatch(
      pod,
      { spec: { containers: [{ $patch: 'replace' }, { name: 'solo', image: 'i' }] } },
      pods,
    ) as typeof pod;
    expect(l.spec.containers).toEqual([{ name: 'solo', image: 'i' }]);
  });

  test('$patch: delete on a map field removes it', () => {
    const out = applyStrategicMergePatch(pod, { metadata: { labels: { $patch: 'delete' } } }, pods) as {
      metadata: Record<string, unknown>;
    };
    expect(out.metadata['labels']).toBeUndefined();
  });

  test('primitive lists with strategy merge (finalizers) are unioned; $deleteFromPrimitiveList removes', () => {
    const u = applyStrategicMergePatch(pod, { metadata: { finalizers: ['b', 'c'] } }, pods) as typeof pod;
    expect(u.metadata.finalizers).toEqual(['a', 'b', 'c']);
    const d = applyStrategicMergePatch(
      pod,
      { metadata: { '$deleteFromPrimitiveList/finalizers': ['a'] } },
      pods,
    ) as typeof pod;
    expect(d.metadata.finalizers).toEqual(['b']);
    const all = applyStrategicMergePatch(
      pod,
      { metadata: { '$deleteFromPrimitiveList/finalizers': ['a', 'b'] } },
      pods,
    ) as { metadata: Record<string, unknown> };
    expect(all.metadata['finalizers']).toBeUndefined();
  });

  test('$retainKeys clears fields not listed', () => {
    const out = applyStrategicMergePatch(
      pod,
      { spec: { volumes: [{ name: 'v1', $retainKeys: ['name', 'hostPath'], hostPath: { path: '/x' } }] } },
      pods,
    ) as typeof pod;
    expect(out.spec.volumes).toEqual([{ name: 'v1', hostPath: { path: '/x' } }]);
  });

  test('$setElementOrder orders the merged list', () => {
    const out = applyStrategicMergePatch(
      pod,
      {
        spec: {
          '$setElementOrder/containers': [{ name: 'side' }, { name: 'web' }],
          containers: [{ name: 'web', image: 'n3' }],
        },
      },
      pods,
    ) as typeof pod;
    expect(out.spec.containers.map((c) => `${c.name}:${c.image}`)).toEqual(['side:busybox', 'web:n3']);
  });

  test('directives do not leak into new elements', () => {
    const out = applyStrategicMergePatch(
      {},
      { spec: { containers: [{ name: 'a', $patch: 'merge', env: [{ name: 'X', value: null }] }] } },
      pods,
    );
    expect(out).toEqual({ spec: { containers: [{ name: 'a', env: [{ name: 'X' }] }] } });
  });

  test('errors are 400s', () => {
    expect(() => applyStrategicMergePatch(pod, [1], pods)).toThrow(StatusError);
    expect(() =>
      applyStrategicMergePatch(pod, { spec: { containers: [{ image: 'no-name' }] } }, pods),
    ).toThrow('does not contain declared merge key: name');
    expect(applyStrategicMergePatch(pod, null, pods)).toEqual(pod);
  });
});
