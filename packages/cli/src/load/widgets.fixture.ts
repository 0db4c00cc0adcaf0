/** Test module for the loader and `crd generate`: two resources, an operator, and exports to ignore. */
import { CustomResource, Description, defineOperator } from '@steward/core';

class WidgetSpec {
  // No class-validator decorator: the type comes from `design:type` metadata alone, so the schema
  // shows whether the module was compiled with decorator metadata.
  @Description('how many widgets') replicas!: number;
  @Description('what they say') message!: string;
}

@CustomResource({ group: 'clitest.steward.dev', version: 'v1', kind: 'Widget' })
export class Widget {
  @Description('the desired widgets') spec!: WidgetSpec;
}

class GadgetSpec {
  @Description('gadget size in cm') size!: number;
}

/** Exported only through the operator's resources. */
@CustomResource({ group: 'clitest.steward.dev', version: 'v1alpha1', kind: 'Gadget', scope: 'Cluster' })
class Gadget {
  @Description('the desired gadget') spec!: GadgetSpec;
}

export const operator = defineOperator({
  name: 'widget-operator',
  resources: [Widget, Gadget],
  setup: () => {},
});
export class NotAResource {
  readonly spec = {};
}
export const VERSION = '1.0.0';
