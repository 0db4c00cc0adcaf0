// Fields of workloads and claims that are fixed at creation.
import { describe, expect, test } from '@jest/globals';
import { validateClaimUpdate, validateWorkloadUpdate } from './immutableFields.js';

const claim = (spec: Record<string, unknown>, phase = 'Pending') => ({
  spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, ...spec },
  status: { phase },
});

describe('validateWorkloadUpdate', () => {
  test('a Deployment selector change is `field is immutable` on spec.selector; replicas may change', () => {
    const old = { spec: { replicas: 1, selector: { matchLabels: { app: 'a' } } } };
    const check = validateWorkloadUpdate('deployment');
    expect(check({ spec: { replicas: 3, selector: { matchLabels: { app: 'a' } } } }, old)).toEqual([]);
    expect(check({ spec: { replicas: 1, selector: { matchLabels: { app: 'b' } } } }, old)).toEqual([
      {
        reason: 'FieldValueInvalid',
        field: 'spec.selector',
        message: 'Invalid value: {"matchLabels":{"app":"b"}}: field is immutable',
      },
    ]);
  });

  test('a StatefulSet pins volumeClaimTemplates, serviceName and podManagementPolicy too', () => {
    const old = { spec: { serviceName: 's', volumeClaimTemplates: [{ metadata: { name: 'd' } }] } };
    const causes = validateWorkloadUpdate('statefulset')(
      { spec: { serviceName: 't', volumeClaimTemplates: [], podManagementPolicy: 'Parallel' } },
      old,
    );
    expect(causes.map((c) => c.field)).toEqual([
      'spec.volumeClaimTemplates',
      'spec.serviceName',
      'spec.podManagementPolicy',
    ]);
  });
});

describe('validateClaimUpdate', () => {
  test('an accessModes change is Forbidden on spec with the real first line', () => {
    const [cause, ...rest] = validateClaimUpdate(claim({ accessModes: ['ReadWriteMany'] }), claim({}));
    expect(rest).toEqual([]);
    expect(cause?.field).toBe('spec');
    expect(cause?.message).toMatch(
      /^Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims\n/,
    );
    expect(cause?.message).toContain('+ \taccessModes.0: "ReadWriteMany"');
  });

  test('volumeName may be set once; a bound claim may grow its storage request, an unbound one not', () => {
    expect(validateClaimUpdate(claim({ volumeName: 'pv-1' }), claim({}))).toEqual([]);
    expect(validateClaimUpdate(claim({ volumeName: 'pv-2' }), claim({ volumeName: 'pv-1' }))).toHaveLength(1);
    const grown = { resources: { requests: { storage: '2Gi' } } };
    expect(validateClaimUpdate(claim(grown, 'Bound'), claim({}, 'Bound'))).toEqual([]);
    expect(validateClaimUpdate(claim(grown), claim({}))).toHaveLength(1);
  });
});
