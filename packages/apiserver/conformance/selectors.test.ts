// Conformance: label and field selectors (reference §2 items 12, 13; apimachinery pkg/labels/selector.go,
// pkg/fields, core v1 conversion field label functions, CRD selectableFields).
import { beforeAll, describe, expect } from '@jest/globals';
import { conformanceCase } from './case.js';
import {
  cmPath,
  configMap,
  create,
  expectOk,
  expectStatus,
  lazyWidgetCrd,
  names,
  pod,
  podPath,
  widget,
} from './fixtures.js';
import { useTarget } from './target.js';

const t = useTarget('selectors');
const crd = lazyWidgetCrd(t);
let ns: string;
let setup: Promise<void>;

// a{env:prod,tier:web} b{env:dev,tier:web} c{env:prod} d{}
beforeAll(() => {
  setup = (async () => {
    ns = await t.createNamespace('conf-sel');
    await create(t, cmPath(ns), configMap('a', {}, { env: 'prod', tier: 'web' }));
    await create(t, cmPath(ns), configMap('b', {}, { env: 'dev', tier: 'web' }));
    await create(t, cmPath(ns), configMap('c', {}, { env: 'prod' }));
    await create(t, cmPath(ns), configMap('d'));
  })();
  setup.catch(() => undefined);
});

async function select(query: Record<string, string>): Promise<string[]> {
  await setup;
  return names(expectOk(await t.client.get(cmPath(ns), query), 200));
}

const labelCases: [string, string, string, string[]][] = [
  ['sel-label-eq', 'env=prod', 'labelSelector env=prod → a, c', ['a', 'c']],
  ['sel-label-eqeq', 'env==prod', 'labelSelector env==prod → a, c', ['a', 'c']],
  ['sel-label-neq', 'env!=prod', 'labelSelector env!=prod → b and the unlabelled d', ['b', 'd']],
  ['sel-label-in', 'env in (prod,dev)', 'labelSelector "env in (prod,dev)" → a, b, c', ['a', 'b', 'c']],
  [
    'sel-label-notin',
    'env notin (prod)',
    'labelSelector "env notin (prod)" → b and the unlabelled d',
    ['b', 'd'],
  ],
  ['sel-label-exists', 'tier', 'labelSelector "tier" (exists) → a, b', ['a', 'b']],
  ['sel-label-not-exists', '!tier', 'labelSelector "!tier" → c, d', ['c', 'd']],
  ['sel-label-and', 'env=prod,tier=web', 'labelSelector "env=prod,tier=web" (comma = AND) → a', ['a']],
  ['sel-label-set-and-exists', 'env in (prod),!tier', 'labelSelector "env in (prod),!tier" → c', ['c']],
  ['sel-label-no-match', 'env=staging', 'labelSelector env=staging → no items', []],
];

describe('selectors', () => {
  for (const [id, selector, title, want] of labelCases) {
    // §2 item 12: equality- and set-based label selector semantics.
    conformanceCase(id, title, async () => {
      expect(await select({ labelSelector: selector })).toEqual(want);
    });
  }

  // §2 item 12: bad syntax → 400.
  conformanceCase(
    'sel-label-bad-syntax-400',
    'labelSelector "env in prod" (no parentheses) → 400 BadRequest',
    async () => {
      const res = await t.client.get(cmPath(t.ns), { labelSelector: 'env in prod' });
      expectStatus(res, {
        code: 400,
        reason: 'BadRequest',
        message: "unable to parse requirement: found 'prod' expected: '('",
      });
    },
  );

  // §2 item 12: invalid label values → 400.
  conformanceCase(
    'sel-label-bad-value-400',
    'labelSelector "env=-bad-" (invalid value) → 400 BadRequest',
    async () => {
      const res = await t.client.get(cmPath(t.ns), { labelSelector: 'env=-bad-' });
      expectStatus(res, {
        code: 400,
        reason: 'BadRequest',
        message:
          "unable to parse requirement: values[0][env]: Invalid value: \"-bad-\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
      });
    },
  );

  // §2 item 13: metadata.name with =, ==, !=.
  conformanceCase(
    'sel-field-name',
    'fieldSelector metadata.name=a → a; metadata.name!=a → the others',
    async () => {
      expect(await select({ fieldSelector: 'metadata.name=a' })).toEqual(['a']);
      expect(await select({ fieldSelector: 'metadata.name==b' })).toEqual(['b']);
      expect(await select({ fieldSelector: 'metadata.name!=a' })).toEqual(['b', 'c', 'd']);
    },
  );

  // §2 item 13: metadata.namespace across namespaces.
  conformanceCase(
    'sel-field-namespace',
    'fieldSelector metadata.namespace=<ns> on /api/v1/configmaps → only that namespace',
    async () => {
      await setup;
      const res = expectOk(
        await t.client.get('/api/v1/configmaps', { fieldSelector: `metadata.namespace=${ns}` }),
        200,
      );
      expect(new Set(res.items.map((i: any) => i.metadata.namespace))).toEqual(new Set([ns]));
      expect(names(res)).toEqual(['a', 'b', 'c', 'd']);
    },
  );

  // §2 items 12-13: label and field selectors combine with AND.
  conformanceCase(
    'sel-label-and-field',
    'labelSelector env=prod with fieldSelector metadata.name!=a → c',
    async () => {
      expect(await select({ labelSelector: 'env=prod', fieldSelector: 'metadata.name!=a' })).toEqual(['c']);
    },
  );

  // §2 item 13 (DefaultMetaV1FieldSelectorConversion): unsupported field → 400 with the real message.
  conformanceCase(
    'sel-field-unsupported-400',
    'fieldSelector data.x=y on ConfigMaps → 400 `"data.x" is not a known field selector: only "metadata.name", "metadata.namespace"`',
    async () => {
      const res = await t.client.get(cmPath(t.ns), { fieldSelector: 'data.x=y' });
      expectStatus(res, {
        code: 400,
        reason: 'BadRequest',
        message: '"data.x" is not a known field selector: only "metadata.name", "metadata.namespace"',
      });
    },
  );

  // §2 item 13: Pods support spec.nodeName.
  conformanceCase(
    'sel-field-pod-node-name',
    'fieldSelector spec.nodeName=node-a on Pods → the Pod bound to node-a',
    async () => {
      const pns = await t.createNamespace('conf-sel-pods');
      await create(t, podPath(pns), pod('on-a', { nodeName: 'node-a' }));
      await create(t, podPath(pns), pod('on-b', { nodeName: 'node-b' }));
      await create(t, podPath(pns), pod('unbound'));
      const res = expectOk(await t.client.get(podPath(pns), { fieldSelector: 'spec.nodeName=node-a' }), 200);
      expect(names(res)).toEqual(['on-a']);
      const unbound = expectOk(await t.client.get(podPath(pns), { fieldSelector: 'spec.nodeName=' }), 200);
      expect(names(unbound)).toEqual(['unbound']);
      for (const p of ['on-a', 'on-b']) await t.client.delete(podPath(pns, p), { gracePeriodSeconds: 0 });
    },
  );

  // §2 item 13: Pods support status.phase.
  conformanceCase(
    'sel-field-pod-phase',
    'fieldSelector status.phase=Pending on Pods → new Pods; status.phase=Running → none',
    async () => {
      const pns = await t.createNamespace('conf-sel-phase');
      await create(t, podPath(pns), pod('pending'));
      expect(
        names(expectOk(await t.client.get(podPath(pns), { fieldSelector: 'status.phase=Pending' }), 200)),
      ).toEqual(['pending']);
      expect(
        names(expectOk(await t.client.get(podPath(pns), { fieldSelector: 'status.phase=Running' }), 200)),
      ).toEqual([]);
    },
  );

  // §2 item 13 (core v1 conversion): an unsupported Pod field label → 400 "field label not supported".
  conformanceCase(
    'sel-field-pod-unsupported-400',
    'fieldSelector spec.bogus=x on Pods → 400 `field label not supported: spec.bogus`',
    async () => {
      const res = await t.client.get(podPath(t.ns), { fieldSelector: 'spec.bogus=x' });
      expectStatus(res, {
        code: 400,
        reason: 'BadRequest',
        message: 'field label not supported: spec.bogus',
      });
    },
  );

  // §2 item 13: CRD selectableFields are field-selectable.
  conformanceCase(
    'sel-field-cr-selectable',
    'fieldSelector spec.color=red on a CRD declaring selectableFields .spec.color → the red one',
    async () => {
      const c = await crd();
      await create(t, c.path(t.ns), widget(c, 'red', { color: 'red' }));
      await create(t, c.path(t.ns), widget(c, 'blue', { color: 'blue' }));
      const res = expectOk(await t.client.get(c.path(t.ns), { fieldSelector: 'spec.color=red' }), 200);
      expect(names(res)).toEqual(['red']);
    },
  );

  // §2 item 13: a CR field that is not declared selectable → 400.
  conformanceCase(
    'sel-field-cr-unsupported-400',
    'fieldSelector spec.size=small on a CR (not selectable) → 400 BadRequest',
    async () => {
      const c = await crd();
      const res = await t.client.get(c.path(t.ns), { fieldSelector: 'spec.size=small' });
      expectStatus(res, { code: 400, reason: 'BadRequest' });
    },
  );

  // §2 item 12: label selectors apply to custom resources too.
  conformanceCase('sel-label-cr', 'labelSelector on a CR collection → only the labelled CR', async () => {
    const c = await crd();
    await create(t, c.path(t.ns), { ...widget(c, 'lab'), metadata: { name: 'lab', labels: { pick: 'me' } } });
    await create(t, c.path(t.ns), widget(c, 'nolab'));
    expect(names(expectOk(await t.client.get(c.path(t.ns), { labelSelector: 'pick=me' }), 200))).toEqual([
      'lab',
    ]);
  });

  // §2 item 13: more Pod field labels — spec.restartPolicy, spec.schedulerName, spec.serviceAccountName.
  conformanceCase(
    'sel-field-pod-spec-fields',
    'Pod field selectors spec.restartPolicy, spec.schedulerName and spec.serviceAccountName filter on those fields',
    async () => {
      const pns = await t.createNamespace('conf-sel-podf');
      const special = pod('special');
      special.spec.restartPolicy = 'Never';
      special.spec.schedulerName = 'conformance-scheduler';
      // An explicit ServiceAccount (created first: a real server's ServiceAccount admission checks it exists).
      special.spec.serviceAccountName = 'conformance-sa';
      await create(t, `/api/v1/namespaces/${pns}/serviceaccounts`, {
        apiVersion: 'v1',
        kind: 'ServiceAccount',
        metadata: { name: 'conformance-sa' },
      });
      await create(t, podPath(pns), special);
      await create(t, podPath(pns), pod('plain'));
      const by = async (fs: string) =>
        names(expectOk(await t.client.get(podPath(pns), { fieldSelector: fs }), 200));
      expect(await by('spec.restartPolicy=Never')).toEqual(['special']);
      expect(await by('spec.schedulerName=default-scheduler')).toEqual(['plain']);
      expect(await by('spec.serviceAccountName=conformance-sa')).toEqual(['special']);
    },
  );

  // §2 item 13: Secrets support the type field label.
  conformanceCase(
    'sel-field-secret-type',
    'Secret field selector type=kubernetes.io/basic-auth → only that Secret',
    async () => {
      const sns = await t.createNamespace('conf-sel-sec');
      const path = `/api/v1/namespaces/${sns}/secrets`;
      await create(t, path, {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'opaque' },
        data: { a: 'MQ==' },
      });
      await create(t, path, {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'basic' },
        type: 'kubernetes.io/basic-auth',
        stringData: { username: 'u', password: 'p' },
      });
      const res = expectOk(await t.client.get(path, { fieldSelector: 'type=kubernetes.io/basic-auth' }), 200);
      expect(names(res)).toEqual(['basic']);
    },
  );

  // §2 item 13: core Events support involvedObject.* field labels (kubectl describe relies on them).
  conformanceCase(
    'sel-field-event-involved-object',
    'Event field selector involvedObject.name=x,involvedObject.kind=ConfigMap → only that event',
    async () => {
      const ens = await t.createNamespace('conf-sel-ev');
      const path = `/api/v1/namespaces/${ens}/events`;
      const ev = (name: string, target: string) => ({
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name },
        involvedObject: { kind: 'ConfigMap', name: target, namespace: ens, apiVersion: 'v1' },
        reason: 'Tested',
        message: 'm',
        type: 'Normal',
        source: { component: 'conformance' },
        firstTimestamp: '2026-01-01T00:00:00Z',
        lastTimestamp: '2026-01-01T00:00:00Z',
        count: 1,
      });
      await create(t, path, ev('e1', 'x'));
      await create(t, path, ev('e2', 'y'));
      const res = expectOk(
        await t.client.get(path, { fieldSelector: 'involvedObject.name=x,involvedObject.kind=ConfigMap' }),
        200,
      );
      expect(names(res)).toEqual(['e1']);
    },
  );

  // §2 item 13: Namespaces support status.phase.
  conformanceCase(
    'sel-field-namespace-phase',
    "Namespace field selector status.phase=Active lists this file's namespace; Terminating does not",
    async () => {
      await setup;
      const active = expectOk(
        await t.client.get('/api/v1/namespaces', { fieldSelector: 'status.phase=Active' }),
        200,
      );
      expect(active.items.map((i: any) => i.metadata.name)).toContain(ns);
      const terminating = expectOk(
        await t.client.get('/api/v1/namespaces', { fieldSelector: 'status.phase=Terminating' }),
        200,
      );
      expect(terminating.items.map((i: any) => i.metadata.name)).not.toContain(ns);
    },
  );
});
