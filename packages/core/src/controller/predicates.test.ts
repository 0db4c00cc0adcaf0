import { describe, expect, it } from '@jest/globals';
import type { KubeObject } from '../client/types.js';
import { annotationsChanged, anyOf, generationChanged, labelsChanged } from './predicates.js';

const obj = (metadata: KubeObject['metadata']): KubeObject => ({ metadata });

describe('predicates', () => {
  it('generationChanged passes spec changes only', () => {
    expect(generationChanged(obj({ generation: 1 }), obj({ generation: 2 }))).toBe(true);
    expect(generationChanged(obj({ generation: 2 }), obj({ generation: 2, resourceVersion: '9' }))).toBe(
      false,
    );
  });

  it('labelsChanged and annotationsChanged compare by value', () => {
    expect(labelsChanged(obj({ labels: { a: '1' } }), obj({ labels: { a: '1' } }))).toBe(false);
    expect(labelsChanged(obj({ labels: { a: '1' } }), obj({ labels: { a: '2' } }))).toBe(true);
    expect(labelsChanged(obj({}), obj({ labels: { a: '1' } }))).toBe(true);
    expect(labelsChanged(obj({}), obj({ labels: {} }))).toBe(false);
    expect(annotationsChanged(obj({ annotations: { x: 'y' } }), obj({}))).toBe(true);
    expect(annotationsChanged(obj({ annotations: { x: 'y' } }), obj({ annotations: { x: 'y' } }))).toBe(
      false,
    );
  });

  it('anyOf passes when one passes; tolerates half-filled objects', () => {
    const either = anyOf(generationChanged, labelsChanged);
    expect(either(obj({ generation: 1 }), obj({ generation: 1, labels: { a: 'b' } }))).toBe(true);
    expect(either(obj({ generation: 1 }), obj({ generation: 1 }))).toBe(false);
    const broken = {} as KubeObject;
    expect(() => generationChanged(broken, broken)).not.toThrow();
    expect(labelsChanged(broken, obj({ labels: { a: 'b' } }))).toBe(true);
  });
});
