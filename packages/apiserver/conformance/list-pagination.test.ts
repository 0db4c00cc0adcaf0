// Conformance: list resourceVersion semantics and pagination (reference §2 items 10, 11;
// apimachinery internalversion/validation/validation.go, storage etcd3 continue tokens).
import { describe, expect } from '@jest/globals';
import { conformanceCase } from './case.js';
import { cmPath, configMap, create, expectOk, expectStatus, names } from './fixtures.js';
import { useTarget } from './target.js';

const t = useTarget('pages');

/** A namespace holding `n` ConfigMaps named p0..p(n-1); real clusters may add kube-root-ca.crt. */
async function filled(n: number): Promise<string> {
  const ns = await t.createNamespace('conf-pages');
  for (let i = 0; i < n; i++) await create(t, cmPath(ns), configMap(`p${i}`));
  return ns;
}

async function allPages(path: string, limit: number, query: Record<string, string> = {}): Promise<any[]> {
  const pages: any[] = [];
  let cont: string | undefined;
  do {
    const res = await t.client.get(path, { ...query, limit, continue: cont });
    pages.push(expectOk(res, 200));
    cont = res.json.metadata.continue;
  } while (cont && pages.length < 50);
  return pages;
}

describe('list and pagination', () => {
  // §2 item 11: limit → at most `limit` items and a continue token; following it yields everything once.
  conformanceCase(
    'page-limit-continue',
    'limit=2 over 5 objects → pages of ≤ 2 with continue tokens; all objects exactly once; last page has no continue',
    async () => {
      const ns = await filled(5);
      const pages = await allPages(cmPath(ns), 2);
      for (const p of pages) expect(p.items.length).toBeLessThanOrEqual(2);
      expect(pages[0].items).toHaveLength(2);
      expect(pages[0].metadata.continue).toEqual(expect.any(String));
      expect(pages.at(-1).metadata.continue ?? '').toBe('');
      const all = names({ items: pages.flatMap((p) => p.items) });
      expect(all).toEqual(['p0', 'p1', 'p2', 'p3', 'p4']);
    },
  );

  // §2 item 3: remainingItemCount counts what the later pages hold.
  conformanceCase(
    'page-remaining-item-count',
    'the first page of limit=2 over 5 objects says remainingItemCount = total - 2',
    async () => {
      const ns = await filled(5);
      const total = (await t.client.get(cmPath(ns))).json.items.length;
      const res = await t.client.get(cmPath(ns), { limit: 2 });
      expect(res.json.metadata.remainingItemCount).toBe(total - 2);
    },
  );

  // §2 item 11: pages form one consistent snapshot: later writes are not seen by later pages.
  conformanceCase(
    'page-consistent-snapshot',
    'an object created between pages is not in the later pages; every page has the first page resourceVersion',
    async () => {
      const ns = await filled(4);
      const first = expectOk(await t.client.get(cmPath(ns), { limit: 2 }), 200);
      await create(t, cmPath(ns), configMap('p9-late'));
      const rest = [];
      let cont: string | undefined = first.metadata.continue;
      while (cont) {
        const page = expectOk(await t.client.get(cmPath(ns), { limit: 2, continue: cont }), 200);
        expect(page.metadata.resourceVersion).toBe(first.metadata.resourceVersion);
        rest.push(...page.items);
        cont = page.metadata.continue;
      }
      const seen = [...first.items, ...rest].map((i: any) => i.metadata.name);
      expect(seen).not.toContain('p9-late');
    },
  );

  // §2 item 11: items come in a stable key order (namespace/name).
  conformanceCase('page-ordered-by-name', 'list items are ordered by name within a namespace', async () => {
    const ns = await t.createNamespace('conf-pages-order');
    for (const n of ['c', 'a', 'b']) await create(t, cmPath(ns), configMap(n));
    const got = (await t.client.get(cmPath(ns))).json.items
      .map((i: any) => i.metadata.name)
      .filter((n: string) => n !== 'kube-root-ca.crt');
    expect(got).toEqual(['a', 'b', 'c']);
  });

  // §2 item 11: a malformed continue token → 400.
  conformanceCase('page-bad-continue-400', 'continue=garbage → 400 BadRequest', async () => {
    const res = await t.client.get(cmPath(t.ns), { limit: 1, continue: 'not-a-token' });
    expectStatus(res, {
      code: 400,
      reason: 'BadRequest',
      message: /^invalid continue token: continue key is not valid: /,
    });
  });

  // §2 item 10: resourceVersionMatch is forbidden together with continue.
  conformanceCase(
    'page-continue-with-rv-match-422',
    'continue together with resourceVersionMatch → 422 Invalid',
    async () => {
      const ns = await filled(3);
      const first = expectOk(await t.client.get(cmPath(ns), { limit: 1 }), 200);
      const res = await t.client.get(cmPath(ns), {
        limit: 1,
        continue: first.metadata.continue,
        resourceVersion: first.metadata.resourceVersion,
        resourceVersionMatch: 'Exact',
      });
      expectStatus(res, { code: 422, reason: 'Invalid', message: /resourceVersionMatch/ });
    },
  );

  // §2 item 10: resourceVersionMatch needs resourceVersion.
  conformanceCase(
    'list-rv-match-without-rv-422',
    'resourceVersionMatch=NotOlderThan without resourceVersion → 422 Invalid',
    async () => {
      const res = await t.client.get(cmPath(t.ns), { resourceVersionMatch: 'NotOlderThan' });
      expectStatus(res, {
        code: 422,
        reason: 'Invalid',
        message:
          /resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided/,
      });
    },
  );

  // §2 item 10: Exact is forbidden with resourceVersion "0".
  conformanceCase(
    'list-exact-rv-0-422',
    'resourceVersion=0&resourceVersionMatch=Exact → 422 Invalid',
    async () => {
      const res = await t.client.get(cmPath(t.ns), { resourceVersion: '0', resourceVersionMatch: 'Exact' });
      expectStatus(res, { code: 422, reason: 'Invalid', message: /resourceVersionMatch/ });
    },
  );

  // §2 item 10: sendInitialEvents is forbidden for list.
  conformanceCase(
    'list-send-initial-events-422',
    'a list (not watch) with sendInitialEvents=true → 422 Invalid',
    async () => {
      const res = await t.client.get(cmPath(t.ns), {
        sendInitialEvents: 'true',
        resourceVersionMatch: 'NotOlderThan',
        resourceVersion: '0',
      });
      expectStatus(res, { code: 422, reason: 'Invalid', message: /sendInitialEvents/ });
    },
  );

  // §2 item 10: unknown resourceVersionMatch values are invalid.
  conformanceCase('list-rv-match-unknown-422', 'resourceVersionMatch=Sometime → 422 Invalid', async () => {
    const res = await t.client.get(cmPath(t.ns), { resourceVersion: '0', resourceVersionMatch: 'Sometime' });
    expectStatus(res, { code: 422, reason: 'Invalid' });
  });

  // §2 item 10: resourceVersion "0" is served (from the cache) with 200.
  conformanceCase('list-rv-0-ok', 'resourceVersion=0 → 200 with the current items', async () => {
    const ns = await filled(2);
    // resourceVersion=0 is "any version": a real server answers from its watch cache, which may lag
    // the writes just made by a few milliseconds, so the items are awaited (bounded), not assumed.
    let got: string[] = [];
    for (let i = 0; i < 50; i++) {
      got = names(expectOk(await t.client.get(cmPath(ns), { resourceVersion: '0' }), 200));
      if (got.length === 2) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(got).toEqual(['p0', 'p1']);
  });

  // §2 item 10: Exact reads the state at that revision.
  conformanceCase(
    'list-exact-rv-snapshot',
    'resourceVersion=<earlier list RV>&resourceVersionMatch=Exact → the earlier state, without later objects',
    async () => {
      const ns = await filled(2);
      const before = expectOk(await t.client.get(cmPath(ns)), 200);
      await create(t, cmPath(ns), configMap('p-after'));
      const res = await t.client.get(cmPath(ns), {
        resourceVersion: before.metadata.resourceVersion,
        resourceVersionMatch: 'Exact',
      });
      const got = expectOk(res, 200);
      expect(names(got)).toEqual(['p0', 'p1']);
      expect(got.metadata.resourceVersion).toBe(before.metadata.resourceVersion);
    },
  );

  // §2 item 10: NotOlderThan with a recent RV returns at least that state.
  conformanceCase(
    'list-not-older-than',
    'resourceVersion=<latest write RV>&resourceVersionMatch=NotOlderThan → includes that write',
    async () => {
      const ns = await filled(1);
      const made = await create(t, cmPath(ns), configMap('p-new'));
      const res = await t.client.get(cmPath(ns), {
        resourceVersion: made.metadata.resourceVersion,
        resourceVersionMatch: 'NotOlderThan',
      });
      expect(names(expectOk(res, 200))).toEqual(['p-new', 'p0']);
    },
  );

  // §2 item 11: pagination also works across namespaces.
  conformanceCase(
    'page-cross-namespace',
    'limit=1 on /api/v1/configmaps → continue token and 1 item',
    async () => {
      await filled(2);
      const res = await t.client.get('/api/v1/configmaps', { limit: 1 });
      const got = expectOk(res, 200);
      expect(got.items).toHaveLength(1);
      expect(got.metadata.continue).toEqual(expect.any(String));
    },
  );

  // §2 item 11: limit combined with a label selector still pages over the matches only.
  conformanceCase(
    'page-with-selector',
    'limit=1 with labelSelector pages over matching objects only',
    async () => {
      const ns = await t.createNamespace('conf-pages-sel');
      for (const [n, l] of [
        ['a', 'x'],
        ['b', 'y'],
        ['c', 'x'],
        ['d', 'x'],
      ] as const)
        await create(t, cmPath(ns), configMap(n, {}, { grp: l }));
      const pages = await allPages(cmPath(ns), 1, { labelSelector: 'grp=x' });
      expect(pages.flatMap((p) => p.items.map((i: any) => i.metadata.name))).toEqual(['a', 'c', 'd']);
    },
  );
  // A non-numeric resourceVersion on a list is a 400 (unlike a watch, where it is a 500).
  // Verified on kube-apiserver v1.37.2.
  conformanceCase(
    'list-bad-rv-400',
    'list with resourceVersion=abc → 400 `invalid resource version: resourceVersion: Invalid value: "abc": strconv.ParseUint: ...`',
    async () => {
      const res = await t.client.get(cmPath(t.ns), { resourceVersion: 'abc' });
      expectStatus(res, {
        code: 400,
        reason: 'BadRequest',
        message:
          'invalid resource version: resourceVersion: Invalid value: "abc": strconv.ParseUint: parsing "abc": invalid syntax',
      });
    },
  );
});
