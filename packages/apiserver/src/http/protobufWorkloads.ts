/**
 * Protobuf layouts of the kinds `kubectl create deployment|job|service` sends (Deployment, StatefulSet,
 * Job, Service, Pod), from k8s.io/api's generated.proto field numbers. They cover the common fields
 * only, so they are `complete` schemas: a body with a field not listed here is refused, never stored
 * without it.
 *
 * Start with {@link WORKLOAD_KINDS}.
 */
import { OBJECT_META, type KindSchema, type Schema } from './protobufSchema.js';

const s = (name: string): Schema[number] => ({ name, kind: 'string' });
const strings = (name: string): Schema[number] => ({ name, kind: 'string', repeated: true });
const int = (name: string, ptr = false): Schema[number] =>
  ptr ? { name, kind: 'int', ptr } : { name, kind: 'int' };
const bool = (name: string, ptr = false): Schema[number] =>
  ptr ? { name, kind: 'bool', ptr } : { name, kind: 'bool' };
const msg = (name: string, schema: Schema, repeated = false): Schema[number] =>
  repeated ? { name, kind: { msg: schema }, repeated } : { name, kind: { msg: schema } };
const labels = (name: string): Schema[number] => ({ name, kind: { map: 'string' } });

/** intstr.IntOrString: type 0 is an int, 1 a string (rebuilt into the JSON scalar by `intOrString`). */
const INT_OR_STRING: Schema = { 1: int('type', true), 2: int('intVal', true), 3: s('strVal') };

const LABEL_SELECTOR: Schema = {
  1: labels('matchLabels'),
  2: msg('matchExpressions', { 1: s('key'), 2: s('operator'), 3: strings('values') }, true),
};

const CONTAINER_PORT: Schema = {
  1: s('name'),
  2: int('hostPort'),
  3: { name: 'containerPort', kind: 'int', ptr: true },
  4: s('protocol'),
  5: s('hostIP'),
};

const ENV_VAR: Schema = { 1: s('name'), 2: { name: 'value', kind: 'string' } };

const RESOURCES: Schema = {
  1: { name: 'limits', kind: { map: 'quantity' } },
  2: { name: 'requests', kind: { map: 'quantity' } },
};

const CONTAINER: Schema = {
  1: s('name'),
  2: s('image'),
  3: strings('command'),
  4: strings('args'),
  5: s('workingDir'),
  6: msg('ports', CONTAINER_PORT, true),
  7: msg('env', ENV_VAR, true),
  8: msg('resources', RESOURCES),
  13: s('terminationMessagePath'),
  14: s('imagePullPolicy'),
  16: bool('stdin'),
  17: bool('stdinOnce'),
  18: bool('tty'),
  20: s('terminationMessagePolicy'),
};

const POD_SPEC: Schema = {
  2: msg('containers', CONTAINER, true),
  3: s('restartPolicy'),
  4: int('terminationGracePeriodSeconds', true),
  5: int('activeDeadlineSeconds', true),
  6: s('dnsPolicy'),
  7: labels('nodeSelector'),
  8: s('serviceAccountName'),
  9: s('serviceAccount'),
  10: s('nodeName'),
  11: bool('hostNetwork'),
  12: bool('hostPID'),
  13: bool('hostIPC'),
  16: s('hostname'),
  17: s('subdomain'),
  19: s('schedulerName'),
  24: s('priorityClassName'),
  20: msg('initContainers', CONTAINER, true),
  21: bool('automountServiceAccountToken', true),
};

// selfLink (always written, empty) and the deletion fields, which a complete schema must know.
const META: Schema = {
  ...OBJECT_META,
  4: s('selfLink'),
  // Timestamps are the server's to set; a create carries zero ones.
  8: { name: 'creationTimestamp', kind: { msg: {} }, ignore: true },
  9: { name: 'deletionTimestamp', kind: { msg: {} }, ignore: true },
  10: int('deletionGracePeriodSeconds', true),
};

const POD_TEMPLATE: Schema = { 1: msg('metadata', META), 2: msg('spec', POD_SPEC) };

const DEPLOYMENT_SPEC: Schema = {
  1: int('replicas', true),
  2: msg('selector', LABEL_SELECTOR),
  3: msg('template', POD_TEMPLATE),
  4: msg('strategy', {
    1: s('type'),
    2: msg('rollingUpdate', { 1: msg('maxUnavailable', INT_OR_STRING), 2: msg('maxSurge', INT_OR_STRING) }),
  }),
  5: int('minReadySeconds'),
  6: int('revisionHistoryLimit', true),
  7: bool('paused'),
  9: int('progressDeadlineSeconds', true),
};

const STATEFUL_SET_SPEC: Schema = {
  1: int('replicas', true),
  2: msg('selector', LABEL_SELECTOR),
  3: msg('template', POD_TEMPLATE),
  5: s('serviceName'),
  6: s('podManagementPolicy'),
  8: int('revisionHistoryLimit', true),
  9: int('minReadySeconds'),
};

const JOB_SPEC: Schema = {
  1: int('parallelism', true),
  2: int('completions', true),
  3: int('activeDeadlineSeconds', true),
  4: msg('selector', LABEL_SELECTOR),
  5: bool('manualSelector', true),
  6: msg('template', POD_TEMPLATE),
  7: int('backoffLimit', true),
  8: int('ttlSecondsAfterFinished', true),
  9: s('completionMode'),
  10: bool('suspend', true),
};

const SERVICE_PORT: Schema = {
  1: s('name'),
  2: s('protocol'),
  3: { name: 'port', kind: 'int', ptr: true },
  4: msg('targetPort', INT_OR_STRING),
  5: int('nodePort'),
};

const SERVICE_SPEC: Schema = {
  1: msg('ports', SERVICE_PORT, true),
  2: labels('selector'),
  3: s('clusterIP'),
  4: s('type'),
  5: strings('externalIPs'),
  7: s('sessionAffinity'),
  8: s('loadBalancerIP'),
  10: s('externalName'),
  11: s('externalTrafficPolicy'),
  12: int('healthCheckNodePort'),
  13: bool('publishNotReadyAddresses'),
  18: strings('clusterIPs'),
};

const kind = (spec: Schema): KindSchema => ({
  schema: {
    1: msg('metadata', META),
    2: msg('spec', spec),
    3: { name: 'status', kind: { msg: {} }, ignore: true },
  },
  complete: true,
});

export const WORKLOAD_KINDS: Record<string, KindSchema> = {
  'apps/v1/Deployment': kind(DEPLOYMENT_SPEC),
  'apps/v1/StatefulSet': kind(STATEFUL_SET_SPEC),
  'batch/v1/Job': kind(JOB_SPEC),
  'v1/Service': kind(SERVICE_SPEC),
  'v1/Pod': kind(POD_SPEC),
};

/** Rewrites decoded IntOrString messages (`{type, intVal, strVal}`) into the JSON scalar, in place. */
export function intOrString(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(intOrString);
  if (typeof v !== 'object' || v === null) return v;
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o);
  // intVal is always on the wire (Go writes it even when zero), so it marks an IntOrString.
  if (keys.includes('intVal') && keys.every((k) => k === 'type' || k === 'intVal' || k === 'strVal')) {
    return o['type'] === 1 ? (o['strVal'] ?? '') : (o['intVal'] ?? 0);
  }
  for (const k of keys) o[k] = intOrString(o[k]);
  return o;
}
