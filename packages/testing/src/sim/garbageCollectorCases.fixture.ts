/**
 * Garbage-collection behaviour as Kubernetes defines it, written once and run twice: on the embedded
 * server with the simulated collector (`garbageCollector.test.ts`) and on the real control plane with
 * its own (`garbageCollector.integration.test.ts`), which proves the simulation matches. Start with
 * {@link garbageCollectorCases}.
 */
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { builtin, NotFoundError, refFor } from '@steward/core';
import type { KubeClient, KubeObject, OwnerReference, ResourceRef } from '@steward/core';
import { waitFor } from '../waitFor.js';

export interface GcHarness {
  client: KubeClient;
  stop(): Promise<void>;
}

const suffix = (): string => Math.random().toString(36).slice(2, 8);
const WAIT = { timeout: 30_000, interval: 100 };
const quiet = (): undefined => undefined;

const ownerRef = (o: KubeObject, extra: Partial<OwnerReference> = {}): OwnerReference => ({
  apiVersion: o.apiVersion ?? 'v1',
  kind: o.kind ?? 'ConfigMap',
  name: o.metadata.name ?? '',
  uid: o.metadata.uid ?? '',
  ...extra,
});

export function garbageCollectorCases(start: () => Promise<GcHarness>): void {
  let h: GcHarness;
  const ns = `gc-${suffix()}`;
  const other = `gc-other-${suffix()}`;
  const group = `gc${suffix()}.steward.dev`;
  const widgets = refFor(`${group}/v1`, 'Widget', 'widgets', true);
  const cms = builtin.configmaps;
  const inNs = { namespace: ns };

  const cm = (name: string, owners: OwnerReference[] = [], extra: Partial<KubeObject['metadata']> = {}) =>
    h.client.create(cms, { metadata: { name, namespace: ns, ownerReferences: owners, ...extra }, data: {} });
  const exists = (ref: ResourceRef, name: string, namespace = ns): Promise<KubeObject | undefined> =>
    h.client.get(ref, name, ref.namespaced ? { namespace } : {}).catch((e: unknown) => {
      if (e instanceof NotFoundError) return undefined;
      throw e;
    });
  const gone = (ref: ResourceRef, name: string, what: string) =>
    waitFor(async () => (await exists(ref, name)) === undefined, { ...WAIT, description: what });

  beforeAll(async () => {
    h = await start();
    for (const name of [ns, other]) await h.client.create(builtin.namespaces, { metadata: { name } });
    await h.client.create(builtin.customresourcedefinitions, {
      metadata: { name: `widgets.${group}` },
      spec: {
        group,
        scope: 'Namespaced',
        names: { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList' },
        versions: [
          {
            name: 'v1',
            served: true,
            storage: true,
            schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
          },
        ],
      },
    });
  }, 60_000);
  afterAll(async () => {
    await h.client.delete(builtin.customresourcedefinitions, `widgets.${group}`).catch(quiet);
    for (const name of [ns, other]) await h.client.delete(builtin.namespaces, name).catch(quiet);
    await h.stop();
  }, 60_000);

  test('background: dependents of a deleted owner go, an unrelated object stays', async () => {
    const owner = await cm('bg-owner');
    await cm('bg-a', [ownerRef(owner)]);
    await h.client.create(builtin.secrets, {
      metadata: { name: 'bg-b', namespace: ns, ownerReferences: [ownerRef(owner, { controller: true })] },
    });
    await cm('bg-unrelated');
    await h.client.delete(cms, 'bg-owner', inNs);
    await gone(cms, 'bg-a', 'the ConfigMap dependent collected');
    await gone(builtin.secrets, 'bg-b', 'the Secret dependent collected');
    expect(await exists(cms, 'bg-unrelated')).toBeDefined();
  }, 60_000);

  test('several owners: the dependent stays while one is left, losing the absent reference; then goes', async () => {
    const a = await cm('multi-a');
    const b = await cm('multi-b');
    await cm('multi-dep', [ownerRef(a), ownerRef(b)]);
    await h.client.delete(cms, 'multi-a', inNs);
    const dep = await waitFor(
      async () => {
        const d = await exists(cms, 'multi-dep');
        return d?.metadata.ownerReferences?.length === 1 ? d : undefined;
      },
      { ...WAIT, description: 'the reference to the deleted owner removed' },
    );
    expect(dep.metadata.ownerReferences?.[0]?.uid).toBe(b.metadata.uid);
    await h.client.delete(cms, 'multi-b', inNs);
    await gone(cms, 'multi-dep', 'the dependent collected after its last owner');
  }, 60_000);

  test('an owner reference by uid: a uid that never existed, or a recreated owner, counts as absent', async () => {
    const owner = await cm('uid-owner');
    await cm('uid-bogus', [ownerRef(owner, { uid: '00000000-0000-4000-8000-000000000000' })]);
    await gone(cms, 'uid-bogus', 'the dependent of a uid that never existed collected');
    await cm('uid-dep', [ownerRef(owner)]);
    await h.client.delete(cms, 'uid-owner', inNs);
    await cm('uid-owner'); // same name, new uid
    await gone(cms, 'uid-dep', 'the dependent of the recreated owner collected');
    expect(await exists(cms, 'uid-owner')).toBeDefined();
  }, 60_000);

  test('foreground: the owner waits (foregroundDeletion) until its blocking dependents are gone', async () => {
    const owner = await cm('fg-owner');
    const hold = 'steward.dev/hold';
    await cm('fg-blocking', [ownerRef(owner, { blockOwnerDeletion: true })], { finalizers: [hold] });
    await cm('fg-plain', [ownerRef(owner)]);
    await h.client.delete(cms, 'fg-owner', { ...inNs, propagationPolicy: 'Foreground' });
    const held = await exists(cms, 'fg-owner');
    expect(held?.metadata.finalizers).toContain('foregroundDeletion');
    expect(held?.metadata.deletionTimestamp).toBeDefined();
    await waitFor(async () => (await exists(cms, 'fg-blocking'))?.metadata.deletionTimestamp, {
      ...WAIT,
      description: 'the blocking dependent being deleted',
    });
    await gone(cms, 'fg-plain', 'the non-blocking dependent collected');
    // The blocking dependent is held by its finalizer, so its owner must still be there.
    expect((await exists(cms, 'fg-owner'))?.metadata.finalizers).toContain('foregroundDeletion');
    await h.client.patch(cms, 'fg-blocking', { metadata: { finalizers: null } }, inNs);
    await gone(cms, 'fg-blocking', 'the blocking dependent gone');
    await gone(cms, 'fg-owner', 'the owner gone after its blocking dependents');
  }, 60_000);

  test('orphan: the owner goes, its dependents stay without the reference to it', async () => {
    const owner = await cm('or-owner');
    const keep = await cm('or-keep');
    await cm('or-dep', [ownerRef(owner), ownerRef(keep)]);
    await h.client.delete(cms, 'or-owner', { ...inNs, propagationPolicy: 'Orphan' });
    await gone(cms, 'or-owner', 'the orphaning owner gone');
    const dep = await exists(cms, 'or-dep');
    expect(dep?.metadata.ownerReferences?.map((r) => r.uid)).toEqual([keep.metadata.uid]);
  }, 60_000);

  test('a cluster-scoped owner (a PersistentVolume) of a namespaced dependent', async () => {
    const pvName = `gc-pv-${suffix()}`;
    const pv = await h.client.create(builtin.persistentvolumes, {
      metadata: { name: pvName },
      spec: {
        capacity: { storage: '1Mi' },
        accessModes: ['ReadWriteOnce'],
        hostPath: { path: '/tmp/steward-gc' },
      },
    });
    await cm('pv-dep', [ownerRef(pv)]);
    expect(await exists(cms, 'pv-dep')).toBeDefined(); // kept while its owner exists
    await h.client.delete(builtin.persistentvolumes, pvName);
    await gone(cms, 'pv-dep', 'the dependent of the deleted PersistentVolume collected');
  }, 60_000);

  test('an owner in another namespace counts as absent', async () => {
    const elsewhere = await h.client.create(cms, { metadata: { name: 'xns-owner', namespace: other } });
    await cm('xns-dep', [ownerRef(elsewhere)]);
    await gone(cms, 'xns-dep', 'the dependent of a cross-namespace owner collected');
    expect(await exists(cms, 'xns-owner', other)).toBeDefined();
  }, 60_000);

  test('a custom resource owner (found through its CRD) and its ConfigMap', async () => {
    const widget = await waitFor(
      () => h.client.create(widgets, { metadata: { name: 'w', namespace: ns }, spec: { size: 1 } }),
      { ...WAIT, description: 'the Widget CRD served' },
    );
    await cm('w-config', [ownerRef(widget, { controller: true, blockOwnerDeletion: true })]);
    expect(await exists(cms, 'w-config')).toBeDefined(); // kept while its owner exists
    await h.client.delete(widgets, 'w', inNs);
    await gone(cms, 'w-config', "the Widget's ConfigMap collected");
  }, 60_000);
}
