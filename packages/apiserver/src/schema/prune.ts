/**
 * Pruning of fields a structural schema does not declare, as apiextensions-apiserver's
 * `schema/pruning` does it (honouring `x-kubernetes-preserve-unknown-fields` and embedded resources),
 * plus the coercion of `metadata` to ObjectMeta's fields. Start with {@link pruneObject}; it returns
 * the pruned paths (`spec.foo`, `spec.items[0].bar`), sorted, as the server reports unknown fields.
 */
import type { JSONSchemaProps } from '../registry/types.js';

type Json = Record<string, unknown>;

const META_FIELDS = new Set(['apiVersion', 'kind', 'metadata']);

/** The JSON fields of `metav1.ObjectMeta`; anything else under `metadata` is dropped on decode. */
export const OBJECT_META_FIELDS = new Set([
  'name',
  'generateName',
  'namespace',
  'selfLink',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'labels',
  'annotations',
  'ownerReferences',
  'finalizers',
  'managedFields',
]);

function isObject(x: unknown): x is Json {
  return x !== null && typeof x === 'object' && !Array.isArray(x);
}

function join(parent: string, key: string): string {
  return parent === '' ? key : `${parent}.${key}`;
}

function prune(
  x: unknown,
  s: JSONSchemaProps | undefined,
  embedded: boolean,
  path: string,
  out: string[],
): void {
  if (s?.['x-kubernetes-preserve-unknown-fields']) {
    skipPrune(x, s, embedded, path, out);
    return;
  }
  if (Array.isArray(x)) {
    x.forEach((v, i) =>
      prune(v, s?.items, Boolean(s?.items?.['x-kubernetes-embedded-resource']), `${path}[${i}]`, out),
    );
    return;
  }
  if (!isObject(x)) return;
  for (const k of Object.keys(x)) {
    if (!s) {
      out.push(join(path, k));
      delete x[k];
      continue;
    }
    if (embedded && META_FIELDS.has(k)) {
      if (k === 'metadata') pruneMetadata(x[k], join(path, k), out);
      continue;
    }
    const prop = s.properties?.[k];
    const extra = typeof s.additionalProperties === 'object' ? s.additionalProperties : undefined;
    if (prop) prune(x[k], prop, Boolean(prop['x-kubernetes-embedded-resource']), join(path, k), out);
    else if (extra) prune(x[k], extra, Boolean(extra['x-kubernetes-embedded-resource']), join(path, k), out);
    else {
      out.push(join(path, k));
      delete x[k];
    }
  }
}

function skipPrune(x: unknown, s: JSONSchemaProps, embedded: boolean, path: string, out: string[]): void {
  if (Array.isArray(x)) {
    const items = s.items;
    if (!items) return;
    x.forEach((v, i) => {
      const nested = Boolean(items['x-kubernetes-embedded-resource']);
      if (items['x-kubernetes-preserve-unknown-fields']) skipPrune(v, items, nested, `${path}[${i}]`, out);
      else prune(v, items, nested, `${path}[${i}]`, out);
    });
    return;
  }
  if (!isObject(x)) return;
  for (const k of Object.keys(x)) {
    if (embedded && META_FIELDS.has(k)) {
      if (k === 'metadata') pruneMetadata(x[k], join(path, k), out);
      continue;
    }
    const prop = s.properties?.[k];
    const extra = typeof s.additionalProperties === 'object' ? s.additionalProperties : undefined;
    const sub = prop ?? extra;
    if (sub) prune(x[k], sub, Boolean(sub['x-kubernetes-embedded-resource']), join(path, k), out);
  }
}

/** Drops unknown ObjectMeta fields (the server decodes metadata into `metav1.ObjectMeta`). */
function pruneMetadata(meta: unknown, path: string, out: string[]): void {
  if (!isObject(meta)) return;
  for (const k of Object.keys(meta)) {
    if (!OBJECT_META_FIELDS.has(k)) {
      out.push(join(path, k));
      delete meta[k];
    }
  }
}

/**
 * Prunes `obj` (a whole custom resource) in place. At the root apiVersion, kind and metadata are kept
 * whatever the schema says; metadata keeps only ObjectMeta's fields.
 */
export function pruneObject(obj: Json, schema: JSONSchemaProps | undefined): string[] {
  const out: string[] = [];
  prune(obj, schema ?? {}, true, '', out);
  return out.sort();
}
