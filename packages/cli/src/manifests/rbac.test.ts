import { describe, expect, test } from '@jest/globals';
import { builtin, controller, defineOperator, refFor } from '@steward/core';
import type { Manager } from '@steward/core';
import { widgetOperator } from '../../test/fixtures/operators/widgetOperator.js';
import { rbacFor } from './rbac.js';

const gadgets = refFor('fixtures.steward.dev/v1', 'Gadget', 'gadgets', true);
const noop = () => {};
const addGadgets = (m: Manager) => void controller(m).for(gadgets).owns(builtin.services).reconcile(noop);
const addSets = (m: Manager) =>
  void controller(m).for(builtin.statefulsets).owns(builtin.pods).reconcile(noop);

function operatorWith(
  setup: (m: Manager) => void | Promise<void>,
  rbac?: { apiGroups: string[]; resources: string[]; verbs: string[] }[],
) {
  return { name: 'test-operator', resources: [], setup, ...(rbac ? { rbac } : {}) };
}

describe('rbacFor', () => {
  test('the fixture operator: primary, status, finalizers, owned, watched, leases, events and extra rules', async () => {
    expect(await rbacFor(widgetOperator)).toEqual([
      {
        apiGroups: [''],
        resources: ['configmaps'],
        verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'],
      },
      { apiGroups: [''], resources: ['events'], verbs: ['create', 'patch'] },
      { apiGroups: [''], resources: ['pods/exec'], verbs: ['create'] },
      { apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['get', 'create', 'update'] },
      { apiGroups: ['events.k8s.io'], resources: ['events'], verbs: ['create', 'patch'] },
      {
        apiGroups: ['fixtures.steward.dev'],
        resources: ['widgets'],
        verbs: ['get', 'list', 'watch', 'update', 'patch'],
      },
      { apiGroups: ['fixtures.steward.dev'], resources: ['widgets/finalizers'], verbs: ['update'] },
      {
        apiGroups: ['fixtures.steward.dev'],
        resources: ['widgets/status'],
        verbs: ['get', 'update', 'patch'],
      },
    ]);
  });

  test('no cleanup and no owned kinds: no finalizers rule; a watched kind is read-only', async () => {
    const rules = await rbacFor(
      operatorWith(
        (m) =>
          void controller(m)
            .for(gadgets)
            .watches(builtin.pods, () => [])
            .reconcile(noop),
      ),
    );
    expect(rules.map((r) => r.resources[0])).not.toContain('gadgets/finalizers');
    expect(rules).toContainEqual({ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] });
  });

  test('rules merge per (apiGroup, resource): a kind both watched and owned gets the union once', async () => {
    const rules = await rbacFor(
      operatorWith(
        (m) => {
          controller(m).for(gadgets).owns(builtin.secrets).reconcile(noop);
          controller(m)
            .named('other')
            .for(gadgets)
            .watches(builtin.secrets, () => [])
            .reconcile(noop);
        },
        [{ apiGroups: ['', 'apps'], resources: ['secrets'], verbs: ['deletecollection', 'get'] }],
      ),
    );
    expect(rules.filter((r) => r.resources[0] === 'secrets')).toEqual([
      {
        apiGroups: [''],
        resources: ['secrets'],
        verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection'],
      },
      { apiGroups: ['apps'], resources: ['secrets'], verbs: ['get', 'deletecollection'] },
    ]);
    expect(rules.filter((r) => r.resources[0] === 'gadgets')).toHaveLength(1);
  });

  test('the order of registration does not change the output', async () => {
    const one = await rbacFor(operatorWith((m) => (addGadgets(m), addSets(m))));
    const two = await rbacFor(operatorWith((m) => (addSets(m), addGadgets(m))));
    expect(JSON.stringify(one)).toBe(JSON.stringify(two));
  });

  test('an async setup is awaited: controllers added after an await are counted', async () => {
    const rules = await rbacFor(
      operatorWith(async (m) => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        controller(m).for(gadgets).reconcile(noop);
      }),
    );
    expect(rules.map((r) => r.resources[0])).toContain('gadgets');
  });

  test('setup that uses the client at load time fails with what to do', async () => {
    const op = operatorWith((m) => void m.client.get(builtin.configmaps, 'x', { namespace: 'default' }));
    await expect(rbacFor(op)).rejects.toMatchObject({
      code: 'MANIFESTS_SETUP_MISUSE',
      message: expect.stringContaining(
        'setup() used manager.client.get at load time; move client calls into reconcile',
      ),
    });
  });

  test('setup that throws is reported naming the operator, with the cause kept', async () => {
    const boom = new Error('no DATABASE_URL');
    const op = operatorWith(() => {
      throw boom;
    });
    await expect(rbacFor(op)).rejects.toMatchObject({
      code: 'MANIFESTS_SETUP_FAILED',
      message: expect.stringContaining('operator test-operator: setup() threw: no DATABASE_URL'),
      cause: boom,
    });
  });

  test('works on a defineOperator value', async () => {
    const op = defineOperator({
      name: 'x',
      resources: [],
      setup: (m) => void controller(m).for(gadgets).reconcile(noop),
    });
    expect((await rbacFor(op)).length).toBeGreaterThan(0);
  });
});
