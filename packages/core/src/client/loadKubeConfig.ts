/**
 * Turns what a user has at hand into a client-node `KubeConfig`: an instance, a kubeconfig document
 * (the object an embedded API server hands out, or parsed YAML), a file path, or nothing (the default
 * chain: KUBECONFIG, ~/.kube/config, in-cluster). Start with {@link loadKubeConfig}.
 */
import { KubeConfig } from '@kubernetes/client-node';
import { ClientUsageError } from './errors.js';

/** A kubeconfig in any of the forms {@link loadKubeConfig} takes. */
export type KubeConfigLike = KubeConfig | string | object;

export function loadKubeConfig(source?: KubeConfigLike): KubeConfig {
  if (source instanceof KubeConfig) return source;
  const kc = new KubeConfig();
  if (source === undefined) kc.loadFromDefault();
  else if (typeof source === 'string') kc.loadFromFile(source);
  else if (
    typeof source === 'object' &&
    source !== null &&
    Array.isArray((source as { clusters?: unknown }).clusters)
  )
    kc.loadFromString(JSON.stringify(source));
  else
    throw new ClientUsageError(
      'kubeConfig: expected a KubeConfig, a kubeconfig file path, or a kubeconfig object with `clusters`, `users` and `contexts`',
    );
  return kc;
}
