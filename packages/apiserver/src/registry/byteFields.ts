/**
 * The `[]byte` fields of the built-ins (Secret `data`, ConfigMap `binaryData`): base64 as Go's decoder
 * reads it, so a value that is not base64 fails at decode time with Go's error, and Secret `stringData`
 * folded into `data` as the v1 → internal conversion does.
 *
 * Start with {@link checkByteFields} (decode-time, 400) and {@link mergeStringData}.
 */
import { badRequest } from '../errors/status.js';
import type { KObject } from '../storage/storedObject.js';

const ALPHABET = /^[A-Za-z0-9+/]$/;

/**
 * Where Go's `base64.StdEncoding` (padding required, CR/LF skipped) finds `s` malformed, or undefined when
 * it decodes. The offset is Go's `CorruptInputError`: the first bad byte, or the start of an unfinished
 * group of four.
 */
export function base64ErrorOffset(s: string): number | undefined {
  let quantum = 0;
  let quantumStart = 0;
  let i = 0;
  while (i < s.length) {
    const c = s[i] ?? '';
    if (c === '\r' || c === '\n') {
      i++;
      continue;
    }
    if (quantum === 0) quantumStart = i;
    if (c === '=') {
      // Padding may only close a group after two or three symbols, and nothing but CR/LF may follow it.
      if (quantum < 2) return i;
      let j = i + 1;
      if (quantum === 2) {
        while (j < s.length && (s[j] === '\r' || s[j] === '\n')) j++;
        if (j >= s.length) return s.length;
        if (s[j] !== '=') return j - 1;
        j++;
      }
      while (j < s.length && (s[j] === '\r' || s[j] === '\n')) j++;
      return j < s.length ? j : undefined;
    }
    if (!ALPHABET.test(c)) return i;
    quantum = (quantum + 1) % 4;
    i++;
  }
  return quantum === 0 ? undefined : quantumStart;
}

const BYTE_FIELDS: Record<string, string> = { secrets: 'data', configmaps: 'binaryData' };

/** Throws the 400 decode error for a `[]byte` map value that is not base64. */
export function checkByteFields(collection: string, kind: string, version: string, o: KObject): void {
  const field = BYTE_FIELDS[collection];
  if (!field) return;
  const map = o[field];
  if (typeof map !== 'object' || map === null || Array.isArray(map)) return;
  for (const v of Object.values(map)) {
    if (typeof v !== 'string') continue;
    const at = base64ErrorOffset(v);
    if (at !== undefined)
      throw badRequest(
        `${kind} in version "${version}" cannot be handled as a ${kind}: illegal base64 data at input byte ${at}`,
      );
  }
}

/** Secret `stringData` written into `data` (base64, overriding same keys) and dropped, as on decode. */
export function mergeStringData(o: KObject): void {
  const stringData = o['stringData'];
  delete o['stringData'];
  if (typeof stringData !== 'object' || stringData === null || Array.isArray(stringData)) return;
  const entries = Object.entries(stringData);
  if (entries.length === 0) return;
  const current = o['data'];
  const data: Record<string, unknown> =
    typeof current === 'object' && current !== null && !Array.isArray(current) ? { ...current } : {};
  for (const [k, v] of entries)
    data[k] = Buffer.from(typeof v === 'string' ? v : '', 'utf8').toString('base64');
  o['data'] = data;
}
