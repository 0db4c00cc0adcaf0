import { describe, expect, it } from '@jest/globals';
import { builtin } from '../client/resourceRef.js';
import type { KubeClient, KubeObject } from '../client/types.js';
import type { Controller as LoopHandle } from '../controller/controllerTypes.js';
import { CustomResource } from '../decorators/customResource.js';
import { sharedInformerFactory } from '../informer/sharedInformerFactory.js';
import type { Manager } from '../manager/managerTypes.js';
import type { ControllerBuilder } from './builder.js';
import type { BuiltControllerOptions } from './builderTypes.js';
import { Controller as ControllerDecorator } from './controllerDecorator.js';
import { controller } from './controllerEntry.js';
import * as core from '../index.js';

@CustomResource({ group: 'test.steward.dev', version: 'v1', kind: 'Gadget' })
class Gadget {
  spec!: { colour: string };
}

/** `true` only when A and B are mutually assignable: `const same: Equal<A, B> = true` compiles iff so. */
type Equal<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

// Never called: only compiled, to show that an object of neither form is a type error.
const neither = () =>
  // @ts-expect-error -- no reconcile, no add
  controller({ name: 'x' });

describe('controller (the public overload)', () => {
  it('with options returns the low-level loop; with a manager, the builder', () => {
    const client = {} as KubeClient;
    const loop = controller({
      name: 'loop',
      client,
      informers: sharedInformerFactory(client),
      for: builtin.configmaps,
      reconcile: () => undefined,
    });
    const sameLoop: Equal<typeof loop, LoopHandle> = true;
    expect(sameLoop).toBe(true);
    expect(typeof loop.start).toBe('function');
    expect(loop.name).toBe('loop');

    const added: BuiltControllerOptions[] = [];
    const manager = { add: (o: BuiltControllerOptions) => void added.push(o) } as unknown as Manager;
    const builder = controller(manager);
    const sameBuilder: Equal<typeof builder, ControllerBuilder> = true;
    expect(sameBuilder).toBe(true);
    const gadgets = builder.for(Gadget);
    const sameTyped: Equal<typeof gadgets, ControllerBuilder<Gadget & KubeObject>> = true;
    expect(sameTyped).toBe(true);
    const options = gadgets.reconcile((g) => {
      const sameArg: Equal<typeof g, Gadget & KubeObject> = true;
      expect(sameArg).toBe(true);
      return undefined;
    });
    expect(added).toEqual([options]);
    expect(options.name).toBe('gadget');
  });

  it('the low-level form keeps its type parameter; an object of neither form does not compile', () => {
    type Thing = KubeObject & { spec: { n: number } };
    const client = {} as KubeClient;
    controller<Thing>({
      name: 'typed',
      client,
      informers: sharedInformerFactory(client),
      for: builtin.configmaps,
      reconcile: (t) => {
        const sameThing: Equal<typeof t, Thing> = true;
        expect(sameThing).toBe(true);
      },
    });
    expect(typeof neither).toBe('function');
  });

  it('the package exports one Controller name: the decorator as a value, the loop handle as a type', () => {
    expect(core.Controller).toBe(ControllerDecorator);
    expect(core.controller).toBe(controller);
    const sameHandle: Equal<core.Controller, LoopHandle> = true;
    expect(sameHandle).toBe(true);
  });
});
