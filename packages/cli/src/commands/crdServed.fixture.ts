/**
 * Shared by the `crd generate` tests on the embedded server and on the real control plane: applies
 * generated CRD YAML through the API, then creates, lists and deletes one object of each kind.
 */
import { expect } from '@jest/globals';
import { builtin, refFor } from '@steward/core';
import type { CustomResourceDefinition, KubeClient } from '@steward/core';
import { waitFor } from '@steward/testing';
import { parseAllDocuments } from 'yaml';

/** The CRDs of a multi-document YAML stream, as `--stdout` prints it. */
export function crdsOf(stream: string): CustomResourceDefinition[] {
  return parseAllDocuments(stream).map((d) => d.toJS() as CustomResourceDefinition);
}

/**
 * Applies every CRD, waits until each is served, then creates an object of each kind with `specs`'
 * spec (keyed by kind), lists it back and deletes it. A spec that breaks the schema is refused.
 */
export async function expectServed(
  client: KubeClient,
  crds: CustomResourceDefinition[],
  namespace: string,
  specs: Record<string, { good: unknown; bad: unknown }>,
): Promise<void> {
  for (const crd of crds) {
    await client.apply(builtin.customresourcedefinitions, crd, {
      fieldManager: 'steward-cli-test',
      force: true,
    });
  }
  for (const crd of crds) {
    const { group, names, scope, versions } = crd.spec;
    const ref = refFor(
      `${group}/${versions[0]?.name ?? ''}`,
      names.kind,
      names.plural,
      scope === 'Namespaced',
    );
    const where = scope === 'Namespaced' ? { namespace } : {};
    const name = `sample-${namespace}`;
    const spec = specs[names.kind];
    if (!spec) throw new Error(`no sample spec for ${names.kind}`);
    // A real API server serves a new CRD only after it is Established.
    await waitFor(() => client.list(ref, where).then(() => true), {
      description: `${crd.metadata.name} served`,
    });
    const object = {
      apiVersion: ref.group + '/' + ref.version,
      kind: names.kind,
      metadata: { name, ...where },
    };
    await expect(client.create(ref, { ...object, spec: spec.bad })).rejects.toThrow(/spec\./);
    await client.create(ref, { ...object, spec: spec.good });
    const listed = await client.list(ref, where);
    expect(listed.items.map((o) => o.metadata.name)).toContain(name);
    await client.delete(ref, name, where);
  }
}
