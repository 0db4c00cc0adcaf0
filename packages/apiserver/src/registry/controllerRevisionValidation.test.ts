// ControllerRevision rules at unit level: data present and an object, revision non-negative, data fixed.
import { describe, expect, test } from '@jest/globals';
import {
  validateControllerRevision,
  validateControllerRevisionUpdate,
} from './controllerRevisionValidation.js';

describe('ControllerRevision validation', () => {
  test('data is mandatory and an object; revision is non-negative', () => {
    expect(validateControllerRevision({ data: {}, revision: 0 })).toEqual([]);
    expect(validateControllerRevision({ revision: -2 }).map((c) => c.message)).toEqual([
      'Invalid value: -2: must be greater than or equal to 0',
      'Required value: data is mandatory',
    ]);
    expect(validateControllerRevision({ data: 'x' })[0]?.message).toBe(
      'Required value: data must be a valid JSON object',
    );
  });

  test('data cannot change (key order aside); revision can', () => {
    const old = { data: { a: 1, b: 2 }, revision: 1 };
    expect(validateControllerRevisionUpdate({ data: { b: 2, a: 1 }, revision: 5 }, old)).toEqual([]);
    expect(validateControllerRevisionUpdate({ revision: 1 }, old)).toEqual([
      { reason: 'FieldValueInvalid', message: 'Invalid value: null: field is immutable', field: 'data' },
    ]);
  });
});
