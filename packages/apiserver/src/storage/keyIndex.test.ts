// KeyIndex and Collection.view: the paging view must equal a sort of the snapshot it replaces.
import { describe, expect, test } from '@jest/globals';
import * as fc from 'fast-check';
import { KeyIndex } from './keyIndex.js';
import { Storage } from './storage.js';

const cm = (namespace: string, name: string, v: number) => ({
  kind: 'ConfigMap',
  apiVersion: 'v1',
  metadata: { name, namespace },
  data: { v: String(v) },
});

const byCodeUnit = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

describe('KeyIndex', () => {
  test('keeps keys sorted through inserts and deletes, ignoring duplicates and absent keys', () => {
    const ix = new KeyIndex();
    for (const k of ['b/x', 'a/z', 'b/a', 'a/z', 'c/']) ix.insert(k);
    ix.delete('nope');
    ix.delete('b/x');
    expect(Array.from({ length: ix.size }, (_, i) => ix.at(i))).toEqual(['a/z', 'b/a', 'c/']);
    expect(ix.lowerBound('b')).toBe(1);
    expect(ix.lowerBound('zzz')).toBe(3);
  });
});

describe('Collection.view', () => {
  test('at any older version, yields the snapshot keys of any range in order, with their states and counts', () => {
    const op = fc.record({
      del: fc.boolean(),
      ns: fc.constantFrom('a', 'b', 'ns'),
      name: fc.constantFrom('p', 'q', 'r', 's', 'p0', 'x-1'),
    });
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), fc.array(fc.nat(40), { maxLength: 5 }), (ops, cuts) => {
        const s = new Storage();
        const c = s.collection('configmaps');
        const versions = [s.currentRv];
        ops.forEach((o, i) => {
          if (o.del) c.remove(o.ns, o.name);
          else c.put(cm(o.ns, o.name, i));
          if (cuts.includes(i)) versions.push(s.currentRv);
        });
        versions.push(s.currentRv);
        for (const rv of versions) {
          const snap = c.snapshotAt(rv)!;
          const view = c.view(rv)!;
          for (const [from, to] of [
            ['', undefined],
            ['b/', 'b0'],
            ['a/q\u0000', undefined],
            ['ns/', 'ns0'],
          ] as const) {
            const want = [...snap.keys()]
              .filter((k) => k >= from && (to === undefined || k < to))
              .sort(byCodeUnit);
            expect([...view.keys(from, to)]).toEqual(want);
            expect(view.count(from, to)).toBe(want.length);
            for (const k of want) expect(view.get(k)).toBe(snap.get(k));
          }
        }
        const now = [...c.objects.keys()].sort(byCodeUnit);
        expect(c.inKeyOrder().map((o) => `${o.namespace}/${o.name}`)).toEqual(now);
      }),
      { numRuns: 300 },
    );
  });

  test('is undefined once history is compacted past the version', () => {
    const s = new Storage();
    const c = s.collection('configmaps');
    c.put(cm('a', 'x', 1));
    const at = s.currentRv;
    s.compact();
    expect(c.view(at)).toBeUndefined();
    expect([...c.view(s.currentRv)!.keys('', undefined)]).toEqual(['a/x']);
  });
});
