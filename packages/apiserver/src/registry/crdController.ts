/**
 * `CrdController`: what the apiextensions server does when CRDs change — serve a CRD's versions as soon as
 * it is written, report `NamesAccepted`/`Established` (and `acceptedNames`, `storedVersions`) in its
 * status, and on deletion remove every custom resource (watchers see DELETED) before the CRD itself.
 *
 * Start with {@link CrdController.onCrdWritten}, which the write path calls after each CRD write.
 */
import { resourcesOfCrd } from '../schema/index.js';
import type { Storage } from '../storage/storage.js';
import type { KObject } from '../storage/storedObject.js';
import { collectionName, type Registry } from './registry.js';

export const CRD_COLLECTION = 'customresourcedefinitions.apiextensions.k8s.io';
export const CRD_CLEANUP_FINALIZER = 'customresourcecleanup.apiextensions.k8s.io';

type Obj = Record<string, unknown>;

const TERMINATING_VERBS = ['delete', 'deletecollection', 'get', 'list', 'watch'];
/** How often a terminating CRD checks whether its last objects (held by finalizers) are gone. */
const CLEANUP_POLL_MS = 50;

function nowTime(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export class CrdController {
  private readonly pending = new Set<string>();

  constructor(
    private readonly storage: Storage,
    private readonly registry: Registry,
  ) {}

  /** Called after a CRD write (`crd` undefined: the CRD is gone). */
  onCrdWritten(crd: KObject | undefined, name: string): void {
    if (!crd) {
      const served = this.registry.crdResources(name);
      this.registry.setCrdResources(name, []);
      if (served?.[0]) this.storage.drop(collectionName(served[0]));
      return;
    }
    const resources = resourcesOfCrd(crd);
    // A terminating CRD stays readable and deletable while its objects go, nothing more.
    if (crd.metadata?.deletionTimestamp) for (const r of resources) r.verbs = TERMINATING_VERBS;
    this.registry.setCrdResources(name, resources);
    // Status and cleanup follow the write, as the real controllers do, never inside it.
    if (this.pending.has(name)) return;
    this.pending.add(name);
    setImmediate(() => {
      this.pending.delete(name);
      this.reconcile(name);
    });
  }

  private reconcile(name: string): void {
    const crds = this.storage.collection(CRD_COLLECTION);
    const stored = crds.get('', name);
    if (!stored) return;
    const crd = JSON.parse(stored.json) as KObject;
    if (crd.metadata?.deletionTimestamp) {
      this.cleanUp(crd, name);
      return;
    }
    const next = this.withStatus(crd);
    if (JSON.stringify(next['status']) !== JSON.stringify(crd['status'])) crds.put(next);
  }

  private withStatus(crd: KObject): KObject {
    const spec = (crd['spec'] ?? {}) as Obj;
    const status = { ...((crd['status'] ?? {}) as Obj) };
    const conditions = Array.isArray(status['conditions']) ? [...(status['conditions'] as Obj[])] : [];
    const set = (type: string, reason: string, message: string): void => {
      const i = conditions.findIndex((c) => c['type'] === type);
      const existing = i >= 0 ? conditions[i] : undefined;
      if (existing && existing['status'] === 'True' && existing['reason'] === reason) return;
      const c = { type, status: 'True', lastTransitionTime: nowTime(), reason, message };
      if (i >= 0) conditions[i] = c;
      else conditions.push(c);
    };
    set('NamesAccepted', 'NoConflicts', 'no conflicts found');
    set('Established', 'InitialNamesAccepted', 'the initial names have been accepted');
    status['conditions'] = conditions;
    status['acceptedNames'] = spec['names'];
    const versions = Array.isArray(spec['versions']) ? (spec['versions'] as Obj[]) : [];
    const storageVersion = versions.find((v) => v['storage'] === true)?.['name'];
    const stored = Array.isArray(status['storedVersions']) ? [...(status['storedVersions'] as string[])] : [];
    if (typeof storageVersion === 'string' && !stored.includes(storageVersion)) stored.push(storageVersion);
    status['storedVersions'] = stored;
    return { ...crd, status };
  }

  /**
   * Deletes every object of the CRD's resource (objects with finalizers get a deletionTimestamp and are
   * waited for), reporting `Terminating`, then lets the CRD go.
   */
  private cleanUp(crd: KObject, name: string): void {
    const crds = this.storage.collection(CRD_COLLECTION);
    const status = (crd['status'] ?? {}) as Obj;
    const conditions = Array.isArray(status['conditions']) ? [...(status['conditions'] as Obj[])] : [];
    if (!conditions.some((c) => c['type'] === 'Terminating' && c['status'] === 'True')) {
      const rest = conditions.filter((c) => c['type'] !== 'Terminating');
      rest.push({
        type: 'Terminating',
        status: 'True',
        lastTransitionTime: nowTime(),
        reason: 'InstanceDeletionInProgress',
        message: 'CustomResource deletion is in progress',
      });
      crd = JSON.parse(crds.put({ ...crd, status: { ...status, conditions: rest } }).json) as KObject;
    }
    const served = this.registry.crdResources(name);
    if (served?.[0]) {
      const coll = this.storage.collection(collectionName(served[0]));
      for (const s of Array.from(coll.objects.values())) {
        if ((s.obj.metadata?.finalizers ?? []).length === 0) coll.remove(s.namespace, s.name);
        else if (!s.obj.metadata?.deletionTimestamp) {
          coll.put({
            ...s.obj,
            metadata: { ...s.obj.metadata, deletionTimestamp: nowTime(), deletionGracePeriodSeconds: 0 },
          });
        }
      }
      if (coll.objects.size > 0) {
        const t = setTimeout(() => this.reconcile(name), CLEANUP_POLL_MS);
        t.unref();
        return;
      }
    }
    const finalizers = (crd.metadata?.finalizers ?? []).filter((f) => f !== CRD_CLEANUP_FINALIZER);
    if (finalizers.length > 0) {
      crds.put({ ...crd, metadata: { ...crd.metadata, finalizers } });
      return;
    }
    crds.remove('', name);
    this.onCrdWritten(undefined, name);
  }
}
