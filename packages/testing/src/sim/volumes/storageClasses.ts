/**
 * StorageClasses for the volume simulation: the `storage.k8s.io/v1` reference, a stand-in CRD for API
 * servers that do not serve the kind (the embedded one), and the default class `standard` created when
 * no class is marked default. Start with {@link ensureDefaultStorageClass}.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { AlreadyExistsError, builtin, NotFoundError, refFor, StewardError } from '@steward/core';
import type { KubeClient, KubeObject } from '@steward/core';

export const storageClasses = refFor('storage.k8s.io/v1', 'StorageClass', 'storageclasses', false);

/** The annotation that marks the class a claim without `storageClassName` gets. */
export const DEFAULT_CLASS_ANNOTATION = 'storageclass.kubernetes.io/is-default-class';

export interface StorageClass extends KubeObject {
  provisioner?: string;
  reclaimPolicy?: 'Delete' | 'Retain';
  volumeBindingMode?: 'Immediate' | 'WaitForFirstConsumer';
}

export const isDefaultClass = (c: StorageClass): boolean =>
  c.metadata.annotations?.[DEFAULT_CLASS_ANNOTATION] === 'true';

export class StorageClassError extends StewardError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super('SIM_STORAGE_CLASS', message, true, options);
  }
}

// The real type's fields are top level (provisioner, reclaimPolicy, ...), so the stand-in keeps any field.
const standIn = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'storageclasses.storage.k8s.io' },
  spec: {
    group: 'storage.k8s.io',
    scope: 'Cluster',
    names: {
      plural: 'storageclasses',
      singular: 'storageclass',
      kind: 'StorageClass',
      listKind: 'StorageClassList',
      shortNames: ['sc'],
    },
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
      },
    ],
  },
};

/** Lists the classes; on a server without the kind, installs the stand-in CRD first and waits until served. */
async function listClasses(client: KubeClient): Promise<StorageClass[]> {
  try {
    return (await client.list<StorageClass>(storageClasses)).items;
  } catch (e) {
    if (!(e instanceof NotFoundError)) throw e;
  }
  await client.create(builtin.customresourcedefinitions, standIn).catch((e: unknown) => {
    if (!(e instanceof AlreadyExistsError)) throw e;
  });
  let last: unknown;
  for (let i = 0; i < 200; i++) {
    try {
      return (await client.list<StorageClass>(storageClasses)).items;
    } catch (e) {
      last = e;
      await sleep(50);
    }
  }
  throw new StorageClassError(
    'storageclasses.storage.k8s.io is not served 10 s after its stand-in CRD was created: ' +
      'check the API server (kubectl get crd storageclasses.storage.k8s.io -o yaml)',
    { cause: last },
  );
}

/**
 * Makes sure StorageClasses are served and, given `klass`, that a default one exists: when none is
 * marked default, creates `klass` with the simulated provisioner, marked default (an existing class of
 * that name is left as it is).
 */
export async function ensureDefaultStorageClass(
  client: KubeClient,
  klass: { name: string; provisioner: string; reclaimPolicy: 'Delete' | 'Retain' } | undefined,
): Promise<void> {
  const classes = await listClasses(client);
  if (!klass || classes.some(isDefaultClass)) return;
  const body: StorageClass = {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: { name: klass.name, annotations: { [DEFAULT_CLASS_ANNOTATION]: 'true' } },
    provisioner: klass.provisioner,
    reclaimPolicy: klass.reclaimPolicy,
    volumeBindingMode: 'Immediate',
  };
  await client.create(storageClasses, body).catch((e: unknown) => {
    if (!(e instanceof AlreadyExistsError)) throw e;
  });
}
