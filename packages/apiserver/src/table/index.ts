/**
 * `meta.k8s.io/v1` Table output (`Accept: application/json;as=Table;v=v1;g=meta.k8s.io`, what `kubectl get`
 * asks for): the Name column, then the resource's printer columns — CRD `additionalPrinterColumns`
 * evaluated with their JSONPath as apiextensions' table convertor does, or the built-in printers.
 * Start with {@link toTable}.
 */
import type { PrinterColumn, ResourceInfo } from '../registry/types.js';
import { builtinColumns, builtinRowName } from './builtinColumns.js';
import type { BuiltinColumn } from './builtinColumns.js';
import { age } from './humanDuration.js';
import { compileJsonPath } from './jsonPath.js';

export { builtinColumns } from './builtinColumns.js';
export type { BuiltinColumn } from './builtinColumns.js';
export { humanDuration } from './humanDuration.js';
export { compileJsonPath } from './jsonPath.js';

type Json = Record<string, unknown>;

const NAME_DESCRIPTION =
  'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names';
const CREATED_DESCRIPTION =
  'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata';

/** The column a CRD version gets when it declares none (`serveDefaultColumnsIfEmpty`). */
const DEFAULT_CRD_COLUMNS: PrinterColumn[] = [
  { name: 'Age', type: 'date', description: CREATED_DESCRIPTION, jsonPath: '.metadata.creationTimestamp' },
];

/** How `text/template` prints a JSONPath result in a string column: scalars bare, the rest as JSON. */
function printValue(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v === null || v === undefined) return '<nil>';
  return JSON.stringify(v);
}

/** `cellForJSONValue`: a value of the wrong type for its column is an empty (null) cell. */
function cellFor(type: string, value: unknown, now: Date): unknown {
  if (value === null || value === undefined) return null;
  switch (type) {
    case 'integer':
      return typeof value === 'number' ? Math.trunc(value) : null;
    case 'number':
      return typeof value === 'number' ? value : null;
    case 'boolean':
      return typeof value === 'boolean' ? value : null;
    case 'string':
      return printValue(value);
    case 'date':
      if (typeof value !== 'string') return null;
      return Number.isNaN(Date.parse(value)) ? '<invalid>' : age(value, now);
    default:
      return null;
  }
}

interface Column {
  definition: Json;
  cell(obj: Json, now: Date): unknown;
}

function crdColumns(cols: PrinterColumn[]): Column[] {
  return (cols.length > 0 ? cols : DEFAULT_CRD_COLUMNS).map((col) => {
    let find: (obj: unknown) => unknown[];
    try {
      find = compileJsonPath(col.jsonPath);
    } catch {
      find = () => [];
    }
    return {
      definition: {
        name: col.name,
        type: col.type,
        format: col.format ?? '',
        description:
          col.description ?? `Custom resource definition column (in JSONPath format): ${col.jsonPath}`,
        priority: col.priority ?? 0,
      },
      cell: (obj, now) => {
        const found = find(obj);
        return found.length === 0 ? null : cellFor(col.type, found[0], now);
      },
    };
  });
}

function builtin(cols: BuiltinColumn[]): Column[] {
  return cols.map((c) => ({
    definition: {
      name: c.name,
      type: c.type,
      format: c.format ?? '',
      description: c.description ?? '',
      priority: c.priority ?? 0,
    },
    cell: (obj, now) => c.cell(obj, now),
  }));
}

function partialMetadata(obj: Json): Json {
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: obj['metadata'] ?? {} };
}

/** A meta.k8s.io/v1 Table of `objects` for `info`, rows carrying `object` per `includeObject`. */
export function toTable(
  info: ResourceInfo,
  objects: Record<string, unknown>[],
  opts: {
    includeObject: 'None' | 'Metadata' | 'Object';
    resourceVersion: string;
    continue?: string;
    remainingItemCount?: number;
    now?: Date;
  },
): Record<string, unknown> {
  const now = opts.now ?? new Date();
  const columns =
    info.crdName !== undefined
      ? crdColumns(info.printerColumns)
      : builtin([
          ...builtinColumns(info.group, info.kind),
          ...info.printerColumns.map((p) => printerAsBuiltin(p)),
        ]);
  const rows = objects.map((obj) => {
    const meta = (obj['metadata'] ?? {}) as Json;
    const name = typeof meta['name'] === 'string' ? meta['name'] : '';
    const cells: unknown[] = [info.crdName === undefined ? builtinRowName(info.group, info.kind, obj) : name];
    for (const c of columns) {
      let v: unknown;
      try {
        v = c.cell(obj, now);
      } catch {
        v = null;
      }
      cells.push(v === undefined ? null : v);
    }
    const row: Json = { cells };
    if (opts.includeObject === 'Object') row['object'] = obj;
    else if (opts.includeObject === 'Metadata') row['object'] = partialMetadata(obj);
    return row;
  });
  const metadata: Json = { resourceVersion: opts.resourceVersion };
  if (opts.continue) metadata['continue'] = opts.continue;
  if (opts.remainingItemCount !== undefined) metadata['remainingItemCount'] = opts.remainingItemCount;
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata,
    columnDefinitions: [
      { name: 'Name', type: 'string', format: 'name', description: NAME_DESCRIPTION, priority: 0 },
      ...columns.map((c) => c.definition),
    ],
    rows,
  };
}

/** Extra printer columns a built-in ResourceInfo carries are evaluated like CRD columns. */
function printerAsBuiltin(p: PrinterColumn): BuiltinColumn {
  const [col] = crdColumns([p]);
  const out: BuiltinColumn = { name: p.name, type: p.type, cell: (obj, now) => col?.cell(obj, now) ?? null };
  if (p.priority !== undefined) out.priority = p.priority;
  if (p.format !== undefined) out.format = p.format;
  return out;
}
