import { describe, expect, test } from '@jest/globals';
import * as fc from 'fast-check';
import { StatusError } from '../errors/status.js';
import { applyJsonPatch } from './jsonPatch.js';
import { applyMergePatch } from './mergePatch.js';

function failure(fn: () => unknown): StatusError {
  try {
    fn();
  } catch (e) {
    if (e instanceof StatusError) return e;
    throw e;
  }
  throw new Error('expected a StatusError');
}

const doc = { metadata: { name: 'a', labels: { x: '1' } }, spec: { replicas: 1, list: [1, 2, 3] } };

describe('applyJsonPatch', () => {
  test('add, remove, replace, move, copy, test', () => {
    const out = applyJsonPatch(doc, [
      { op: 'test', path: '/spec/replicas', value: 1 },
      { op: 'replace', path: '/spec/replicas', value: 3 },
      { op: 'add', path: '/metadata/labels/y', value: '2' },
      { op: 'remove', path: '/metadata/labels/x' },
      { op: 'add', path: '/spec/list/1', value: 9 },
      { op: 'add', path: '/spec/list/-', value: 4 },
      { op: 'remove', path: '/spec/list/0' },
      { op: 'copy', from: '/metadata/name', path: '/spec/name' },
      { op: 'move', from: '/spec/name', path: '/metadata/annotations' },
      { op: 'add', path: '/metadata/a~1b', value: 'slash' },
    ]);
    expect(out).toEqual({
      metadata: { name: 'a', labels: { y: '2' }, annotations: 'a', 'a/b': 'slash' },
      spec: { replicas: 3, list: [9, 2, 3, 4] },
    });
    expect(doc.spec.replicas).toBe(1); // input untouched
    expect(doc.spec.list).toEqual([1, 2, 3]);
  });

  test('negative indices count from the end, as the server library allows', () => {
    expect(applyJsonPatch({ l: [1, 2, 3] }, [{ op: 'remove', path: '/l/-1' }])).toEqual({ l: [1, 2] });
  });

  test('replace of a missing object key adds it (library quirk the server has)', () => {
    expect(applyJsonPatch({ a: {} }, [{ op: 'replace', path: '/a/b', value: 1 }])).toEqual({ a: { b: 1 } });
  });

  test.each([
    [{ op: 'test', path: '/spec/replicas', value: 2 }, 'testing value /spec/replicas failed: test failed'],
    [
      { op: 'remove', path: '/spec/nope' },
      "error in remove for path: '/spec/nope': Unable to remove nonexistent key: nope: missing value",
    ],
    [
      { op: 'add', path: '/nope/x', value: 1 },
      'add operation does not apply: doc is missing path: "/nope/x": missing value',
    ],
    [
      { op: 'replace', path: '/spec/list/7', value: 1 },
      'replace operation does not apply: doc is missing key: /spec/list/7: missing value',
    ],
    [
      { op: 'add', path: '/spec/list/9', value: 1 },
      "error in add for path: '/spec/list/9': Unable to access invalid index: 9: invalid index referenced",
    ],
    [{ op: 'frob', path: '/a' }, 'Unexpected kind: frob'],
    [{ op: 'add', value: 1 }, 'operation missing path field: missing value'],
  ])('failing op %j is a 422 with the library message', (op, message) => {
    const err = failure(() => applyJsonPatch(doc, [op]));
    expect(err.code).toBe(422);
    expect(err.status.reason).toBe('Invalid');
    expect(err.status.message).toBe('the server rejected our request due to an error in our request');
    expect(err.status.details?.causes).toEqual([{ reason: 'UnexpectedServerResponse', message }]);
  });

  test.each([
    [{ op: 'add' }, 'json: cannot unmarshal object into Go value of type jsonpatch.Patch'],
    ['x', 'json: cannot unmarshal string into Go value of type jsonpatch.Patch'],
    [[1], 'json: cannot unmarshal number into Go value of type jsonpatch.Operation'],
  ])('undecodable body %j is a 400', (patch, message) => {
    const err = failure(() => applyJsonPatch(doc, patch));
    expect(err.code).toBe(400);
    expect(err.status.message).toBe(message);
  });

  test('a failing op leaves nothing half-applied in the input', () => {
    failure(() =>
      applyJsonPatch(doc, [
        { op: 'remove', path: '/metadata/labels/x' },
        { op: 'test', path: '/a', value: 1 },
      ]),
    );
    expect(doc.metadata.labels).toEqual({ x: '1' });
  });

  test('property: add then remove of a fresh key is the identity', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.string({ minLength: 1 }), fc.jsonValue()),
        fc.jsonValue(),
        (obj, value) => {
          const key = 'fresh-key';
          const added = applyJsonPatch(obj, [{ op: 'add', path: `/${key}`, value }]);
          expect((added as Record<string, unknown>)[key]).toEqual(value);
          expect(applyJsonPatch(added, [{ op: 'remove', path: `/${key}` }])).toEqual(obj);
        },
      ),
    );
  });
});

describe('applyMergePatch', () => {
  test('null deletes, objects merge, others replace', () => {
    expect(
      applyMergePatch(doc, {
        metadata: { labels: { x: null, z: '3' } },
        spec: { list: [5], replicas: null, extra: { a: null, b: 1 } },
      }),
    ).toEqual({ metadata: { name: 'a', labels: { z: '3' } }, spec: { list: [5], extra: { b: 1 } } });
  });

  test('non-object patches', () => {
    expect(applyMergePatch(doc, [1, null])).toEqual([1, null]);
    expect(failure(() => applyMergePatch(doc, null)).status.message).toBe('Invalid JSON Patch');
    expect(failure(() => applyMergePatch(doc, 3)).code).toBe(400);
  });

  test('property: merging a document with itself is the identity (no nulls)', () => {
    const noNull = fc.jsonValue().filter((v) => !JSON.stringify(v).includes('null'));
    fc.assert(
      fc.property(fc.dictionary(fc.string(), noNull), (obj) => {
        expect(applyMergePatch(obj, obj)).toEqual(obj);
        expect(applyMergePatch({}, obj)).toEqual(obj);
      }),
    );
  });
});
