import { describe, expect, test } from '@jest/globals';
import * as fc from 'fast-check';
import { StatusError } from '../errors/status.js';
import type { ResourceInfo } from '../registry/types.js';
import {
  fieldGetter,
  matchesFields,
  parseFieldSelector,
  fieldSelectorString,
  validateFieldSelector,
} from './index.js';

function info(group: string, kind: string, extra: Partial<ResourceInfo> = {}): ResourceInfo {
  return {
    group,
    version: 'v1',
    kind,
    listKind: `${kind}List`,
    plural: `${kind.toLowerCase()}s`,
    singular: kind.toLowerCase(),
    namespaced: true,
    shortNames: [],
    categories: [],
    verbs: [],
    subresources: { status: true },
    printerColumns: [],
    storage: true,
    selectableFields: {},
    ...extra,
  };
}

function failure(fn: () => unknown): StatusError {
  try {
    fn();
  } catch (e) {
    if (e instanceof StatusError) return e;
    throw e;
  }
  throw new Error('expected a StatusError');
}

/** What running fn came to: its string result ('ok' for none), a StatusError's code, or the other error's text. */
function outcome(fn: () => unknown): string {
  try {
    const r = fn();
    return typeof r === 'string' ? r : 'ok';
  } catch (e) {
    return e instanceof StatusError ? String(e.code) : String(e);
  }
}

describe('parseFieldSelector', () => {
  test('operators and sorting', () => {
    const s = parseFieldSelector('status.phase!=Running,metadata.name==a,spec.nodeName=');
    expect(s.empty).toBe(false);
    expect(s.requirements).toEqual([
      { field: 'metadata.name', operator: '=', value: 'a' },
      { field: 'spec.nodeName', operator: '=', value: '' },
      { field: 'status.phase', operator: '!=', value: 'Running' },
    ]);
  });

  test('empty text and empty terms', () => {
    expect(parseFieldSelector('').empty).toBe(true);
    expect(parseFieldSelector(',,').empty).toBe(true);
  });

  test('escapes', () => {
    expect(parseFieldSelector('a=x\\,y\\=z\\\\').requirements).toEqual([
      { field: 'a', operator: '=', value: 'x,y=z\\' },
    ]);
    expect(fieldSelectorString(parseFieldSelector('a=x\\,y'))).toBe('a=x\\,y');
  });

  test.each([
    ['metadata.name', "invalid selector: 'metadata.name'; can't understand 'metadata.name'"],
    ['a=b,c', "invalid selector: 'a=b,c'; can't understand 'c'"],
    ['a=b\\x', 'invalid field selector: invalid escape sequence: \\x'],
    ['a=b\\', 'invalid field selector: invalid escape sequence: \\'],
    ['a==b=c', 'invalid field selector: unescaped character in value: 61'],
  ])('%j → 400 %j', (text, message) => {
    const err = failure(() => parseFieldSelector(text));
    expect(err.code).toBe(400);
    expect(err.status.message).toBe(message);
  });

  test('any text gives a selector or a 400', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        expect(outcome(() => parseFieldSelector(text))).toMatch(/^(ok|400)$/);
      }),
      { numRuns: 2000 },
    );
  });
});

/** The 400 message for a selector that this kind's field-label conversion refuses. */
function unsupportedMessage(group: string, kind: string, text: string, extra: Partial<ResourceInfo> = {}) {
  return failure(() => validateFieldSelector(parseFieldSelector(text), info(group, kind, extra))).status
    .message;
}

describe('fieldGetter and matchesFields', () => {
  const pod = info('', 'Pod');
  const p = {
    metadata: { name: 'p1', namespace: 'ns' },
    spec: { nodeName: 'n1', restartPolicy: 'Always' },
    status: { phase: 'Running', podIP: '10.0.0.9', podIPs: [{ ip: '10.0.0.1' }] },
  };

  test('pod labels', () => {
    expect(fieldGetter(pod, 'spec.nodeName')?.(p)).toBe('n1');
    expect(fieldGetter(pod, 'spec.host')?.(p)).toBe('n1');
    expect(fieldGetter(pod, 'status.podIP')?.(p)).toBe('10.0.0.1');
    expect(fieldGetter(pod, 'spec.hostNetwork')?.(p)).toBe('false');
    expect(fieldGetter(pod, 'status.nominatedNodeName')?.(p)).toBe('');
    expect(fieldGetter(pod, 'spec.containers')).toBeUndefined();
  });

  test('matching', () => {
    expect(matchesFields(parseFieldSelector('metadata.name=p1,status.phase!=Pending'), pod, p)).toBe(true);
    expect(matchesFields(parseFieldSelector('spec.nodeName='), pod, p)).toBe(false);
    expect(matchesFields(parseFieldSelector('metadata.namespace!=ns'), pod, p)).toBe(false);
  });

  test('unsupported labels are a 400', () => {
    const err = failure(() => matchesFields(parseFieldSelector('spec.foo=x'), pod, p));
    expect(err.code).toBe(400);
    expect(err.status.message).toBe('field label not supported: spec.foo');
    expect(() => validateFieldSelector(parseFieldSelector('metadata.name=x'), pod)).not.toThrow();
    expect(() => validateFieldSelector(parseFieldSelector('type=x'), pod)).toThrow(
      'field label not supported: type',
    );
  });

  test('other built-ins', () => {
    expect(fieldGetter(info('', 'Secret'), 'type')?.({ type: 'Opaque' })).toBe('Opaque');
    expect(fieldGetter(info('', 'Node'), 'spec.unschedulable')?.({ spec: {} })).toBe('false');
    expect(fieldGetter(info('', 'Node'), 'metadata.namespace')).toBeUndefined();
    expect(fieldGetter(info('', 'Namespace'), 'status.phase')?.({ status: { phase: 'Active' } })).toBe(
      'Active',
    );
    expect(fieldGetter(info('', 'Event'), 'source')?.({ source: { component: 'kubelet' } })).toBe('kubelet');
    expect(fieldGetter(info('', 'Event'), 'involvedObject.name')?.({ involvedObject: { name: 'x' } })).toBe(
      'x',
    );
    expect(fieldGetter(info('batch', 'Job'), 'status.successful')?.({})).toBe('0');
    expect(fieldGetter(info('apps', 'Deployment'), 'status.replicas')).toBeUndefined();
  });

  test('each kind answers an unsupported label with its own conversion text', () => {
    expect(unsupportedMessage('', 'ConfigMap', 'data.x=y')).toBe(
      '"data.x" is not a known field selector: only "metadata.name", "metadata.namespace"',
    );
    // apps/v1 registers no conversion, so even the storage's own status.replicas is refused.
    expect(unsupportedMessage('apps', 'ReplicaSet', 'status.replicas=0')).toBe(
      '"status.replicas" is not a known field selector: only "metadata.name", "metadata.namespace"',
    );
    expect(unsupportedMessage('', 'Secret', 'data.x=y')).toBe('field label not supported: data.x');
    expect(unsupportedMessage('', 'Node', 'metadata.namespace=a')).toBe(
      'field label not supported: metadata.namespace',
    );
    expect(unsupportedMessage('batch', 'Job', 'spec.x=y')).toBe('field label "spec.x" not supported for Job');
    expect(
      unsupportedMessage('example.com', 'ConfigMap', 'data.x=y', { crdName: 'configmaps.example.com' }),
    ).toBe('field label not supported: data.x');
  });

  test('CRD selectable fields', () => {
    const crd = info('example.com', 'Pod', {
      crdName: 'pods.example.com',
      selectableFields: { 'spec.color': '.spec.color', 'spec.size': '.spec.size' },
    });
    expect(fieldGetter(crd, 'spec.color')?.({ spec: { color: 'red' } })).toBe('red');
    expect(fieldGetter(crd, 'spec.size')?.({ spec: { size: 3 } })).toBe('3');
    expect(fieldGetter(crd, 'spec.size')?.({ spec: {} })).toBe('');
    // A CRD whose kind happens to be Pod does not get the built-in Pod labels.
    expect(fieldGetter(crd, 'spec.nodeName')).toBeUndefined();
    expect(fieldGetter(crd, 'metadata.namespace')?.({ metadata: { namespace: 'n' } })).toBe('n');
  });
});
