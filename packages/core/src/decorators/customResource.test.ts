// oxlint-disable typescript/no-extraneous-class -- these classes exist only to carry decorator configuration
import { describe, expect, test } from '@jest/globals';
import { CustomResource, customResource, customResourceOf, pluralize } from './customResource.js';
import { CustomResourceError } from './customResourceError.js';

describe('customResourceOf', () => {
  test('fills in names, scope and apiVersion from group, version and kind', () => {
    @CustomResource({ group: 'kafka.steward.dev', version: 'v1beta1', kind: 'KafkaTopic' })
    class KafkaTopic {}
    expect(customResourceOf(KafkaTopic)).toMatchObject({
      target: KafkaTopic,
      apiVersion: 'kafka.steward.dev/v1beta1',
      plural: 'kafkatopics',
      singular: 'kafkatopic',
      listKind: 'KafkaTopicList',
      scope: 'Namespaced',
      crdName: 'kafkatopics.kafka.steward.dev',
      shortNames: [],
      subresources: {},
    });
  });

  test('customResource() in code records the same configuration as the decorator', () => {
    class A {}
    @CustomResource({
      group: 'a.steward.dev',
      version: 'v1',
      kind: 'Thing',
      plural: 'things',
      scope: 'Cluster',
    })
    class B {}
    customResource(A, {
      group: 'a.steward.dev',
      version: 'v1',
      kind: 'Thing',
      plural: 'things',
      scope: 'Cluster',
    });
    const { target: _a, ...a } = customResourceOf(A) ?? {};
    const { target: _b, ...b } = customResourceOf(B) ?? {};
    expect(a).toEqual(b);
  });

  test('undefined for a class without configuration, and for a subclass of one', () => {
    @CustomResource({ group: 'a.steward.dev', version: 'v1', kind: 'Base' })
    class Base {}
    class Derived extends Base {}
    class Plain {}
    expect(customResourceOf(Plain)).toBeUndefined();
    expect(customResourceOf(Derived)).toBeUndefined();
  });

  test.each([
    [
      { group: 'nodots', version: 'v1', kind: 'A' },
      /group: "nodots" must be a lowercase DNS subdomain with at least one dot/,
    ],
    [{ group: 'a.b', version: 'V1', kind: 'A' }, /version: "V1" must be a lowercase DNS label/],
    [{ group: 'a.b', version: 'v1', kind: 'lower' }, /kind: "lower" must be UpperCamelCase/],
    [{ group: 'a.b', version: 'v1', kind: 'A', shortNames: ['Bad'] }, /shortNames: "Bad"/],
  ])('bad options are refused at declaration: %j', (options, message) => {
    class Bad {}
    let error: unknown;
    try {
      customResource(Bad, options);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CustomResourceError);
    expect((error as CustomResourceError).code).toBe('CUSTOM_RESOURCE_INVALID');
    expect((error as CustomResourceError).retryable).toBe(false);
    expect((error as Error).message).toMatch(/^Bad @CustomResource /);
    expect((error as Error).message).toMatch(message);
    expect(customResourceOf(Bad)).toBeUndefined();
  });
});

test('pluralize follows the English rules kubebuilder uses for regular nouns', () => {
  expect(['postgrescluster', 'policy', 'index', 'gateway', 'address', 'batch'].map(pluralize)).toEqual([
    'postgresclusters',
    'policies',
    'indexes',
    'gateways',
    'addresses',
    'batches',
  ]);
});
