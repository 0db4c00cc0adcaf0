/**
 * The widget-operator as one value: the resources it serves and the controllers `setup` registers. `steward`
 * reads it (`crd generate`, `manifests`, `dev`), main.ts runs it, the tests run it on the embedded
 * API server. Start with {@link widgetOperator}.
 */
import { addController, defineOperator } from '@steward/core';
import { Widget } from './api/widget.js';
import { WidgetController } from './controllers/widgetController.js';

export const widgetOperator = defineOperator({
  name: 'widget-operator',
  resources: [Widget],
  setup: (manager) => {
    addController(manager, new WidgetController());
  },
});
