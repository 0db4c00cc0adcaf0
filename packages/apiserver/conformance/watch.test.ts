// Conformance: watch (reference §2 items 14-20; apiserver storage/cacher, handlers/watch.go,
// apimachinery internalversion/validation).
import { describe, expect } from '@jest/globals';
import { conformanceCase } from './case.js';
import {
  nextReal,
  byCodePoint,
  cmPath,
  configMap,
  create,
  expectOk,
  expectStatus,
  lazyWidgetCrd,
  widget,
  type Crd,
} from './fixtures.js';
import { useTarget, type WatchEvent } from './target.js';

const t = useTarget('watch');
const crd = lazyWidgetCrd(t);

describe('watch', () => {
  // §2 items 14-15: no resourceVersion → synthetic ADDED for each existing object, objects with kind.
  conformanceCase(
    'watch-initial-added',
    'watch without resourceVersion → ADDED for every existing object, each with kind and apiVersion',
    async () => {
      const ns = await t.createNamespace('conf-watch-init');
      await create(t, cmPath(ns), configMap('w1'));
      await create(t, cmPath(ns), configMap('w2'));
      await t.client.withWatch(cmPath(ns), { timeoutSeconds: 5 }, async (w) => {
        expect(w.status).toBe(200);
        const got = [await nextReal(w), await nextReal(w)];
        expect(got.map((e) => e?.type)).toEqual(['ADDED', 'ADDED']);
        expect(got.map((e) => e?.object.metadata.name).sort(byCodePoint)).toEqual(['w1', 'w2']);
        for (const e of got) expect(e?.object).toMatchObject({ kind: 'ConfigMap', apiVersion: 'v1' });
      });
    },
  );

  // §2 item 14: the stream is application/json with one event per line.
  conformanceCase(
    'watch-content-type',
    'a watch answers 200 with Content-Type application/json',
    async () => {
      await t.client.withWatch(cmPath(t.ns), { timeoutSeconds: 1 }, async (w) => {
        expect(w.status).toBe(200);
        expect(w.headers['content-type']).toMatch(/^application\/json/);
      });
    },
  );

  // §2 item 15: RV=X → only events after X.
  conformanceCase(
    'watch-from-rv-only-newer',
    'watch from a resourceVersion → no ADDED for older objects; MODIFIED for the next update',
    async () => {
      const made = await create(t, cmPath(t.ns), configMap('w3', { a: '1' }));
      await t.client.withWatch(
        cmPath(t.ns),
        { resourceVersion: made.metadata.resourceVersion, timeoutSeconds: 5 },
        async (w) => {
          const updated = expectOk(
            await t.client.patch(cmPath(t.ns, 'w3'), 'merge', { data: { a: '2' } }),
            200,
          );
          const e = await nextReal(w);
          expect(e).toMatchObject({
            type: 'MODIFIED',
            object: {
              kind: 'ConfigMap',
              metadata: { name: 'w3', resourceVersion: updated.metadata.resourceVersion },
              data: { a: '2' },
            },
          });
        },
      );
    },
  );

  // §2 item 16: real deletes → DELETED with the last state and the deletion's resourceVersion.
  conformanceCase(
    'watch-deleted-event',
    'DELETE → DELETED event carrying the last state with a resourceVersion newer than the last update',
    async () => {
      const made = await create(t, cmPath(t.ns), configMap('w4', { last: 'state' }));
      await t.client.withWatch(
        cmPath(t.ns),
        { resourceVersion: made.metadata.resourceVersion, timeoutSeconds: 5 },
        async (w) => {
          expect((await t.client.delete(cmPath(t.ns, 'w4'))).status).toBe(200);
          const e = await nextReal(w);
          expect(e).toMatchObject({
            type: 'DELETED',
            object: { metadata: { name: 'w4' }, data: { last: 'state' } },
          });
          expect(Number(e!.object.metadata.resourceVersion)).toBeGreaterThan(
            Number(made.metadata.resourceVersion),
          );
        },
      );
    },
  );

  // §2 item 15: the events of one object arrive in order ADDED, MODIFIED, DELETED with increasing RVs.
  conformanceCase(
    'watch-ordered-lifecycle',
    'create, update, delete → ADDED, MODIFIED, DELETED in order with increasing resourceVersions',
    async () => {
      const list = await t.client.get(cmPath(t.ns));
      await t.client.withWatch(
        cmPath(t.ns),
        {
          resourceVersion: list.json.metadata.resourceVersion,
          fieldSelector: 'metadata.name=w5',
          timeoutSeconds: 5,
        },
        async (w) => {
          await create(t, cmPath(t.ns), configMap('w5'));
          await t.client.patch(cmPath(t.ns, 'w5'), 'merge', { data: { x: '1' } });
          await t.client.delete(cmPath(t.ns, 'w5'));
          const events = [await w.next(), await w.next(), await w.next()];
          expect(events.map((e) => e?.type)).toEqual(['ADDED', 'MODIFIED', 'DELETED']);
          const rvs = events.map((e) => Number(e?.object.metadata.resourceVersion));
          expect(rvs[0]).toBeLessThan(rvs[1]!);
          expect(rvs[1]).toBeLessThan(rvs[2]!);
        },
      );
    },
  );

  // §2 item 17: too old → HTTP 200, one ERROR event with an Expired Status, then the stream ends.
  conformanceCase(
    'watch-410-too-old',
    'watch from resourceVersion 1 → 200, ERROR {code 410, reason Expired, "too old resource version: 1 (N)"}, then end',
    async () => {
      await t.client.withWatch(cmPath(t.ns), { resourceVersion: '1', timeoutSeconds: 5 }, async (w) => {
        expect(w.status).toBe(200);
        const e = await w.next();
        expect(e).toMatchObject({
          type: 'ERROR',
          object: {
            kind: 'Status',
            apiVersion: 'v1',
            status: 'Failure',
            reason: 'Expired',
            code: 410,
            message: expect.stringMatching(/^too old resource version: 1 \(\d+\)$/),
          },
        });
        expect(await w.next()).toBeUndefined();
      });
    },
  );

  // §2 item 20: timeoutSeconds ends the stream cleanly, without an ERROR.
  conformanceCase(
    'watch-timeout-seconds',
    'timeoutSeconds=1 → the server ends the stream within a few seconds with no ERROR event',
    async () => {
      const list = await t.client.get(cmPath(t.ns));
      const w = await t.client.watch(cmPath(t.ns), {
        resourceVersion: list.json.metadata.resourceVersion,
        timeoutSeconds: 1,
      });
      const started = Date.now();
      const events = await w.rest(5000);
      expect(events.filter((e) => e.type === 'ERROR')).toEqual([]);
      expect(Date.now() - started).toBeLessThan(4000);
    },
  );

  // §2 item 19: WatchList: initial ADDED, then a BOOKMARK annotated k8s.io/initial-events-end.
  conformanceCase(
    'watch-send-initial-events-bookmark',
    'sendInitialEvents=true → ADDED for current state, then a BOOKMARK with annotation k8s.io/initial-events-end "true"',
    async () => {
      const ns = await t.createNamespace('conf-watch-list');
      await create(t, cmPath(ns), configMap('i1'));
      await t.client.withWatch(
        cmPath(ns),
        {
          sendInitialEvents: 'true',
          resourceVersionMatch: 'NotOlderThan',
          allowWatchBookmarks: 'true',
          timeoutSeconds: 5,
        },
        async (w) => {
          expect(w.status).toBe(200);
          const first = await nextReal(w);
          expect(first).toMatchObject({ type: 'ADDED', object: { metadata: { name: 'i1' } } });
          const mark = await nextReal(w);
          expect(mark).toMatchObject({
            type: 'BOOKMARK',
            object: {
              kind: 'ConfigMap',
              apiVersion: 'v1',
              metadata: {
                resourceVersion: expect.stringMatching(/^\d+$/),
                annotations: { 'k8s.io/initial-events-end': 'true' },
              },
            },
          });
        },
      );
    },
  );

  // §2 item 18: a bookmark's object is an empty object of the watched kind.
  conformanceCase(
    'watch-bookmark-empty-object',
    'a BOOKMARK object carries only kind, apiVersion and metadata (resourceVersion, annotations)',
    async () => {
      const ns = await t.createNamespace('conf-watch-bm');
      await create(t, cmPath(ns), configMap('b1', { big: 'data' }));
      await t.client.withWatch(
        cmPath(ns),
        {
          sendInitialEvents: 'true',
          resourceVersionMatch: 'NotOlderThan',
          allowWatchBookmarks: 'true',
          timeoutSeconds: 5,
        },
        async (w) => {
          let e: WatchEvent | undefined;
          do e = await w.next();
          while (e && e.type !== 'BOOKMARK');
          expect(e).toBeDefined();
          expect(Object.keys(e!.object).sort(byCodePoint)).toEqual(['apiVersion', 'kind', 'metadata']);
          expect(e!.object.metadata.name).toBeUndefined();
        },
      );
    },
  );

  // §2 item 19: sendInitialEvents without resourceVersionMatch=NotOlderThan → 422.
  conformanceCase(
    'watch-send-initial-events-needs-match-422',
    'sendInitialEvents=true without resourceVersionMatch → 422 Invalid',
    async () => {
      const res = await t.client.get(cmPath(t.ns), {
        watch: 'true',
        sendInitialEvents: 'true',
        allowWatchBookmarks: 'true',
      });
      expectStatus(res, {
        code: 422,
        reason: 'Invalid',
        message: /sendInitialEvents requires setting resourceVersionMatch to NotOlderThan/,
      });
    },
  );

  // §2 item 19: resourceVersionMatch on a watch without sendInitialEvents → 422.
  conformanceCase(
    'watch-rv-match-without-initial-422',
    'watch with resourceVersionMatch but no sendInitialEvents → 422 Invalid',
    async () => {
      const res = await t.client.get(cmPath(t.ns), {
        watch: 'true',
        resourceVersionMatch: 'NotOlderThan',
        resourceVersion: '0',
      });
      expectStatus(res, { code: 422, reason: 'Invalid', message: /resourceVersionMatch/ });
    },
  );

  // §2 item 16: label selector transitions: newly matching → ADDED, no longer matching → DELETED.
  conformanceCase(
    'watch-selector-transitions',
    'labelSelector watch: gaining the label → ADDED, losing it → DELETED with the previous object',
    async () => {
      const made = await create(t, cmPath(t.ns), configMap('w6'));
      await t.client.withWatch(
        cmPath(t.ns),
        { resourceVersion: made.metadata.resourceVersion, labelSelector: 'watched=yes', timeoutSeconds: 5 },
        async (w) => {
          await t.client.patch(cmPath(t.ns, 'w6'), 'merge', { metadata: { labels: { watched: 'yes' } } });
          const added = await w.next();
          expect(added).toMatchObject({
            type: 'ADDED',
            object: { metadata: { name: 'w6', labels: { watched: 'yes' } } },
          });
          const dropped = expectOk(
            await t.client.patch(cmPath(t.ns, 'w6'), 'merge', { metadata: { labels: { watched: null } } }),
            200,
          );
          const deleted = await w.next();
          expect(deleted).toMatchObject({
            type: 'DELETED',
            object: {
              metadata: {
                name: 'w6',
                labels: { watched: 'yes' },
                resourceVersion: dropped.metadata.resourceVersion,
              },
            },
          });
        },
      );
    },
  );

  // §2 item 13: field selectors filter watches.
  conformanceCase('watch-field-selector', 'fieldSelector=metadata.name=w7 → only events of w7', async () => {
    const list = await t.client.get(cmPath(t.ns));
    await t.client.withWatch(
      cmPath(t.ns),
      {
        resourceVersion: list.json.metadata.resourceVersion,
        fieldSelector: 'metadata.name=w7',
        timeoutSeconds: 5,
      },
      async (w) => {
        await create(t, cmPath(t.ns), configMap('w7-not'));
        await create(t, cmPath(t.ns), configMap('w7'));
        const e = await w.next();
        expect(e).toMatchObject({ type: 'ADDED', object: { metadata: { name: 'w7' } } });
      },
    );
  });

  // §2 item 1: a namespaced watch does not see other namespaces; the cluster-wide one sees all.
  conformanceCase(
    'watch-namespace-scoping',
    'a namespaced watch ignores other namespaces; /api/v1/configmaps?watch sees both',
    async () => {
      const other = await t.createNamespace('conf-watch-other');
      const list = await t.client.get('/api/v1/configmaps');
      const rv = list.json.metadata.resourceVersion;
      const scoped = await t.client.watch(cmPath(t.ns), { resourceVersion: rv, timeoutSeconds: 5 });
      const all = await t.client.watch('/api/v1/configmaps', { resourceVersion: rv, timeoutSeconds: 5 });
      try {
        await create(t, cmPath(other), configMap('elsewhere'));
        await create(t, cmPath(t.ns), configMap('w8'));
        const s = await nextReal(scoped);
        expect(s?.object.metadata).toMatchObject({ name: 'w8', namespace: t.ns });
        const seen: string[] = [];
        while (seen.length < 2) {
          const e = await all.next();
          if (e === undefined) break;
          if (e.object.metadata.name === 'elsewhere' || e.object.metadata.name === 'w8')
            seen.push(`${e.object.metadata.namespace}/${e.object.metadata.name}`);
        }
        expect(seen).toEqual([`${other}/elsewhere`, `${t.ns}/w8`]);
      } finally {
        scoped.close();
        all.close();
      }
    },
  );

  // §2 item 14: watch=1 is accepted like watch=true.
  conformanceCase('watch-param-1', 'GET ?watch=1 opens a watch stream', async () => {
    const ns = await t.createNamespace('conf-watch-one');
    await create(t, cmPath(ns), configMap('one'));
    await t.client.withWatch(cmPath(ns), { watch: '1', timeoutSeconds: 3 }, async (w) => {
      expect(w.status).toBe(200);
      expect(await nextReal(w)).toMatchObject({ type: 'ADDED', object: { metadata: { name: 'one' } } });
    });
  });

  // §2 item 15: resourceVersion "0" also starts with synthetic ADDED events.
  conformanceCase(
    'watch-rv-0-initial-added',
    'watch from resourceVersion "0" → ADDED for existing objects',
    async () => {
      const ns = await t.createNamespace('conf-watch-zero');
      await create(t, cmPath(ns), configMap('z1'));
      await t.client.withWatch(cmPath(ns), { resourceVersion: '0', timeoutSeconds: 3 }, async (w) => {
        expect(await nextReal(w)).toMatchObject({ type: 'ADDED', object: { metadata: { name: 'z1' } } });
      });
    },
  );

  // The deprecated /watch/ path prefix is still served.
  conformanceCase(
    'watch-legacy-path',
    'GET /api/v1/watch/namespaces/<ns>/configmaps streams events',
    async () => {
      const ns = await t.createNamespace('conf-watch-legacy');
      await create(t, cmPath(ns), configMap('legacy'));
      await t.client.withWatch(
        `/api/v1/watch/namespaces/${ns}/configmaps`,
        { timeoutSeconds: 3 },
        async (res) => {
          expect(res.status).toBe(200);
          expect(await nextReal(res)).toMatchObject({
            type: 'ADDED',
            object: { metadata: { name: 'legacy' } },
          });
        },
      );
    },
  );

  // §2 item 14: custom resources stream with their group's apiVersion and kind.
  conformanceCase(
    'watch-custom-resource',
    'a watch on a CR collection → ADDED then MODIFIED with the CR apiVersion and kind',
    async () => {
      const c: Crd = await crd();
      const list = await t.client.get(c.path(t.ns));
      await t.client.withWatch(
        c.path(t.ns),
        { resourceVersion: list.json.metadata.resourceVersion, timeoutSeconds: 5 },
        async (w) => {
          await create(t, c.path(t.ns), widget(c, 'cw', { replicas: 1 }));
          await t.client.patch(c.path(t.ns, 'cw'), 'merge', { spec: { replicas: 2 } });
          const a = await w.next();
          const m = await w.next();
          expect(a).toMatchObject({
            type: 'ADDED',
            object: { apiVersion: `${c.group}/v1`, kind: c.kind, metadata: { name: 'cw' } },
          });
          expect(m).toMatchObject({
            type: 'MODIFIED',
            object: { spec: { replicas: 2 }, metadata: { generation: 2 } },
          });
        },
      );
    },
  );

  // §2 item 15: a watch resumed from an event's resourceVersion continues exactly after it.
  conformanceCase(
    'watch-resume-from-event-rv',
    'resuming from the RV of the first of two updates → only the second is delivered',
    async () => {
      await create(t, cmPath(t.ns), configMap('resume', { v: '0' }));
      const u1 = expectOk(await t.client.patch(cmPath(t.ns, 'resume'), 'merge', { data: { v: '1' } }), 200);
      await t.client.patch(cmPath(t.ns, 'resume'), 'merge', { data: { v: '2' } });
      await t.client.withWatch(
        cmPath(t.ns),
        {
          resourceVersion: u1.metadata.resourceVersion,
          fieldSelector: 'metadata.name=resume',
          timeoutSeconds: 3,
        },
        async (w) => {
          expect(await w.next()).toMatchObject({ type: 'MODIFIED', object: { data: { v: '2' } } });
          await expect(w.next(500)).rejects.toThrow(/no watch event/);
        },
      );
    },
  );
});
