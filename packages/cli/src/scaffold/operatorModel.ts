/**
 * The scaffolded operator rebuilt in memory, so `steward new` can generate its manifests before the
 * project is installed (its own sources cannot be imported yet: `@steward/core` is not in its
 * node_modules). Start with {@link operatorModel}. It must match the templates in
 * `templates/operator/src/`: the golden test pins both, and the end-to-end test regenerates the
 * manifests from the installed project and compares them with these.
 */
import { Type } from 'class-transformer';
import { IsOptional, IsString, MaxLength, MinLength, ValidateNested } from 'class-validator';
import {
  addController,
  builtin,
  Conditions,
  Controller,
  CustomResource,
  defineOperator,
  Description,
  PrinterColumn,
} from '@steward/core';
import type { Condition, OperatorDefinition } from '@steward/core';
import type { ScaffoldNames } from './names.js';

/** The operator `src/operator.ts` defines, with the same resource schema and controller kinds. */
export function operatorModel(names: ScaffoldNames): OperatorDefinition {
  class Spec {
    @IsString()
    @MinLength(1)
    @MaxLength(1024)
    @PrinterColumn()
    @Description('The text the operator publishes in the ConfigMap it owns.')
    message!: string;
  }
  class Status {
    @IsOptional() @Conditions() conditions?: Condition[];
  }
  @CustomResource({ group: names.group, version: names.version, kind: names.kind })
  class Resource {
    @ValidateNested() @Type(() => Spec) spec!: Spec;
    @IsOptional() @ValidateNested() @Type(() => Status) status?: Status;
  }
  @Controller({ for: Resource, owns: [builtin.configmaps] })
  class ResourceController {
    reconcile(): void {}
    cleanup(): void {}
  }
  return defineOperator({
    name: names.name,
    resources: [Resource],
    setup: (manager) => {
      addController(manager, new ResourceController());
    },
  });
}
