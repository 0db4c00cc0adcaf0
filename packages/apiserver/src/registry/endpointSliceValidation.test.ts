// EndpointSlice rules at unit level: defaults, address families, FQDN names, addressType immutability.
/* oxlint-disable unicorn/consistent-function-scoping -- builders stay next to the tests of the kind they build */
import { describe, expect, test } from '@jest/globals';
import type { KObject } from '../storage/storedObject.js';
import {
  defaultEndpointSlice,
  validateEndpointSlice,
  validateEndpointSliceUpdate,
} from './endpointSliceValidation.js';

describe('EndpointSlice', () => {
  test('defaults fill port name and protocol in field order, endpoint conditions, and null lists', () => {
    const o: KObject = { addressType: 'IPv4', endpoints: [], ports: [{ port: 80 }] };
    defaultEndpointSlice(o);
    expect(o['endpoints']).toBeNull();
    expect(Object.entries((o['ports'] as object[])[0] ?? {})).toEqual([
      ['name', ''],
      ['protocol', 'TCP'],
      ['port', 80],
    ]);
    const withEndpoint: KObject = { endpoints: [{ addresses: ['1.2.3.4'] }] };
    defaultEndpointSlice(withEndpoint);
    expect(withEndpoint['endpoints']).toEqual([{ addresses: ['1.2.3.4'], conditions: {} }]);
    expect(withEndpoint['ports']).toBeNull();
  });

  test('addresses are checked against the address type', () => {
    const slice = (addressType: string, addresses: string[]): KObject => ({
      addressType,
      endpoints: [{ addresses }],
    });
    expect(validateEndpointSlice(slice('IPv6', ['2001:db8::1']))).toEqual([]);
    expect(validateEndpointSlice(slice('IPv4', ['2001:db8::1']))).toEqual([
      {
        reason: 'FieldValueInvalid',
        message: 'Invalid value: "2001:db8::1": must be an IPv4 address',
        field: 'endpoints[0].addresses',
      },
    ]);
    expect(validateEndpointSlice(slice('FQDN', ['db.example.com']))).toEqual([]);
    expect(validateEndpointSlice(slice('FQDN', ['Not_A_Name']))[0]?.field).toBe('endpoints[0].addresses[0]');
  });

  test('addressType cannot change', () => {
    expect(validateEndpointSliceUpdate({ addressType: 'IPv4' }, { addressType: 'IPv4' })).toEqual([]);
    expect(validateEndpointSliceUpdate({ addressType: 'IPv6' }, { addressType: 'IPv4' })[0]?.message).toBe(
      'Invalid value: null: field is immutable',
    );
  });
});
