import { describe, expect, test } from '@jest/globals';
import * as fc from 'fast-check';
import { compareObjects, decodeFieldsV1, encodeFieldsV1, pathString, toFieldSet } from './fieldSet.js';
import { builtinMergeSchema } from './mergeSchema.js';
import { serverSideApply } from './serverSideApply.js';
import { applyStrategicMergePatch } from './strategicMerge.js';

const pods = builtinMergeSchema('', 'Pod');

/** Small pod-like objects with keyed lists, sets and plain values, for properties. */
const podArb = fc.record({
  metadata: fc.record({
    labels: fc.dictionary(fc.constantFrom('a', 'b', 'c'), fc.constantFrom('1', '2')),
    finalizers: fc.uniqueArray(fc.constantFrom('x', 'y', 'z')),
  }),
  spec: fc.record({
    containers: fc.uniqueArray(
      fc.record({
        name: fc.constantFrom('web', 'side', 'init'),
        image: fc.constantFrom('i1', 'i2'),
        args: fc.array(fc.constantFrom('-v', '-q'), { maxLength: 2 }),
      }),
      {
        selector: (c) => c.name,
        maxLength: 3,
      },
    ),
    restartPolicy: fc.constantFrom('Always', 'Never'),
  }),
});

describe('field sets', () => {
  test('pathString prints keys, values and fields as the server does', () => {
    expect(pathString(['f:spec', 'f:containers', 'k:{"name":"x"}', 'f:image'])).toBe(
      '.spec.containers[name="x"].image',
    );
    expect(pathString(['f:spec', 'f:ports', 'k:{"port":80,"protocol":"TCP"}'])).toBe(
      '.spec.ports[port=80,protocol="TCP"]',
    );
    expect(pathString(['f:metadata', 'f:finalizers', 'v:"a"'])).toBe('.metadata.finalizers[="a"]');
  });

  test('FieldsV1 encoding round-trips', () => {
    fc.assert(
      fc.property(podArb, (pod) => {
        const set = toFieldSet(pod, pods);
        expect(decodeFieldsV1(encodeFieldsV1(set)).equals(set)).toBe(true);
      }),
    );
  });

  test('comparing an object with itself finds nothing; with nothing, everything is added', () => {
    fc.assert(
      fc.property(podArb, (pod) => {
        const same = compareObjects(pod, structuredClone(pod), pods);
        expect(same.added.empty && same.modified.empty && same.removed.empty).toBe(true);
        const created = compareObjects({}, pod, pods);
        for (const p of toFieldSet(pod, pods).paths()) expect(created.added.has(p)).toBe(true);
      }),
    );
  });
});

describe('properties of patches and apply', () => {
  test('an empty strategic merge patch is the identity; a patch with the whole object too', () => {
    fc.assert(
      fc.property(podArb, (pod) => {
        expect(applyStrategicMergePatch(pod, {}, pods)).toEqual(pod);
        expect(applyStrategicMergePatch(pod, pod, pods)).toEqual(pod);
      }),
    );
  });

  test('applying the same configuration twice changes nothing the second time', () => {
    fc.assert(
      fc.property(podArb, podArb, (first, second) => {
        const o = { manager: 'm', apiVersion: 'v1', schema: pods, force: false };
        const a = serverSideApply(undefined, first, { ...o, now: '2026-01-01T00:00:00Z' });
        const b = serverSideApply(a, second, { ...o, now: '2026-01-01T00:00:01Z' });
        const c = serverSideApply(b, second, { ...o, now: '2026-01-01T00:00:02Z' });
        expect(c).toEqual(b);
      }),
    );
  });

  test('a sole applier ends with exactly what it applied (plus managedFields)', () => {
    fc.assert(
      fc.property(podArb, podArb, (first, second) => {
        const o = { manager: 'm', apiVersion: 'v1', schema: pods, force: false, now: '2026-01-01T00:00:00Z' };
        const b = serverSideApply(serverSideApply(undefined, first, o), second, o) as Record<string, unknown>;
        const { managedFields: _mf, ...meta } = b['metadata'] as Record<string, unknown>;
        const expected = structuredClone(second) as { metadata?: Record<string, unknown> };
        // Empty lists and struct-like maps the applier set stay; an empty `labels` map is omitted, as the
        // typed object omits it.
        const labels = expected.metadata?.['labels'];
        if (
          expected.metadata &&
          labels !== null &&
          typeof labels === 'object' &&
          Object.keys(labels).length === 0
        )
          delete expected.metadata['labels'];
        expect({ ...b, metadata: meta }).toEqual(expected);
      }),
    );
  });
});
