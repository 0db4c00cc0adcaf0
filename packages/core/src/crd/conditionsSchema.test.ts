import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { startApiServer, type ApiServer } from '@steward/apiserver';
import { IsOptional, ValidateNested } from 'class-validator';
import { Type } from 'class-transformer';
import { clientFor } from '../client/testServer.fixture.js';
import { builtin } from '../client/resourceRef.js';
import { InvalidError } from '../client/errors.js';
import type { KubeClient, KubeObject } from '../client/types.js';
import { resourceRefOf } from '../builder/resources.js';
import { CustomResource } from '../decorators/customResource.js';
import { Conditions, PreserveUnknownFields } from '../decorators/fields.js';
import { waitFor } from '../informer/httpListWatcher.fixture.js';
import { setCondition } from '../reconcile/conditions.js';
import type { Condition } from '../reconcile/conditions.js';
import { crdFor } from './crdFor.js';

class GadgetStatus {
  @IsOptional() @Conditions() conditions?: Condition[];
}
@CustomResource({ group: 'conditions.steward.dev', version: 'v1', kind: 'Gadget' })
class Gadget {
  @IsOptional() @PreserveUnknownFields() spec?: Record<string, unknown>;
  @IsOptional() @ValidateNested() @Type(() => GadgetStatus) status?: GadgetStatus;
}
const gadgets = resourceRefOf(Gadget);

describe('@Conditions()', () => {
  let server: ApiServer;
  let client: KubeClient;
  beforeAll(async () => {
    server = await startApiServer({ port: 0 });
    ({ client } = clientFor(server));
    await client.create(builtin.customresourcedefinitions, crdFor(Gadget));
    await waitFor(
      async () => {
        try {
          await client.list(gadgets, { namespace: 'default' });
          return true;
        } catch {
          return false;
        }
      },
      () => 'the Gadget resource is not served',
    );
  });
  afterAll(async () => {
    client.close();
    await server.stop();
  });

  test('gives status.conditions the metav1.Condition list schema, keyed by type', () => {
    const status = crdFor(Gadget).spec.versions[0]?.schema.openAPIV3Schema.properties?.['status'];
    const conditions = status?.properties?.['conditions'];
    expect(conditions?.['x-kubernetes-list-type']).toBe('map');
    expect(conditions?.['x-kubernetes-list-map-keys']).toEqual(['type']);
    expect(conditions?.items?.required).toEqual([
      'type',
      'status',
      'lastTransitionTime',
      'reason',
      'message',
    ]);
  });

  test('the server stores conditions setCondition builds, and rejects a malformed one naming the field', async () => {
    const created: KubeObject = await client.create(gadgets, {
      metadata: { name: 'g1', namespace: 'default' },
      spec: {},
    });
    const { conditions } = setCondition([], { type: 'Ready', status: 'True', reason: 'Done', message: 'ok' });
    const written = await client.patchStatus(
      gadgets,
      'g1',
      { status: { conditions } },
      { namespace: 'default' },
    );
    expect((written['status'] as GadgetStatus).conditions).toEqual(conditions);
    expect(created.metadata.uid).toBeDefined();

    const bad = [
      { type: 'Ready', status: 'Maybe', reason: 'Done', message: 'ok', lastTransitionTime: 'now' },
    ];
    const error: unknown = await client
      .patchStatus(gadgets, 'g1', { status: { conditions: bad } }, { namespace: 'default' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidError);
    expect((error as Error).message).toContain('status.conditions[0].status');
  });
});
