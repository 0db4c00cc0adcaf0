/**
 * Installs CRDs into a test environment and waits until the API server serves them. Start with
 * {@link installCrds}. "Served" means a LIST of every served version answers: on a real API server the
 * Established condition comes before the discovery and storage behind it are ready, so a create right
 * after Established can still 404.
 */
import { builtin, crdFor, refFor } from '@steward/core';
import type { Class, CustomResourceDefinition, KubeClient, ResourceRef } from '@steward/core';
import { waitFor } from '../waitFor.js';
import { TestEnvError } from './testEnvErrors.js';

/** The field manager the environment applies CRDs with. */
export const TEST_ENV_FIELD_MANAGER = 'steward-testing';

function isCrd(value: Class | CustomResourceDefinition): value is CustomResourceDefinition {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { kind?: unknown }).kind === 'CustomResourceDefinition'
  );
}

/** The CRD object for a `@CustomResource` class or a CRD given as is. */
export function crdOf(value: Class | CustomResourceDefinition): CustomResourceDefinition {
  return isCrd(value) ? value : crdFor(value);
}

/** A reference per served version of `crd`. */
export function servedRefs(crd: CustomResourceDefinition): ResourceRef[] {
  const { group, names, scope } = crd.spec;
  return crd.spec.versions
    .filter((v) => v.served)
    .map((v) => refFor(`${group}/${v.name}`, names.kind, names.plural, scope === 'Namespaced'));
}

/**
 * Server-side applies each CRD (so a CRD left by an earlier run on a shared cluster is updated, not a
 * conflict), then waits until every served version answers a LIST in `namespace`.
 */
export async function installCrds(
  client: KubeClient,
  crds: readonly (Class | CustomResourceDefinition)[],
  options: { namespace: string; timeoutMs: number },
): Promise<CustomResourceDefinition[]> {
  const objects = crds.map(crdOf);
  for (const crd of objects) {
    try {
      await client.apply(builtin.customresourcedefinitions, crd, {
        fieldManager: TEST_ENV_FIELD_MANAGER,
        force: true,
      });
    } catch (error) {
      throw new TestEnvError(
        'TEST_ENV_CRD',
        `startTestEnv: installing CRD ${crd.metadata.name} failed: ${(error as Error).message}; check the CRD (crdFor's output) and that the target accepts CRDs`,
        { cause: error },
      );
    }
  }
  for (const crd of objects) {
    for (const ref of servedRefs(crd)) {
      const namespace = ref.namespaced ? options.namespace : undefined;
      await waitFor(
        async () => {
          await client.list(ref, namespace === undefined ? {} : { namespace });
          return true;
        },
        {
          timeout: options.timeoutMs,
          interval: 100,
          description: `CRD ${crd.metadata.name} (${ref.version}) to be served`,
        },
      ).catch((error: unknown) => {
        throw new TestEnvError(
          'TEST_ENV_CRD',
          `startTestEnv: CRD ${crd.metadata.name} was not served within ${options.timeoutMs} ms: ${(error as Error).message}`,
          { cause: error },
        );
      });
    }
  }
  return objects;
}
