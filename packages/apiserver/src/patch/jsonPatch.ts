/**
 * RFC 6902 JSON Patch with the behaviour and error texts of the library the API server uses
 * (evanphx/json-patch v4): an undecodable patch is a 400, a failing operation a 422 whose cause carries
 * the library's message. Start with {@link applyJsonPatch}.
 */
import { StatusError, badRequest } from '../errors/status.js';
import { deepCopy, deepEqual, goJsonType, isObject, setKey, type JsonObject } from './json.js';

/** The server caps the number of operations in one JSON patch. */
export const MAX_JSON_PATCH_OPERATIONS = 10000;

/** The 422 the server builds with `NewGenericServerResponse` around the library's error. */
export function jsonPatchFailed(message: string): StatusError {
  return new StatusError({
    reason: 'Invalid',
    code: 422,
    message: 'the server rejected our request due to an error in our request',
    details: { causes: [{ reason: 'UnexpectedServerResponse', message }] },
  });
}

class OpError extends Error {}

// The document is a private deep copy, so containers are edited in place.
type Container = { kind: 'object'; value: JsonObject } | { kind: 'array'; value: unknown[] };

const decodeKey = (k: string): string => k.replace(/~1/g, '/').replace(/~0/g, '~');

/** Go's `strconv.Atoi`, or an error with its message. */
function atoi(key: string): number {
  if (!/^[+-]?[0-9]+$/.test(key))
    throw new OpError(`strconv.Atoi: parsing ${JSON.stringify(key)}: invalid syntax`);
  return Number(key);
}

/** Finds the container holding the last path segment, or undefined when any parent is missing. */
function findObject(root: { doc: unknown }, path: string): { con: Container; key: string } | undefined {
  const split = path.split('/');
  if (split.length < 2) return undefined;
  const parts = split.slice(1, -1).map(decodeKey);
  const key = decodeKey(split[split.length - 1] ?? '');
  let cur: unknown = root.doc;
  for (const part of parts) {
    let next: unknown;
    if (isObject(cur)) next = Object.hasOwn(cur, part) ? cur[part] : undefined;
    else if (Array.isArray(cur)) {
      let idx: number;
      try {
        idx = atoi(part);
      } catch {
        return undefined;
      }
      if (idx < 0) idx += cur.length;
      next = idx >= 0 && idx < cur.length ? cur[idx] : undefined;
    } else return undefined;
    if (next === undefined || next === null || typeof next !== 'object') return undefined;
    cur = next;
  }
  if (Array.isArray(cur)) return { con: { kind: 'array', value: cur }, key };
  if (isObject(cur)) return { con: { kind: 'object', value: cur }, key };
  return undefined;
}

function get(con: Container, key: string): unknown {
  if (con.kind === 'object') return Object.hasOwn(con.value, key) ? con.value[key] : undefined;
  const idx = atoi(key);
  if (idx >= con.value.length)
    throw new OpError(`Unable to access invalid index: ${idx}: invalid index referenced`);
  return con.value[idx < 0 ? idx + con.value.length : idx];
}

function add(con: Container, key: string, val: unknown): void {
  if (con.kind === 'object') {
    setKey(con.value, key, val);
    return;
  }
  if (key === '-') {
    con.value.push(val);
    return;
  }
  let idx: number;
  try {
    idx = atoi(key);
  } catch (e) {
    throw new OpError(`value was not a proper array index: '${key}': ${(e as Error).message}`);
  }
  const size = con.value.length + 1;
  if (idx >= size || idx < -size)
    throw new OpError(`Unable to access invalid index: ${idx}: invalid index referenced`);
  if (idx < 0) idx += size;
  con.value.splice(idx, 0, val);
}

function remove(con: Container, key: string): void {
  if (con.kind === 'object') {
    if (!Object.hasOwn(con.value, key))
      throw new OpError(`Unable to remove nonexistent key: ${key}: missing value`);
    delete con.value[key];
    return;
  }
  let idx = atoi(key);
  if (idx >= con.value.length || idx < -con.value.length) {
    throw new OpError(`Unable to access invalid index: ${idx}: invalid index referenced`);
  }
  if (idx < 0) idx += con.value.length;
  con.value.splice(idx, 1);
}

function stringField(op: JsonObject, name: 'path' | 'from'): string {
  const v = op[name];
  if (v === undefined || v === null) {
    throw new OpError(
      name === 'path'
        ? 'operation missing path field: missing value'
        : 'operation, missing from field: missing value',
    );
  }
  if (typeof v !== 'string')
    throw new OpError(`json: cannot unmarshal ${goJsonType(v)} into Go value of type string`);
  return v;
}

function applyOp(root: { doc: unknown }, op: JsonObject): void {
  const kind = typeof op['op'] === 'string' ? op['op'] : 'unknown';
  const value = deepCopy(op['value'] === undefined ? null : op['value']);
  switch (kind) {
    case 'add': {
      const path = stringField(op, 'path');
      const f = findObject(root, path);
      if (!f)
        throw new OpError(`add operation does not apply: doc is missing path: "${path}": missing value`);
      try {
        add(f.con, f.key, value);
      } catch (e) {
        throw new OpError(`error in add for path: '${path}': ${(e as Error).message}`);
      }
      return;
    }
    case 'remove': {
      const path = stringField(op, 'path');
      const f = findObject(root, path);
      if (!f)
        throw new OpError(`remove operation does not apply: doc is missing path: "${path}": missing value`);
      try {
        remove(f.con, f.key);
      } catch (e) {
        throw new OpError(`error in remove for path: '${path}': ${(e as Error).message}`);
      }
      return;
    }
    case 'replace': {
      const path = stringField(op, 'path');
      const f = findObject(root, path);
      if (!f)
        throw new OpError(`replace operation does not apply: doc is missing path: ${path}: missing value`);
      if (f.con.kind === 'array') {
        try {
          get(f.con, f.key);
        } catch {
          throw new OpError(`replace operation does not apply: doc is missing key: ${path}: missing value`);
        }
        const idx = atoi(f.key);
        f.con.value[idx < 0 ? idx + f.con.value.length : idx] = value;
      } else {
        // The library's object `get` never fails, so replacing a missing key adds it.
        setKey(f.con.value, f.key, value);
      }
      return;
    }
    case 'move':
    case 'copy': {
      const from = stringField(op, 'from');
      const src = findObject(root, from);
      if (!src)
        throw new OpError(
          `${kind} operation does not apply: doc is missing from path: ${from}: missing value`,
        );
      let val: unknown;
      try {
        val = get(src.con, src.key);
        if (kind === 'move') remove(src.con, src.key);
      } catch (e) {
        throw new OpError(
          kind === 'move'
            ? `error in move for path: '${src.key}': ${(e as Error).message}`
            : `error in copy for from: '${from}': ${(e as Error).message}`,
        );
      }
      const path = stringField(op, 'path');
      const dst = findObject(root, path);
      if (!dst)
        throw new OpError(
          `${kind} operation does not apply: doc is missing destination path: ${path}: missing value`,
        );
      try {
        add(dst.con, dst.key, kind === 'copy' ? deepCopy(val) : val);
      } catch (e) {
        throw new OpError(
          kind === 'move'
            ? `error in move for path: '${path}': ${(e as Error).message}`
            : `error while adding value during copy: ${(e as Error).message}`,
        );
      }
      return;
    }
    case 'test': {
      const path = stringField(op, 'path');
      const f = findObject(root, path);
      if (!f) throw new OpError(`test operation does not apply: is missing path: ${path}: missing value`);
      let cur: unknown;
      try {
        cur = get(f.con, f.key);
      } catch (e) {
        throw new OpError(`error in test for path: '${path}': ${(e as Error).message}`);
      }
      if (!deepEqual(cur === undefined ? null : cur, value))
        throw new OpError(`testing value ${path} failed: test failed`);
      return;
    }
    default:
      throw new OpError(`Unexpected kind: ${kind}`);
  }
}

/**
 * Applies an RFC 6902 patch (already parsed JSON) to a copy of `doc`. A body that is not an array of
 * operation objects is a 400; a failing operation is a 422 with the library's message as the cause.
 */
export function applyJsonPatch(doc: object, patch: unknown): object {
  if (patch === null) return deepCopy(doc); // Go decodes `null` into an empty patch.
  if (!Array.isArray(patch)) {
    throw badRequest(`json: cannot unmarshal ${goJsonType(patch)} into Go value of type jsonpatch.Patch`);
  }
  for (const op of patch) {
    if (op !== null && !isObject(op)) {
      throw badRequest(`json: cannot unmarshal ${goJsonType(op)} into Go value of type jsonpatch.Operation`);
    }
  }
  if (patch.length > MAX_JSON_PATCH_OPERATIONS) {
    throw new StatusError({
      reason: 'RequestEntityTooLarge',
      code: 413,
      message: `Request entity too large: The allowed maximum operations in a JSON patch is ${MAX_JSON_PATCH_OPERATIONS}, got ${patch.length}`,
    });
  }
  const root = { doc: deepCopy(doc) as unknown };
  try {
    for (const op of patch as (JsonObject | null)[]) applyOp(root, op ?? {});
  } catch (e) {
    if (e instanceof OpError) throw jsonPatchFailed(e.message);
    throw e;
  }
  return root.doc as object;
}
