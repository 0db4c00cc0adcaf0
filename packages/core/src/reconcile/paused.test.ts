import { describe, expect, test } from '@jest/globals';
import { isPaused, PAUSED_ANNOTATION } from './paused.js';

const withValue = (v: string) => ({ metadata: { annotations: { [PAUSED_ANNOTATION]: v } } });

describe('isPaused', () => {
  test('the annotation is steward.dev/paused', () => {
    expect(PAUSED_ANNOTATION).toBe('steward.dev/paused');
  });

  test('true only for the value "true"', () => {
    expect(isPaused(withValue('true'))).toBe(true);
    expect(isPaused(withValue('True'))).toBe(false);
    expect(isPaused(withValue('false'))).toBe(false);
    expect(isPaused(withValue(''))).toBe(false);
  });

  test('false without annotations', () => {
    expect(isPaused({ metadata: {} })).toBe(false);
    expect(isPaused({ metadata: { annotations: { other: 'true' } } })).toBe(false);
  });
});
