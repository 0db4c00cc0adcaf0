/**
 * The two Services applications connect through: `<cluster>-rw` selects the primary only (writes),
 * `<cluster>-ro` the replicas streaming from it (reads). Start with {@link clusterServices}. They select
 * by the role label the operator moves, so fencing a primary is one label change, and an instance
 * labelled `fenced` (diverged, or not streaming yet) is in neither.
 */
import type { KubeObject } from '@steward/core';
import { LABELS, names, ROLE_PRIMARY, ROLE_REPLICA } from '../api/labels.js';
import { POSTGRES_PORT } from './instancePod.js';

function service(cluster: string, namespace: string, name: string, role: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace, labels: { [LABELS.cluster]: cluster } },
    spec: {
      type: 'ClusterIP',
      selector: { [LABELS.cluster]: cluster, [LABELS.role]: role },
      ports: [{ name: 'postgres', port: POSTGRES_PORT, targetPort: 'postgres', protocol: 'TCP' }],
    },
  };
}

export function clusterServices(cluster: string, namespace: string): KubeObject[] {
  return [
    service(cluster, namespace, names.readWrite(cluster), ROLE_PRIMARY),
    service(cluster, namespace, names.readOnly(cluster), ROLE_REPLICA),
  ];
}
