/**
 * `decodeProtobufObject()`: reads the Kubernetes protobuf envelope (`k8s\0` + runtime.Unknown) that kubectl's
 * typed clients send (`kubectl create namespace|configmap|secret|serviceaccount`), for the kinds whose
 * message layout is known here; other kinds answer 415 as before.
 *
 * Start with {@link decodeProtobufObject}. Field numbers follow k8s.io/api's generated.proto files.
 */
import { badRequest } from '../errors/status.js';
import { OBJECT_META, type KindSchema, type Schema } from './protobufSchema.js';
import { intOrString, WORKLOAD_KINDS } from './protobufWorkloads.js';

export const PROTOBUF = 'application/vnd.kubernetes.protobuf';

const LOCAL_REF: Schema = { 1: { name: 'name', kind: 'string' } };
const OBJECT_REF: Schema = {
  1: { name: 'kind', kind: 'string' },
  2: { name: 'namespace', kind: 'string' },
  3: { name: 'name', kind: 'string' },
};

const KINDS: Record<string, Schema | KindSchema> = {
  ...WORKLOAD_KINDS,
  'v1/Namespace': {
    1: { name: 'metadata', kind: { msg: OBJECT_META } },
    2: { name: 'spec', kind: { msg: { 1: { name: 'finalizers', kind: 'string', repeated: true } } } },
  },
  'v1/ConfigMap': {
    1: { name: 'metadata', kind: { msg: OBJECT_META } },
    2: { name: 'data', kind: { map: 'string' } },
    3: { name: 'binaryData', kind: { map: 'bytes' } },
    4: { name: 'immutable', kind: 'bool' },
  },
  'v1/Secret': {
    1: { name: 'metadata', kind: { msg: OBJECT_META } },
    2: { name: 'data', kind: { map: 'bytes' } },
    3: { name: 'type', kind: 'string' },
    4: { name: 'stringData', kind: { map: 'string' } },
    5: { name: 'immutable', kind: 'bool' },
  },
  'v1/ServiceAccount': {
    1: { name: 'metadata', kind: { msg: OBJECT_META } },
    2: { name: 'secrets', kind: { msg: OBJECT_REF }, repeated: true },
    3: { name: 'imagePullSecrets', kind: { msg: LOCAL_REF }, repeated: true },
    4: { name: 'automountServiceAccountToken', kind: 'bool' },
  },
};

class Reader {
  pos = 0;
  constructor(readonly buf: Uint8Array) {}
  get done(): boolean {
    return this.pos >= this.buf.length;
  }
  varint(): bigint {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      if (this.pos >= this.buf.length) throw new Error('truncated varint');
      const b = this.buf[this.pos++]!;
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result;
      shift += 7n;
    }
  }
  bytes(): Uint8Array {
    const n = Number(this.varint());
    if (this.pos + n > this.buf.length) throw new Error('truncated bytes');
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
  skip(wire: number): void {
    if (wire === 0) this.varint();
    else if (wire === 1) this.pos += 8;
    else if (wire === 2) this.bytes();
    else if (wire === 5) this.pos += 4;
    else throw new Error(`unsupported wire type ${wire}`);
  }
}

const utf8 = new TextDecoder();

/** resource.Quantity travels as a message whose field 1 is the string form. */
function quantity(buf: Uint8Array): string {
  const r = new Reader(buf);
  let s = '';
  while (!r.done) {
    const t = Number(r.varint());
    if (t >> 3 === 1) s = utf8.decode(r.bytes());
    else r.skip(t & 7);
  }
  return s;
}

function decodeMessage(
  buf: Uint8Array,
  schema: Schema,
  complete = false,
  path = '',
): Record<string, unknown> {
  const r = new Reader(buf);
  const out: Record<string, unknown> = {};
  while (!r.done) {
    const tag = Number(r.varint());
    const num = tag >> 3;
    const wire = tag & 7;
    const f = schema[num];
    if (!f) {
      // A field this decoder does not know would be lost without a word; refuse the body instead.
      if (complete) throw new Error(`field ${path}${num} is not supported by this server`);
      r.skip(wire);
      continue;
    }
    if (f.ignore) {
      r.skip(wire);
      continue;
    }
    let value: unknown;
    if (f.kind === 'string') value = utf8.decode(r.bytes());
    else if (f.kind === 'bytes') value = Buffer.from(r.bytes()).toString('base64');
    else if (f.kind === 'bool') value = r.varint() !== 0n;
    else if (f.kind === 'int') value = Number(BigInt.asIntN(64, r.varint()));
    else if (f.kind === 'quantity') value = quantity(r.bytes());
    else if ('msg' in f.kind) value = decodeMessage(r.bytes(), f.kind.msg, complete, `${path}${f.name}.`);
    else {
      const entry = new Reader(r.bytes());
      let key = '';
      let val = '';
      while (!entry.done) {
        const t = Number(entry.varint());
        if (t >> 3 === 1) key = utf8.decode(entry.bytes());
        else if (t >> 3 === 2)
          val =
            f.kind.map === 'bytes'
              ? Buffer.from(entry.bytes()).toString('base64')
              : f.kind.map === 'quantity'
                ? quantity(entry.bytes())
                : utf8.decode(entry.bytes());
        else entry.skip(t & 7);
      }
      const map = (out[f.name] as Record<string, string> | undefined) ?? {};
      map[key] = val;
      out[f.name] = map;
      continue;
    }
    // Go writes non-pointer scalars even when zero; JSON (omitempty) leaves them out.
    if (complete && !f.ptr && !f.repeated && (value === '' || value === 0 || value === false)) continue;
    if (f.repeated) out[f.name] = [...((out[f.name] as unknown[] | undefined) ?? []), value];
    else out[f.name] = value;
  }
  return out;
}

/** Decodes a protobuf request body into the JSON form of the object; 415 for kinds not known here. */
export function decodeProtobufObject(body: Buffer): Record<string, unknown> | undefined {
  if (body.length < 4 || body.subarray(0, 4).toString('latin1') !== 'k8s\u0000')
    throw badRequest('provided input is not a Kubernetes protobuf object');
  try {
    const unknown = decodeMessage(body.subarray(4), {
      1: {
        name: 'typeMeta',
        kind: { msg: { 1: { name: 'apiVersion', kind: 'string' }, 2: { name: 'kind', kind: 'string' } } },
      },
      2: { name: 'raw', kind: 'bytes' },
    });
    const tm = (unknown['typeMeta'] ?? {}) as { apiVersion?: string; kind?: string };
    const known = KINDS[`${tm.apiVersion ?? ''}/${tm.kind ?? ''}`];
    if (!known) return undefined;
    const { schema, complete } = 'schema' in known ? known : { schema: known, complete: false };
    const raw = Buffer.from(typeof unknown['raw'] === 'string' ? unknown['raw'] : '', 'base64');
    const decoded = decodeMessage(raw, schema, complete === true);
    const obj = complete ? (intOrString(decoded) as Record<string, unknown>) : decoded;
    const meta = (obj['metadata'] ?? {}) as Record<string, unknown>;
    // A zero Time is how protobuf says "unset".
    delete meta['creationTimestamp'];
    return { apiVersion: tm.apiVersion, kind: tm.kind, ...obj, metadata: meta };
  } catch (e) {
    throw badRequest(`unable to decode protobuf body: ${(e as Error).message}`);
  }
}
