import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { startApiServer } from '@steward/apiserver';
import { builtin } from '../client/resourceRef.js';
import { clientFor, createWidgetCrd, widgets } from '../client/testServer.fixture.js';
import type { KubeClient, KubeObject } from '../client/types.js';
import { controllerOf, isControlledBy, ownerReferenceTo, setControllerReference } from './ownerReferences.js';
import { AlreadyOwnedError, OwnerReferenceError } from './reconcileErrors.js';

let server: Awaited<ReturnType<typeof startApiServer>>;
let client: KubeClient;
let owner: KubeObject;

beforeAll(async () => {
  server = await startApiServer({ port: 0 });
  client = clientFor(server).client;
  await createWidgetCrd(client, {});
  const fresh: KubeObject = { metadata: { name: 'owner', namespace: 'default' } };
  owner = await client.create(widgets, fresh);
});
afterAll(async () => {
  client.close();
  await server.stop();
});

const configMap = (name: string, namespace = 'default'): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace },
  data: { a: '1' },
});

describe('ownerReferenceTo', () => {
  test('carries apiVersion, kind, name, uid and only the flags given', () => {
    expect(ownerReferenceTo(owner)).toEqual({
      apiVersion: 'test.steward.dev/v1',
      kind: 'Widget',
      name: 'owner',
      uid: owner.metadata.uid,
    });
    expect(ownerReferenceTo(owner, { controller: true, blockOwnerDeletion: false })).toMatchObject({
      controller: true,
      blockOwnerDeletion: false,
    });
  });

  test('an owner that was never read from the server (no uid) is refused, naming the field', () => {
    const local: KubeObject = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'x', namespace: 'ns' },
    };
    expect(() => ownerReferenceTo(local)).toThrow(OwnerReferenceError);
    expect(() => ownerReferenceTo(local)).toThrow(/ConfigMap ns\/x has no metadata\.uid/);
  });
});

describe('setControllerReference', () => {
  test('the server accepts the child, and the reference reads back as its controller', async () => {
    const child = setControllerReference(owner, configMap('owned'));
    const stored = await client.create(builtin.configmaps, child);
    expect(stored.metadata.ownerReferences).toEqual([
      {
        apiVersion: 'test.steward.dev/v1',
        kind: 'Widget',
        name: 'owner',
        uid: owner.metadata.uid,
        controller: true,
        blockOwnerDeletion: true,
      },
    ]);
    expect(controllerOf(stored)?.uid).toBe(owner.metadata.uid);
    expect(isControlledBy(stored, owner)).toBe(true);
  });

  test('returns the same child; setting it twice keeps one reference; other owners stay in place', () => {
    const child = configMap('twice');
    const other = { apiVersion: 'v1', kind: 'Secret', name: 's', uid: 'u-s' };
    child.metadata.ownerReferences = [other];
    expect(setControllerReference(owner, child)).toBe(child);
    setControllerReference(owner, child);
    expect(child.metadata.ownerReferences?.map((r) => r.kind)).toEqual(['Secret', 'Widget']);
  });

  test('a reference to another version of the same owner is replaced, not duplicated', () => {
    const child = configMap('versions');
    child.metadata.ownerReferences = [
      {
        apiVersion: 'test.steward.dev/v1alpha1',
        kind: 'Widget',
        name: 'owner',
        uid: owner.metadata.uid ?? '',
      },
    ];
    setControllerReference(owner, child);
    expect(child.metadata.ownerReferences).toHaveLength(1);
    expect(child.metadata.ownerReferences?.[0]?.apiVersion).toBe('test.steward.dev/v1');
  });

  test('a child another controller owns throws AlreadyOwnedError naming both', () => {
    const child = configMap('taken');
    child.metadata.ownerReferences = [
      { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: 'u-web', controller: true },
    ];
    expect(() => setControllerReference(owner, child)).toThrow(AlreadyOwnedError);
    expect(() => setControllerReference(owner, child)).toThrow(
      /ConfigMap default\/taken is already controlled by Deployment web, not by Widget default\/owner/,
    );
    expect(isControlledBy(child, owner)).toBe(false);
  });

  test('cross-namespace and cluster-scoped children are refused', () => {
    expect(() => setControllerReference(owner, configMap('elsewhere', 'kube-system'))).toThrow(
      /cross-namespace owner references are not allowed/,
    );
    const namespace: KubeObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'n' } };
    expect(() => setControllerReference(owner, namespace)).toThrow(OwnerReferenceError);
  });
});

describe('reading', () => {
  test('controllerOf ignores non-controller references; isControlledBy compares uids', () => {
    const child = configMap('readers');
    expect(controllerOf(child)).toBeUndefined();
    child.metadata.ownerReferences = [ownerReferenceTo(owner)];
    expect(controllerOf(child)).toBeUndefined();
    expect(isControlledBy(child, owner)).toBe(false);
    child.metadata.ownerReferences = [ownerReferenceTo(owner, { controller: true })];
    expect(isControlledBy(child, owner)).toBe(true);
    expect(isControlledBy(child, { ...owner, metadata: { ...owner.metadata, uid: 'other' } })).toBe(false);
    expect(isControlledBy(child, { metadata: {} })).toBe(false);
  });
});
