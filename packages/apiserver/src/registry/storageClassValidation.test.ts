// StorageClass rules at unit level: provisioner names as v1.37.2 checks them, topology terms, immutability;
// and the default class's row name in tables.
import { describe, expect, test } from '@jest/globals';
import { storageClassRowName } from '../table/clusterKindColumns.js';
import {
  qualifiedNameErrors,
  validateStorageClass,
  validateStorageClassUpdate,
} from './storageClassValidation.js';

describe('StorageClass validation', () => {
  test('the provisioner is lower-cased, then checked as a qualified name (lengths in bytes)', () => {
    expect(validateStorageClass({ provisioner: 'X.io/Foo' })).toEqual([]);
    const [cause] = validateStorageClass({ provisioner: 'Bad_Prov!' });
    expect(cause?.message).toMatch(/^Invalid value: "bad_prov!": name part must consist of/);
    expect(qualifiedNameErrors('a'.repeat(64))).toEqual(['name part must be no more than 63 bytes']);
    expect(qualifiedNameErrors('/x')).toEqual(['prefix part must be non-empty']);
    expect(qualifiedNameErrors('x/')).toHaveLength(2);
    expect(qualifiedNameErrors('a/b/c')[0]).toMatch(/^a valid label key must consist of/);
  });

  test('empty parameter keys, unknown policies and bad topology terms are refused', () => {
    const causes = validateStorageClass({
      provisioner: 'p',
      parameters: { '': 'x' },
      reclaimPolicy: 'Recycle',
      allowedTopologies: [{ matchLabelExpressions: [{ key: 'k', values: ['a', 'a'] }] }],
    });
    expect(causes.map((c) => [c.field, c.reason])).toEqual([
      ['parameters', 'FieldValueInvalid'],
      ['reclaimPolicy', 'FieldValueNotSupported'],
      ['allowedTopologies[0].matchLabelExpressions[0].values[1]', 'FieldValueDuplicate'],
    ]);
    // An empty reclaimPolicy passes; an empty binding mode does not.
    expect(validateStorageClass({ provisioner: 'p', reclaimPolicy: '' })).toEqual([]);
    expect(validateStorageClass({ provisioner: 'p', volumeBindingMode: '' })[0]?.field).toBe(
      'volumeBindingMode',
    );
  });

  test('provisioning fields are immutable; empty and absent parameters are the same', () => {
    const old = { provisioner: 'p', reclaimPolicy: 'Delete', volumeBindingMode: 'Immediate' };
    expect(validateStorageClassUpdate({ ...old, parameters: {}, allowVolumeExpansion: true }, old)).toEqual(
      [],
    );
    expect(validateStorageClassUpdate({ ...old, provisioner: 'q', parameters: { a: 'b' } }, old)).toEqual([
      {
        reason: 'FieldValueInvalid',
        message: 'Invalid value: null: field is immutable',
        field: 'provisioner',
      },
      {
        reason: 'FieldValueInvalid',
        message: 'Invalid value: null: field is immutable',
        field: 'parameters',
      },
    ]);
  });

  test('a default class is listed as `<name> (default)`', () => {
    const annotations = { 'storageclass.kubernetes.io/is-default-class': 'true' };
    expect(storageClassRowName({ metadata: { name: 'std', annotations } })).toBe('std (default)');
    expect(storageClassRowName({ metadata: { name: 'std' } })).toBe('std');
  });
});
