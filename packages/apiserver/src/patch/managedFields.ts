/**
 * `metadata.managedFields` entries: decoding them into per-manager field sets, encoding them back in
 * the server's order, and the 409 apply-conflict error. Start with {@link decodeManagedFields}.
 */
import { StatusError } from '../errors/status.js';
import { decodeFieldsV1, encodeFieldsV1, pathString, type FieldPath, type FieldSet } from './fieldSet.js';
import { isObject } from './json.js';

export interface ManagedFieldsEntry {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time: string;
  fieldsType: 'FieldsV1';
  fieldsV1: Record<string, unknown>;
  subresource?: string;
}

/** One manager's ownership, keyed by its identity (manager, operation, subresource; apiVersion for Update). */
export interface ManagerState {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time: string | undefined;
  subresource: string | undefined;
  set: FieldSet;
}

/** The identity the server keys managers by: appliers are one manager across API versions, updaters are not. */
export function managerId(
  manager: string,
  operation: 'Apply' | 'Update',
  apiVersion: string,
  subresource: string | undefined,
): string {
  return JSON.stringify([manager, operation, operation === 'Apply' ? '' : apiVersion, subresource ?? '']);
}

export function decodeManagedFields(entries: unknown): Map<string, ManagerState> {
  const out = new Map<string, ManagerState>();
  if (!Array.isArray(entries)) return out;
  for (const e of entries) {
    if (!isObject(e)) continue;
    const manager = typeof e['manager'] === 'string' ? e['manager'] : '';
    const operation = e['operation'] === 'Apply' ? 'Apply' : 'Update';
    const apiVersion = typeof e['apiVersion'] === 'string' ? e['apiVersion'] : '';
    const subresource =
      typeof e['subresource'] === 'string' && e['subresource'] !== '' ? e['subresource'] : undefined;
    const time = typeof e['time'] === 'string' ? e['time'] : undefined;
    const set = decodeFieldsV1(e['fieldsV1']);
    const id = managerId(manager, operation, apiVersion, subresource);
    const prev = out.get(id);
    out.set(id, { manager, operation, apiVersion, time, subresource, set: prev ? prev.set.union(set) : set });
  }
  return out;
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
/** Times compare at the second, the precision the server stores them with. */
const seconds = (t: string | undefined): number =>
  t === undefined ? 0 : Math.floor(Date.parse(t) / 1000) || 0;

/** Entries in the server's order: Apply before Update, then by time, manager, apiVersion, subresource. */
export function encodeManagedFields(managers: Map<string, ManagerState>): ManagedFieldsEntry[] {
  const states = [...managers.values()].filter((m) => !m.set.empty);
  states.sort(
    (p, q) =>
      cmp(p.operation, q.operation) ||
      seconds(p.time) - seconds(q.time) ||
      cmp(p.manager, q.manager) ||
      cmp(p.apiVersion, q.apiVersion) ||
      cmp(p.subresource ?? '', q.subresource ?? ''),
  );
  return states.map((m) => {
    const e: ManagedFieldsEntry = {
      manager: m.manager,
      operation: m.operation,
      apiVersion: m.apiVersion,
      time: m.time ?? '',
      fieldsType: 'FieldsV1',
      fieldsV1: encodeFieldsV1(m.set),
    };
    if (m.time === undefined) delete (e as Partial<ManagedFieldsEntry>).time;
    if (m.subresource !== undefined) e.subresource = m.subresource;
    return e;
  });
}

/** How a conflict message names a manager: `"kubectl"`, or `"ctrl" using apps/v1` for an Update manager. */
export function printManager(m: ManagerState): string {
  let s = JSON.stringify(m.manager);
  if (m.subresource !== undefined) s = `${s} with subresource ${JSON.stringify(m.subresource)}`;
  return m.operation === 'Update' ? `${s} using ${m.apiVersion}` : s;
}

export interface Conflict {
  manager: ManagerState;
  path: FieldPath;
}

/** The 409 the server answers an apply with when other managers own fields it would change. */
export function applyConflictError(conflicts: readonly Conflict[]): StatusError {
  const causes = conflicts.map((c) => ({
    reason: 'FieldManagerConflict',
    message: `conflict with ${printManager(c.manager)}`,
    field: pathString(c.path),
  }));
  let message: string;
  const first = conflicts[0];
  if (conflicts.length === 1 && first) {
    message = `Apply failed with 1 conflict: conflict with ${printManager(first.manager)}: ${pathString(first.path)}`;
  } else {
    const byManager = new Map<string, string[]>();
    for (const c of conflicts) {
      const name = printManager(c.manager);
      byManager.set(name, [...(byManager.get(name) ?? []), pathString(c.path)]);
    }
    const lines: string[] = [];
    for (const name of [...byManager.keys()].sort()) {
      lines.push(`conflicts with ${name}:`);
      for (const p of byManager.get(name) ?? []) lines.push(`- ${p}`);
    }
    message = `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`;
  }
  return new StatusError({ reason: 'Conflict', code: 409, message, details: { causes } });
}
