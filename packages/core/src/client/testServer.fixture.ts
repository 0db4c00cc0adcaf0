/**
 * Test and benchmark support: a `KubeClient` for an embedded API server, and the `Widget` test CRD
 * that the client and controller tests share. Start with {@link clientFor}; {@link createWidgetCrd}
 * installs the CRD.
 */
import { KubeConfig } from '@kubernetes/client-node';
import type { ApiServer } from '@steward/apiserver';
import { waitFor } from '../informer/httpListWatcher.fixture.js';
import type { JSONSchemaProps } from '../crd/types.js';
import { kubeClient } from './kubeClient.js';
import { builtin, refFor } from './resourceRef.js';
import type { KubeClient } from './types.js';

/** The namespaced `Widget` resource served once {@link createWidgetCrd} has run. */
export const widgets = refFor('test.steward.dev/v1', 'Widget', 'widgets', true);

/** The server's kubeconfig and a client over it with no rate limit, so tests are never throttled. */
export function clientFor(server: ApiServer): { kc: KubeConfig; client: KubeClient } {
  const kc = new KubeConfig();
  kc.loadFromString(JSON.stringify(server.kubeConfig));
  return { kc, client: kubeClient(kc, { qps: Infinity }) };
}

/**
 * Creates the `widgets.test.steward.dev` CRD (v1, status subresource, the given top-level schema
 * properties) and waits until the resource is served, which happens once the CRD is Established.
 */
export async function createWidgetCrd(
  client: KubeClient,
  properties: Record<string, JSONSchemaProps>,
): Promise<void> {
  await client.create(builtin.customresourcedefinitions, {
    metadata: { name: 'widgets.test.steward.dev' },
    spec: {
      group: 'test.steward.dev',
      scope: 'Namespaced',
      names: { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList' },
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          subresources: { status: {} },
          schema: { openAPIV3Schema: { type: 'object', properties } },
        },
      ],
    },
  });
  await waitFor(
    () =>
      client.list(widgets, { namespace: 'default' }).then(
        () => true,
        () => false,
      ),
    () => 'the Widget CRD is not served',
  );
}
