/**
 * Namespace deletion as Kubernetes does it, written once and run twice: on the embedded server with
 * the simulated namespace controller (`namespaces.test.ts`) and on the real control plane with its own
 * (`namespaces.integration.test.ts`). Start with {@link namespaceCases}.
 */
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { builtin, NotFoundError, refFor } from '@steward/core';
import type { KubeClient, KubeObject } from '@steward/core';
import { waitFor } from '../waitFor.js';
import { finalizeNamespace } from './namespaces/namespaceContent.js';

export interface NamespaceHarness {
  client: KubeClient;
  stop(): Promise<void>;
}

const suffix = (): string => Math.random().toString(36).slice(2, 8);
// The real controller backs off between passes over a namespace whose content is held.
const WAIT = { timeout: 60_000, interval: 200 };
const quiet = (): undefined => undefined;

interface NamespaceStatus {
  phase?: string;
  conditions?: { type: string; status: string; reason: string; message: string }[];
}

export function namespaceCases(start: () => Promise<NamespaceHarness>): void {
  let h: NamespaceHarness;
  const group = `ns${suffix()}.steward.dev`;
  const gadgets = refFor(`${group}/v1`, 'Gadget', 'gadgets', true);
  const made: string[] = [];

  const namespace = async (): Promise<string> => {
    const name = `nsdel-${suffix()}`;
    made.push(name);
    await h.client.create(builtin.namespaces, { metadata: { name } });
    return name;
  };
  const get = (name: string): Promise<KubeObject | undefined> =>
    h.client.get(builtin.namespaces, name).catch((e: unknown) => {
      if (e instanceof NotFoundError) return undefined;
      throw e;
    });
  const gone = (name: string) =>
    waitFor(async () => (await get(name)) === undefined, { ...WAIT, description: `namespace ${name} gone` });

  beforeAll(async () => {
    h = await start();
    await h.client.create(builtin.customresourcedefinitions, {
      metadata: { name: `gadgets.${group}` },
      spec: {
        group,
        scope: 'Namespaced',
        names: { plural: 'gadgets', singular: 'gadget', kind: 'Gadget', listKind: 'GadgetList' },
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
    await h.client.delete(builtin.customresourcedefinitions, `gadgets.${group}`).catch(quiet);
    for (const name of made) await h.client.delete(builtin.namespaces, name).catch(quiet);
    await h.stop();
  }, 60_000);

  test('a deleted namespace empties (built-in and custom objects), then goes', async () => {
    const ns = await namespace();
    await h.client.create(builtin.configmaps, { metadata: { name: 'a', namespace: ns } });
    await h.client.create(builtin.secrets, { metadata: { name: 'b', namespace: ns } });
    await waitFor(() => h.client.create(gadgets, { metadata: { name: 'g', namespace: ns } }), {
      ...WAIT,
      description: 'the Gadget CRD served',
    });
    const deleting = await h.client.delete(builtin.namespaces, ns);
    expect((deleting as KubeObject & { status?: NamespaceStatus }).status?.phase).toBe('Terminating');
    await gone(ns);
    await expect(h.client.list(builtin.configmaps, { namespace: ns })).resolves.toMatchObject({ items: [] });
  }, 90_000);

  test('content held by a finalizer keeps the namespace Terminating, with the conditions saying why', async () => {
    const ns = await namespace();
    const hold = 'steward.dev/hold';
    await h.client.create(builtin.configmaps, {
      metadata: { name: 'held', namespace: ns, finalizers: [hold] },
    });
    await h.client.delete(builtin.namespaces, ns);
    const status = await waitFor(
      async () => {
        const s = (await get(ns))?.['status'] as NamespaceStatus | undefined;
        return s?.conditions?.some((c) => c.type === 'NamespaceFinalizersRemaining') ? s : undefined;
      },
      { ...WAIT, description: 'the deletion conditions' },
    );
    expect(status.phase).toBe('Terminating');
    const byType = new Map(status.conditions?.map((c) => [c.type, c]));
    expect(byType.get('NamespaceContentRemaining')).toMatchObject({
      status: 'True',
      reason: 'SomeResourcesRemain',
      message: 'Some resources are remaining: configmaps. has 1 resource instances',
    });
    expect(byType.get('NamespaceFinalizersRemaining')).toMatchObject({
      status: 'True',
      reason: 'SomeFinalizersRemain',
      message: `Some content in the namespace has finalizers remaining: ${hold} in 1 resource instances`,
    });
    expect(byType.get('NamespaceDeletionContentFailure')).toMatchObject({
      status: 'False',
      reason: 'ContentDeleted',
    });
    const held = await h.client.get(builtin.configmaps, 'held', { namespace: ns });
    expect(held.metadata.deletionTimestamp).toBeDefined();
    await h.client.patch(builtin.configmaps, 'held', { metadata: { finalizers: null } }, { namespace: ns });
    await gone(ns);
  }, 90_000);

  test('another spec finalizer stays after kubernetes is removed; /finalize lets the namespace go', async () => {
    const ns = await namespace();
    // Added through /finalize: the embedded server drops spec.finalizers given at create (see the README).
    const created = await h.client.get(builtin.namespaces, ns);
    await finalizeNamespace(h.client, created, ['kubernetes', 'steward.dev/other']);
    await h.client.create(builtin.configmaps, { metadata: { name: 'c', namespace: ns } });
    await h.client.delete(builtin.namespaces, ns);
    const left = await waitFor(
      async () => {
        const o = await get(ns);
        const f = (o?.['spec'] as { finalizers?: string[] } | undefined)?.finalizers;
        return f?.length === 1 ? o : undefined;
      },
      { ...WAIT, description: 'the kubernetes finalizer removed' },
    );
    expect((left['spec'] as { finalizers?: string[] }).finalizers).toEqual(['steward.dev/other']);
    await finalizeNamespace(h.client, left, []);
    await gone(ns);
  }, 90_000);
}
