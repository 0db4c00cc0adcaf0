// oxlint-disable typescript/no-extraneous-class -- these classes exist only to carry decorator configuration
import { describe, expect, it, jest } from '@jest/globals';
import { builtin } from '../client/resourceRef.js';
import type { KubeObject } from '../client/types.js';
import { ControllerConfigError } from '../controller/controllerErrors.js';
import { generationChanged } from '../controller/predicates.js';
import { CustomResource } from '../decorators/customResource.js';
import { METADATA } from '../decorators/metadata.js';
import { addController, Controller, controllerOptionsOf } from './controllerDecorator.js';

@CustomResource({ group: 'db.example.com', version: 'v1', kind: 'PostgresCluster' })
class PostgresCluster {
  spec!: { instances: number };
}

@CustomResource({ group: 'example.com', version: 'v1', kind: 'Tenant', scope: 'Cluster' })
class Tenant {
  spec!: { owner: string };
}

const byLabel = (s: KubeObject): string[] => [`${s.metadata.namespace}/${s.metadata.labels?.['cluster']}`];

@Controller({
  for: PostgresCluster,
  owns: [builtin.statefulsets, builtin.services],
  watches: [{ kind: builtin.secrets, map: byLabel }],
  predicates: [generationChanged],
  maxConcurrentReconciles: 3,
  finalizer: 'db.example.com/cleanup',
})
class PostgresController {
  readonly seen: string[] = [];
  constructor(readonly prefix: string) {}
  reconcile(obj: PostgresCluster & KubeObject): void {
    this.seen.push(`${this.prefix}:${obj.metadata.name}`);
  }
  cleanup(obj: PostgresCluster & KubeObject): void {
    this.seen.push(`cleanup:${obj.metadata.name}`);
  }
}

const pg = (name: string) => ({ metadata: { name }, spec: { instances: 1 } }) as PostgresCluster & KubeObject;
const ctx = {} as never;

describe('@Controller', () => {
  it('records options only: kinds resolved to refs, nothing registered', () => {
    const recorded = Reflect.getMetadata(METADATA.controller, PostgresController) as { for: unknown };
    expect(recorded.for).toEqual({
      group: 'db.example.com',
      version: 'v1',
      plural: 'postgresclusters',
      kind: 'PostgresCluster',
      namespaced: true,
    });
  });

  it('controllerOptionsOf gives the manager options, reconcile and cleanup bound to the instance', async () => {
    const instance = new PostgresController('a');
    const options = controllerOptionsOf(instance);
    expect(options).toMatchObject({
      name: 'postgrescluster', // controller-runtime's default: the kind lower-cased
      owns: [builtin.statefulsets, builtin.services],
      predicates: [generationChanged],
      maxConcurrentReconciles: 3,
      finalizer: 'db.example.com/cleanup',
    });
    expect(options.watches?.[0]?.ref).toBe(builtin.secrets);
    expect(
      options.watches?.[0]?.map({ metadata: { name: 's', namespace: 'ns', labels: { cluster: 'c' } } }),
    ).toEqual(['ns/c']);
    // Detached from the instance, as the controller calls them: `this` still works.
    const { reconcile, cleanup } = options;
    await reconcile(pg('one'), ctx);
    await cleanup?.(pg('two'), ctx);
    expect(instance.seen).toEqual(['a:one', 'cleanup:two']);
  });

  it('takes a ResourceRef and a cluster-scoped class; no cleanup means none in the options', () => {
    @Controller({ for: builtin.configmaps, name: 'cm-watcher', owns: [Tenant] })
    class CmController {
      reconcile(): void {}
    }
    const options = controllerOptionsOf(new CmController());
    expect(options.name).toBe('cm-watcher');
    expect(options.for).toBe(builtin.configmaps);
    expect(options.owns?.[0]).toMatchObject({ kind: 'Tenant', plural: 'tenants', namespaced: false });
    expect('cleanup' in options).toBe(false);
    expect('predicates' in options).toBe(false);
  });

  it('a subclass inherits its parent class configuration and overrides behaviour', async () => {
    class Louder extends PostgresController {
      override reconcile(obj: PostgresCluster & KubeObject): void {
        this.seen.push(`LOUD:${obj.metadata.name}`);
      }
    }
    const instance = new Louder('b');
    const options = controllerOptionsOf(instance);
    expect(options.name).toBe('postgrescluster');
    await options.reconcile(pg('x'), ctx);
    expect(instance.seen).toEqual(['LOUD:x']);
  });

  it('addController registers the instance with the manager', () => {
    const add = jest.fn();
    const options = addController({ add }, new PostgresController('c'));
    expect(add).toHaveBeenCalledWith(options);
  });

  it('rejects a class without reconcile, naming the class', () => {
    const decorate = Controller({ for: PostgresCluster }) as (target: unknown) => void;
    class NoReconcile {}
    expect(() => decorate(NoReconcile)).toThrow(ControllerConfigError);
    expect(() => decorate(NoReconcile)).toThrow(/@Controller on NoReconcile: .*reconcile\(obj, ctx\)/);
  });

  it('rejects a missing or non-resource for, and bad owns/watches entries, naming the field', () => {
    class R {
      reconcile(): void {}
    }
    class Plain {}
    const attempt = (options: unknown) => () => Controller(options as never)(R);
    expect(attempt({})).toThrow(/@Controller on R: "for" is required/);
    expect(attempt({ for: Plain })).toThrow(/@Controller on R: for: class Plain has no @CustomResource/);
    expect(attempt({ for: 'widgets' })).toThrow(/for: expected a @CustomResource class or a ResourceRef/);
    expect(attempt({ for: PostgresCluster, owns: [builtin.pods, { kind: 'Pod' }] })).toThrow(/owns\[1\]/);
    expect(attempt({ for: PostgresCluster, watches: [{ kind: builtin.pods }] })).toThrow(
      /watches\[0\]\.map must be a function/,
    );
  });

  it('rejects the class instead of an instance, and an undecorated object', () => {
    expect(() => controllerOptionsOf(PostgresController)).toThrow(
      /pass an instance \(new PostgresController\(\.\.\.\)\), not the class/,
    );
    class Undecorated {
      reconcile(): void {}
    }
    expect(() => controllerOptionsOf(new Undecorated())).toThrow(/Undecorated has no @Controller decorator/);
  });
});
