/**
 * The DefaultStorageClass admission plugin, which a real kube-apiserver enables by default: a claim
 * created without `spec.storageClassName` gets the default StorageClass's name (the newest default when
 * several are marked, then the first by name). Start with {@link assignDefaultStorageClass}.
 */
import type { KObject } from '../storage/storedObject.js';
import { asObj } from './jsonValues.js';

const DEFAULT_ANNOTATIONS = [
  'storageclass.kubernetes.io/is-default-class',
  'storageclass.beta.kubernetes.io/is-default-class',
];

const isDefault = (c: KObject): boolean =>
  DEFAULT_ANNOTATIONS.some((a) => c.metadata?.annotations?.[a] === 'true');

const time = (c: KObject): number => Date.parse(c.metadata?.creationTimestamp ?? '') || 0;

/** The name of the class a claim without one gets, if any class is marked default. */
export function defaultStorageClassName(classes: Iterable<KObject>): string | undefined {
  const defaults = [...classes].filter(isDefault);
  defaults.sort(
    (a, b) => time(b) - time(a) || ((a.metadata?.name ?? '') < (b.metadata?.name ?? '') ? -1 : 1),
  );
  return defaults[0]?.metadata?.name;
}

/**
 * Sets a new claim's `spec.storageClassName` to the default class. A class given explicitly — even `""`,
 * which asks for no class — is left alone.
 */
export function assignDefaultStorageClass(claim: KObject, classes: Iterable<KObject>): void {
  const spec = asObj(claim['spec']);
  if (!spec || spec['storageClassName'] !== undefined) return;
  const name = defaultStorageClassName(classes);
  if (name !== undefined) spec['storageClassName'] = name;
}
