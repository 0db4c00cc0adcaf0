/**
 * The datacenter's status from what one reconcile saw and decided: per-node ring states, Ready
 * nodes, and the six conditions. Pure; start with {@link statusFor}.
 */
import type { ConditionInput } from '@steward/core';
import type { Datacenter } from '../api/cassandraDatacenter.js';
import { specOf } from '../api/cassandraDatacenter.js';
import { NODE_STATES } from '../resources/labels.js';
import type { DatacenterView, Step } from './plan.js';

export interface DatacenterStatusUpdate {
  fields: Record<string, unknown>;
  conditions: ConditionInput[];
}

const cond = (type: string, on: boolean, reason: string, message = ''): ConditionInput => ({
  type,
  status: on ? 'True' : 'False',
  reason,
  message,
});

/**
 * `refused` is the message of a scale-down the nodes cannot absorb (ScalingDown=False with reason
 * `InsufficientCapacity` until the spec or the free space changes).
 */
export function statusFor(
  dc: Datacenter,
  view: DatacenterView,
  step: Step,
  refused?: string,
): DatacenterStatusUpdate {
  const spec = specOf(dc);
  const nodes: Record<string, { hostId: string; rack: string; state: string }> = {};
  for (const n of view.nodes) {
    if (n.member !== undefined)
      nodes[n.pod] = { hostId: n.member.hostId, rack: n.rack, state: n.member.state };
  }
  const readyNodes = view.nodes.filter((n) => n.ready && !n.terminating).length;
  const pendingCleanup =
    step.kind === 'growRacks'
      ? step.cleanup
      : view.pendingCleanup.filter((p) => view.nodes.some((n) => n.pod === p));

  const growing =
    !spec.stopped &&
    (view.racks.some((r) => r.replicas < r.desired) ||
      view.nodes.some((n) => n.member === undefined && !n.terminating) ||
      pendingCleanup.length > 0);
  const leaving = view.nodes.some((n) => n.state === NODE_STATES.decommissioning);
  const shrinking = leaving || view.racks.some((r) => r.replicas > r.desired && !spec.stopped);
  const outdated = !spec.stopped && view.nodes.some((n) => !n.updated);
  const restartPending =
    spec.restartRequestedAt !== undefined && spec.restartRequestedAt !== dc.status?.lastRollingRestart;
  const restartDone = restartPending && step.kind === 'done' && !spec.stopped;
  const stoppedNow = spec.stopped && view.nodes.length === 0;

  const ready = step.kind === 'done' && !spec.stopped;
  const waitMessage = step.kind === 'wait' ? step.message : `next: ${step.kind}`;
  const conditions: ConditionInput[] = [
    spec.stopped
      ? cond('Ready', false, 'Stopped', 'spec.stopped is true')
      : cond(
          'Ready',
          ready,
          ready ? 'AllNodesReady' : 'Reconciling',
          ready ? `${spec.size} nodes up` : waitMessage,
        ),
    cond('ScalingUp', growing, growing ? 'AddingNodes' : 'Idle'),
    refused !== undefined && !leaving
      ? cond('ScalingDown', false, 'InsufficientCapacity', refused)
      : cond('ScalingDown', shrinking, shrinking ? 'Decommissioning' : 'Idle'),
    cond('Updating', outdated, outdated ? 'RollingOut' : 'Idle'),
    cond(
      'RollingRestart',
      restartPending && !restartDone,
      restartPending && !restartDone ? 'Restarting' : 'Idle',
    ),
    cond('Stopped', stoppedNow, stoppedNow ? 'Stopped' : spec.stopped ? 'Stopping' : 'Running'),
  ];

  const fields: Record<string, unknown> = {
    nodes,
    readyNodes,
    pendingCleanup: pendingCleanup.length > 0 ? pendingCleanup : undefined,
  };
  if (restartDone) fields['lastRollingRestart'] = spec.restartRequestedAt;
  return { fields, conditions };
}
