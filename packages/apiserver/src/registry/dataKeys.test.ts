// ConfigMap and Secret keys, and the keys each Secret type requires.
import { describe, expect, test } from '@jest/globals';
import { configKeyProblems, validateConfigMapData, validateSecretData } from './dataKeys.js';

describe('config keys', () => {
  test('file-name-safe keys pass; spaces, "." and a ".." prefix do not', () => {
    expect(configKeyProblems('app.properties')).toEqual([]);
    expect(configKeyProblems('bad key!')[0]).toMatch(/^a valid config key must consist of alphanumeric/);
    expect(configKeyProblems('.')).toEqual(["must not be '.'"]);
    expect(configKeyProblems('..x')).toEqual(["must not start with '..'"]);
  });

  test('a ConfigMap key in both bags is a duplicate', () => {
    expect(validateConfigMapData({ data: { a: '1' }, binaryData: { a: 'MQ==' } })).toEqual([
      {
        reason: 'FieldValueInvalid',
        field: 'data[a]',
        message: 'Invalid value: "a": duplicate of key present in binaryData',
      },
    ]);
  });
});

describe('Secret types', () => {
  test('tls needs tls.crt and tls.key; Opaque needs nothing', () => {
    expect(validateSecretData({ type: 'kubernetes.io/tls', data: { 'tls.crt': 'eA==' } })).toEqual([
      { reason: 'FieldValueRequired', message: 'Required value', field: 'data[tls.key]' },
    ]);
    expect(validateSecretData({ type: 'Opaque', data: {} })).toEqual([]);
  });

  test('basic-auth needs one of username and password', () => {
    expect(validateSecretData({ type: 'kubernetes.io/basic-auth', data: { password: '' } })).toEqual([]);
    expect(validateSecretData({ type: 'kubernetes.io/basic-auth', data: {} }).map((c) => c.field)).toEqual([
      'data[username]',
      'data[password]',
    ]);
  });
});
