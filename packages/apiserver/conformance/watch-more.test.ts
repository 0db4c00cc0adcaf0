// Conformance: more watch behaviour — bookmarks opt-in, status writes, CR selectors, many watchers,
// the single-object watch (reference §2 items 14-20; apiserver storage/cacher).
import { describe, expect } from '@jest/globals';
import { conformanceCase } from './case.js';
import { cmPath, configMap, create, expectOk, expectStatus, lazyWidgetCrd, widget } from './fixtures.js';
import { useTarget } from './target.js';

const t = useTarget('watch-more');
const crd = lazyWidgetCrd(t);

describe('watch, continued', () => {
  // §2 item 18: allowWatchBookmarks is accepted and changes nothing about ordinary events.
  conformanceCase(
    'watch-allow-bookmarks-param',
    'allowWatchBookmarks=true → 200 and ordinary events still arrive',
    async () => {
      const list = await t.client.get(cmPath(t.ns));
      await t.client.withWatch(
        cmPath(t.ns),
        {
          resourceVersion: list.json.metadata.resourceVersion,
          allowWatchBookmarks: 'true',
          fieldSelector: 'metadata.name=bm',
          timeoutSeconds: 5,
        },
        async (w) => {
          expect(w.status).toBe(200);
          await create(t, cmPath(t.ns), configMap('bm'));
          let e = await w.next();
          while (e?.type === 'BOOKMARK') e = await w.next();
          expect(e).toMatchObject({ type: 'ADDED', object: { metadata: { name: 'bm' } } });
        },
      );
    },
  );

  // §2 item 18: without allowWatchBookmarks no BOOKMARK is ever sent (even with sendInitialEvents, §2 item 19).
  conformanceCase(
    'watch-no-bookmark-without-opt-in',
    'sendInitialEvents without allowWatchBookmarks → ADDED events but no BOOKMARK',
    async () => {
      const ns = await t.createNamespace('conf-wm-nobm');
      await create(t, cmPath(ns), configMap('only'));
      const w = await t.client.watch(cmPath(ns), {
        sendInitialEvents: 'true',
        resourceVersionMatch: 'NotOlderThan',
        timeoutSeconds: 2,
      });
      const events = await w.rest(5000);
      expect(events.filter((e) => e.type === 'BOOKMARK')).toEqual([]);
      expect(events.some((e) => e.type === 'ADDED' && e.object.metadata.name === 'only')).toBe(true);
    },
  );

  // §2 item 7: status writes are MODIFIED events carrying the new status.
  conformanceCase(
    'watch-status-write-modified',
    'a write to /status → MODIFIED with the new status and unchanged generation',
    async () => {
      const c = await crd();
      const made = await create(t, c.path(t.ns), widget(c, 'st', { replicas: 1 }));
      await t.client.withWatch(
        c.path(t.ns),
        { resourceVersion: made.metadata.resourceVersion, timeoutSeconds: 5 },
        async (w) => {
          expectOk(
            await t.client.patch(c.path(t.ns, 'st', 'status'), 'merge', { status: { phase: 'Up' } }),
            200,
          );
          expect(await w.next()).toMatchObject({
            type: 'MODIFIED',
            object: { status: { phase: 'Up' }, metadata: { generation: 1 } },
          });
        },
      );
    },
  );

  // §2 item 13: CR watches honour selectableFields.
  conformanceCase(
    'watch-cr-field-selector',
    'a CR watch with fieldSelector spec.color=green sees only green widgets',
    async () => {
      const c = await crd();
      const list = await t.client.get(c.path(t.ns));
      await t.client.withWatch(
        c.path(t.ns),
        {
          resourceVersion: list.json.metadata.resourceVersion,
          fieldSelector: 'spec.color=green',
          timeoutSeconds: 5,
        },
        async (w) => {
          await create(t, c.path(t.ns), widget(c, 'grey', { color: 'grey' }));
          await create(t, c.path(t.ns), widget(c, 'green', { color: 'green' }));
          expect(await w.next()).toMatchObject({ type: 'ADDED', object: { metadata: { name: 'green' } } });
        },
      );
    },
  );

  // Many watchers of one collection all receive the same events in the same order.
  conformanceCase(
    'watch-fan-out',
    'five concurrent watchers each receive the same three events in order',
    async () => {
      const list = await t.client.get(cmPath(t.ns));
      const watchers = await Promise.all(
        Array.from({ length: 5 }, () =>
          t.client.watch(cmPath(t.ns), {
            resourceVersion: list.json.metadata.resourceVersion,
            fieldSelector: 'metadata.name=fan',
            timeoutSeconds: 5,
          }),
        ),
      );
      try {
        await create(t, cmPath(t.ns), configMap('fan'));
        await t.client.patch(cmPath(t.ns, 'fan'), 'merge', { data: { a: '1' } });
        await t.client.delete(cmPath(t.ns, 'fan'));
        const seqs: string[][] = [];
        for (const w of watchers)
          seqs.push(
            [await w.next(), await w.next(), await w.next()].map(
              (e) => `${e?.type}@${e?.object.metadata.resourceVersion}`,
            ),
          );
        expect(seqs[0]!.map((s) => s.split('@')[0])).toEqual(['ADDED', 'MODIFIED', 'DELETED']);
        for (const seq of seqs) expect(seq).toEqual(seqs[0]);
      } finally {
        for (const w of watchers) w.close();
      }
    },
  );

  // The deprecated single-object watch path /watch/namespaces/<ns>/<plural>/<name>.
  conformanceCase(
    'watch-legacy-single-object',
    'GET /api/v1/watch/namespaces/<ns>/configmaps/<name> streams only that object',
    async () => {
      const made = await create(t, cmPath(t.ns), configMap('single'));
      await create(t, cmPath(t.ns), configMap('single-other'));
      await t.client.withWatch(
        `/api/v1/watch/namespaces/${t.ns}/configmaps/single`,
        { resourceVersion: made.metadata.resourceVersion, timeoutSeconds: 5 },
        async (w) => {
          await t.client.patch(cmPath(t.ns, 'single-other'), 'merge', { data: { x: '1' } });
          await t.client.patch(cmPath(t.ns, 'single'), 'merge', { data: { y: '1' } });
          expect(await w.next()).toMatchObject({
            type: 'MODIFIED',
            object: { metadata: { name: 'single' }, data: { y: '1' } },
          });
        },
      );
    },
  );

  // storage/api_object_versioner.go ParseResourceVersion returns a storage InvalidError, which the cacher
  // and the registry pass through unconverted, so the handler answers it as a plain 500 (responsewriters
  // ErrorToAPIStatus), not as a 400 or 422.
  conformanceCase(
    'watch-bad-rv-500',
    'watch with resourceVersion=abc → 500 `resourceVersion: Invalid value: "abc": strconv.ParseUint: parsing "abc": invalid syntax`',
    async () => {
      const res = await t.client.get(cmPath(t.ns), { watch: 'true', resourceVersion: 'abc' });
      expectStatus(res, {
        code: 500,
        message: 'resourceVersion: Invalid value: "abc": strconv.ParseUint: parsing "abc": invalid syntax',
      });
    },
  );

  // §2 item 20: a watch without events and with a long timeout stays open (no premature close).
  conformanceCase(
    'watch-stays-open',
    'a quiet watch with timeoutSeconds=30 is still open after 1.5 s',
    async () => {
      const list = await t.client.get(cmPath(t.ns));
      await t.client.withWatch(
        cmPath(t.ns),
        {
          resourceVersion: list.json.metadata.resourceVersion,
          fieldSelector: 'metadata.name=quiet',
          timeoutSeconds: 30,
        },
        async (w) => {
          await expect(w.next(1500)).rejects.toThrow(/no watch event/);
        },
      );
    },
  );

  // §2 item 17 for custom resources: a too-old resourceVersion ends the CR watch with 410 Expired.
  conformanceCase(
    'watch-cr-410-too-old',
    'a CR watch from resourceVersion 1 → ERROR 410 Expired, then the stream ends',
    async () => {
      const c = await crd();
      await t.client.withWatch(c.path(t.ns), { resourceVersion: '1', timeoutSeconds: 5 }, async (w) => {
        expect(w.status).toBe(200);
        expect(await w.next()).toMatchObject({
          type: 'ERROR',
          object: { kind: 'Status', reason: 'Expired', code: 410 },
        });
        expect(await w.next()).toBeUndefined();
      });
    },
  );
});
