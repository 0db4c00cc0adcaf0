/**
 * The pause annotation: an object annotated `steward.dev/paused: "true"` is left alone by its
 * controller (no reconcile writes) until the annotation goes. Start with {@link isPaused}.
 */
import type { KubeObject } from '../client/types.js';

/** Set it to `"true"` on an object to pause its reconciliation. */
export const PAUSED_ANNOTATION = 'steward.dev/paused';

/** True only when the pause annotation is exactly `"true"`: any other value is a typo, not a pause. */
export function isPaused(obj: Pick<KubeObject, 'metadata'>): boolean {
  return obj.metadata.annotations?.[PAUSED_ANNOTATION] === 'true';
}
