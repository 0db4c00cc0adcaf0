/**
 * The KafkaCluster's status from what one reconcile saw and decided: the ids Kafka reports and the
 * five conditions. Pure; start with {@link clusterStatus}.
 */
import type { ConditionInput } from '@steward/core';
import { CLUSTER_CONDITIONS as C } from '../api/kafkaCluster.js';
import type { ClusterView, Plan } from './plan.js';

export interface ClusterStatusUpdate {
  fields: Record<string, unknown>;
  conditions: ConditionInput[];
}

const cond = (type: string, on: boolean, reason: string, message = ''): ConditionInput => ({
  type,
  status: on ? 'True' : 'False',
  reason,
  message,
});

/** The oldest version any node runs: what the cluster as a whole can be said to run. */
function runningVersion(view: ClusterView): string | undefined {
  const versions = [...new Set(view.pods.map((p) => p.version).filter((v) => v !== undefined))];
  return versions.sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))[0];
}

export function clusterStatus(view: ClusterView, plan: Plan): ClusterStatusUpdate {
  const { step, refusal, warning, removing, stale } = plan;
  const kafka = view.kafka;
  const fields: Record<string, unknown> = {
    readyBrokers: view.pods.filter((p) => p.role === 'broker' && p.ready && !p.terminating).length,
    kafkaVersion: runningVersion(view),
  };
  if (kafka !== undefined) {
    fields['clusterId'] = kafka.info.clusterId;
    fields['brokerIds'] = kafka.info.brokers.map((b) => b.id).sort((a, b) => a - b);
    fields['activeController'] = kafka.info.activeController;
    fields['metadataVersion'] = step.kind === 'raiseMetadataVersion' ? step.to : kafka.metadataVersion;
  }

  const ready = step.kind === 'done' && refusal === undefined && warning === undefined;
  const message = step.kind === 'wait' ? step.message : step.kind === 'done' ? '' : `next: ${step.kind}`;
  const scalingDown = removing.length > 0 && refusal === undefined;
  const upgrading = view.pods.some((p) => p.version !== view.version) || step.kind === 'raiseMetadataVersion';
  const conditions = [
    ready
      ? cond(
          C.ready,
          true,
          'ClusterReady',
          `${view.desired.broker.length} brokers, quorum of ${view.desired.controller.length}`,
        )
      : cond(
          C.ready,
          false,
          step.kind === 'wait' ? step.reason : refusal !== undefined ? 'ScaleDownRefused' : 'Reconciling',
          refusal ?? warning ?? message,
        ),
    refusal !== undefined
      ? cond(C.scalingDown, false, 'NotEnoughBrokers', refusal)
      : cond(
          C.scalingDown,
          scalingDown,
          scalingDown ? 'MovingPartitions' : 'Idle',
          scalingDown ? `removing broker ${removing.join(', ')}` : '',
        ),
    cond(
      C.rollingRestart,
      stale.length > 0,
      stale.length > 0 ? 'RestartingNodes' : 'Idle',
      stale.map((p) => p.name).join(', '),
    ),
    cond(
      C.upgrading,
      upgrading,
      upgrading ? 'RollingToNewVersion' : 'Idle',
      upgrading ? `to ${view.version}` : '',
    ),
    refusal !== undefined
      ? cond(C.warning, true, 'ScaleDownRefused', refusal)
      : warning !== undefined
        ? cond(C.warning, true, 'MetadataVersionRefused', warning)
        : cond(C.warning, false, 'None'),
  ];
  return { fields, conditions };
}
