/**
 * `hoistedFields()`: which per-version fields of a v1 CRD the real server moves up to the internal spec
 * (`spec.validation`, `spec.subresources`, `spec.additionalPrinterColumns`) because every version has the
 * same value — validation then checks them once, under the internal path.
 *
 * Start with {@link hoistedFields}.
 */

type Json = Record<string, unknown>;

function sortKeys(x: unknown): unknown {
  if (Array.isArray(x)) return x.map(sortKeys);
  if (typeof x !== 'object' || x === null) return x;
  const o = x as Json;
  return Object.fromEntries(
    Object.keys(o)
      .sort()
      .map((k) => [k, sortKeys(o[k])]),
  );
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b));

export interface Hoisted {
  schema: boolean;
  subresources: boolean;
  additionalPrinterColumns: boolean;
}

/** Per field: true when all versions carry an identical, present value (conversion to the internal spec). */
export function hoistedFields(versions: Json[]): Hoisted {
  const first = versions[0];
  const hoisted = (key: string): boolean =>
    first !== undefined &&
    first[key] !== undefined &&
    first[key] !== null &&
    versions.every((v) => same(v[key], first[key]));
  return {
    schema: hoisted('schema'),
    subresources: hoisted('subresources'),
    additionalPrinterColumns: hoisted('additionalPrinterColumns'),
  };
}
