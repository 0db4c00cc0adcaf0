/**
 * Label and field selectors as the API server parses and applies them. Start with
 * {@link parseLabelSelector} and {@link parseFieldSelector}; {@link matchesFields} filters objects.
 */
export { parseLabelSelector, labelSelectorOf, parseInt64 } from './labelSelector.js';
export type { LabelSelector, LabelRequirement, LabelOperator } from './labelSelector.js';
export { parseFieldSelector, fieldSelectorString } from './fieldSelector.js';
export type { FieldRequirement, FieldSelector } from './fieldSelector.js';
export {
  fieldGetter,
  matchesFields,
  unsupportedFieldMessage,
  validateFieldSelector,
} from './fieldGetters.js';
export { isQualifiedName, isValidLabelValue, isDNS1123Subdomain } from './nameValidation.js';
