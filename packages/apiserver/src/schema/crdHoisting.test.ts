// Which per-version CRD fields the internal spec carries once.
import { describe, expect, test } from '@jest/globals';
import { hoistedFields } from './crdHoisting.js';

const schema = (t: string) => ({ openAPIV3Schema: { type: 'object', properties: { a: { type: t } } } });

describe('hoistedFields', () => {
  test('identical schemas (key order aside) are hoisted; differing columns are not', () => {
    expect(
      hoistedFields([
        { name: 'v1', schema: schema('string'), additionalPrinterColumns: [{ name: 'A' }] },
        {
          name: 'v2',
          schema: { openAPIV3Schema: { properties: { a: { type: 'string' } }, type: 'object' } },
          additionalPrinterColumns: [{ name: 'B' }],
        },
      ]),
    ).toEqual({ schema: true, subresources: false, additionalPrinterColumns: false });
  });

  test('differing schemas stay per version; a single version hoists what it has', () => {
    expect(hoistedFields([{ schema: schema('string') }, { schema: schema('integer') }]).schema).toBe(false);
    expect(hoistedFields([{ schema: schema('string'), subresources: { status: {} } }])).toEqual({
      schema: true,
      subresources: true,
      additionalPrinterColumns: false,
    });
  });
});
