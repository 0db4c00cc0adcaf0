/**
 * StorageClasses for the volume simulation: the built-in `storage.k8s.io/v1` kind (served by the
 * embedded server and by real ones), and the default class `standard` created when no class is marked
 * default. Start with {@link ensureDefaultStorageClass}.
 */
import { AlreadyExistsError, NotFoundError, refFor, StewardError } from '@steward/core';
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

/**
 * Lists the classes. Every API server Steward runs against serves the built-in kind (the embedded one
 * too), so a 404 means a server that lacks it: fail with what to check rather than fake the kind.
 */
async function listClasses(client: KubeClient): Promise<StorageClass[]> {
  try {
    return (await client.list<StorageClass>(storageClasses)).items;
  } catch (e) {
    if (!(e instanceof NotFoundError)) throw e;
    throw new StorageClassError(
      'storage.k8s.io/v1 StorageClass is not served by this API server: ' +
        'check `kubectl api-resources --api-group=storage.k8s.io`',
      { cause: e },
    );
  }
}

/**
 * Makes sure StorageClasses are served (a clear error when not) and, given `klass`, that a default one exists: when none is
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
