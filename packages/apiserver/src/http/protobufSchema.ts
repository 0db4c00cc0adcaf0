/**
 * The message layouts the protobuf decoder reads: the schema types, and the ObjectMeta shared by every
 * kind. Field numbers follow k8s.io/apimachinery's and k8s.io/api's generated.proto files.
 *
 * Start with {@link OBJECT_META}; kinds are listed in `protobuf.ts` and `protobufWorkloads.ts`.
 */

export type Kind =
  | 'string'
  | 'bytes'
  | 'bool'
  | 'int'
  | 'quantity'
  | { msg: Schema }
  | { map: 'string' | 'bytes' | 'quantity' };
export interface Field {
  name: string;
  kind: Kind;
  repeated?: boolean;
  /** A Go pointer field: its zero value was set on purpose and is kept (see `complete` kinds). */
  ptr?: boolean;
  /** Read and dropped: a field the server sets itself (status on create). */
  ignore?: boolean;
}
export type Schema = Record<number, Field>;
/** A kind's top-level schema; `complete` ones reject unknown fields and drop Go's non-pointer zero values. */
export interface KindSchema {
  schema: Schema;
  complete?: boolean;
}

export const TIME: Schema = { 1: { name: 'seconds', kind: 'int' }, 2: { name: 'nanos', kind: 'int' } };
export const OWNER_REF: Schema = {
  1: { name: 'kind', kind: 'string' },
  3: { name: 'name', kind: 'string' },
  4: { name: 'uid', kind: 'string' },
  5: { name: 'apiVersion', kind: 'string' },
  6: { name: 'controller', kind: 'bool' },
  7: { name: 'blockOwnerDeletion', kind: 'bool' },
};
export const OBJECT_META: Schema = {
  1: { name: 'name', kind: 'string' },
  2: { name: 'generateName', kind: 'string' },
  3: { name: 'namespace', kind: 'string' },
  5: { name: 'uid', kind: 'string' },
  6: { name: 'resourceVersion', kind: 'string' },
  7: { name: 'generation', kind: 'int' },
  8: { name: 'creationTimestamp', kind: { msg: TIME } },
  11: { name: 'labels', kind: { map: 'string' } },
  12: { name: 'annotations', kind: { map: 'string' } },
  13: { name: 'ownerReferences', kind: { msg: OWNER_REF }, repeated: true },
  14: { name: 'finalizers', kind: 'string', repeated: true },
};
