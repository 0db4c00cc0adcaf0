/**
 * The OpenAPI schema of a `status.conditions` list of metav1.Condition, as Kubernetes' own types
 * declare it: a list keyed by `type`, each entry with status, reason, message and a transition time.
 * Start with {@link conditionsSchema}; the `@Conditions()` field decorator applies it.
 */
import type { JSONSchemaProps } from './types.js';

/** A fresh copy each call, so a caller's edits never leak into another CRD. */
export function conditionsSchema(): JSONSchemaProps {
  return {
    type: 'array',
    description: 'The latest observations of the object, one per condition type.',
    'x-kubernetes-list-type': 'map',
    'x-kubernetes-list-map-keys': ['type'],
    items: {
      type: 'object',
      required: ['type', 'status', 'lastTransitionTime', 'reason', 'message'],
      properties: {
        type: {
          type: 'string',
          maxLength: 316,
          pattern:
            '^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$',
        },
        status: { type: 'string', enum: ['True', 'False', 'Unknown'] },
        observedGeneration: { type: 'integer', format: 'int64', minimum: 0 },
        lastTransitionTime: { type: 'string', format: 'date-time' },
        reason: {
          type: 'string',
          minLength: 1,
          maxLength: 1024,
          pattern: '^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$',
        },
        message: { type: 'string', maxLength: 32768 },
      },
    },
  };
}
