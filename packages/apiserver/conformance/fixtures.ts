/**
 * Shared fixtures for conformance cases: Status expectations, object builders and the test CRDs.
 *
 * Start with {@link expectStatus} and {@link widgetCrd}; CRD groups are random per file so files can run
 * at the same time on one shared cluster.
 */
import { expect } from '@jest/globals';
import {
  eventually,
  suffix,
  type Response,
  type TargetContext,
  type Watch,
  type WatchEvent,
} from './target.js';

export interface ExpectedStatus {
  code: number;
  reason?: string;
  message?: string | RegExp;
  details?: Record<string, unknown>;
}

/** Asserts that `res` is a failure `Status` with this code, reason, message and details. */
export function expectStatus(res: Response, want: ExpectedStatus): void {
  expect({ status: res.status, body: res.json }).toMatchObject({
    status: want.code,
    body: { kind: 'Status', apiVersion: 'v1', status: 'Failure', code: want.code },
  });
  expect(res.json.metadata).toEqual(expect.any(Object));
  if (want.reason !== undefined) expect(res.json.reason).toBe(want.reason);
  if (typeof want.message === 'string') expect(res.json.message).toBe(want.message);
  else if (want.message) expect(res.json.message).toMatch(want.message);
  if (want.details !== undefined) expect(res.json.details).toEqual(want.details);
}

/** Asserts a 2xx answer, printing the body when it is not. */
export function expectOk(res: Response, code?: number): any {
  if (code !== undefined)
    expect({ status: res.status, body: res.json ?? res.text }).toMatchObject({ status: code });
  else
    expect({
      ok: res.status >= 200 && res.status < 300,
      status: res.status,
      body: res.json ?? res.text,
    }).toMatchObject({ ok: true });
  return res.json;
}

/** The container image of every test workload. */
export const IMAGE = 'registry.k8s.io/pause:3.10';

export function configMap(
  name: string,
  data: Record<string, string> = {},
  labels?: Record<string, string>,
): any {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: labels ? { name, labels } : { name }, data };
}

export function pod(
  name: string,
  extra: { labels?: Record<string, string>; nodeName?: string; image?: string } = {},
): any {
  const metadata: any = { name };
  if (extra.labels) metadata.labels = extra.labels;
  const spec: any = {
    containers: [{ name: 'main', image: extra.image ?? IMAGE }],
  };
  if (extra.nodeName) spec.nodeName = extra.nodeName;
  return { apiVersion: 'v1', kind: 'Pod', metadata, spec };
}

export function deployment(name: string, replicas = 1): any {
  const labels = { app: name };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: {
      replicas,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          containers: [{ name: 'main', image: IMAGE, env: [{ name: 'A', value: '1' }] }],
        },
      },
    },
  };
}

/** Creates `body` at `path` and returns the stored object, failing the case on any non-201. */
export async function create(
  t: TargetContext,
  path: string,
  body: unknown,
  query?: Record<string, string>,
): Promise<any> {
  const res = await t.client.post(path, body, query);
  return expectOk(res, 201);
}

export const cmPath = (ns: string, name?: string) =>
  `/api/v1/namespaces/${ns}/configmaps${name ? `/${name}` : ''}`;
export const podPath = (ns: string, name?: string) =>
  `/api/v1/namespaces/${ns}/pods${name ? `/${name}` : ''}`;
export const deployPath = (ns: string, name?: string) =>
  `/apis/apps/v1/namespaces/${ns}/deployments${name ? `/${name}` : ''}`;

export interface Crd {
  group: string;
  plural: string;
  kind: string;
  name: string;
  /** `/apis/<group>/<version>/namespaces/<ns>/<plural>[/<name>[/<sub>]]` */
  path(ns: string, name?: string, sub?: string, version?: string): string;
}

export interface CrdOptions {
  /** Adds the status and scale subresources (default true). */
  subresources?: boolean;
  plural?: string;
  kind?: string;
}

/**
 * The Widget CRD: a structural schema with bounds, an enum, defaults, a preserved subtree, a CEL rule,
 * printer columns, a selectable field, two served versions, and (by default) status and scale.
 */
export function widgetCrdBody(group: string, opts: CrdOptions = {}): any {
  const plural = opts.plural ?? 'widgets';
  const kind = opts.kind ?? 'Widget';
  const schema = {
    type: 'object',
    properties: {
      spec: {
        type: 'object',
        'x-kubernetes-validations': [
          {
            rule: 'self.minReplicas <= self.maxReplicas',
            message: 'minReplicas must not exceed maxReplicas',
          },
          { rule: "!has(self.color) || self.color != 'forbidden'" },
        ],
        properties: {
          replicas: { type: 'integer', minimum: 1, maximum: 100 },
          size: { type: 'string', enum: ['small', 'large'], default: 'small' },
          color: { type: 'string', maxLength: 12 },
          minReplicas: { type: 'integer', default: 1 },
          maxReplicas: { type: 'integer', default: 10 },
          tags: { type: 'array', items: { type: 'string' } },
          extra: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
          note: { type: 'string', nullable: true },
          port: { 'x-kubernetes-int-or-string': true },
          endpoints: {
            type: 'array',
            'x-kubernetes-list-type': 'map',
            'x-kubernetes-list-map-keys': ['name'],
            items: {
              type: 'object',
              required: ['name'],
              properties: { name: { type: 'string' }, url: { type: 'string' } },
            },
          },
          zones: { type: 'array', 'x-kubernetes-list-type': 'set', items: { type: 'string' } },
          immutableName: {
            type: 'string',
            'x-kubernetes-validations': [{ rule: 'self == oldSelf', message: 'immutableName is immutable' }],
          },
        },
      },
      status: {
        type: 'object',
        properties: {
          replicas: { type: 'integer' },
          phase: { type: 'string' },
          selector: { type: 'string' },
          conditions: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                type: { type: 'string' },
                status: { type: 'string' },
                reason: { type: 'string' },
              },
              required: ['type', 'status'],
            },
          },
        },
      },
    },
  };
  const subresources =
    opts.subresources === false
      ? undefined
      : {
          status: {},
          scale: {
            specReplicasPath: '.spec.replicas',
            statusReplicasPath: '.status.replicas',
            labelSelectorPath: '.status.selector',
          },
        };
  const version = (name: string, storage: boolean) => ({
    name,
    served: true,
    storage,
    schema: { openAPIV3Schema: schema },
    ...(subresources ? { subresources } : {}),
    selectableFields: [{ jsonPath: '.spec.color' }],
    additionalPrinterColumns: [
      { name: 'Replicas', type: 'integer', jsonPath: '.spec.replicas' },
      { name: 'Phase', type: 'string', jsonPath: '.status.phase' },
      { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
    ],
  });
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${plural}.${group}` },
    spec: {
      group,
      scope: 'Namespaced',
      names: {
        plural,
        singular: kind.toLowerCase(),
        kind,
        listKind: `${kind}List`,
        shortNames: [`${plural.slice(0, 2)}${suffix(3)}`],
        categories: ['steward-conformance'],
      },
      versions: [version('v1', true), version('v1beta1', false)],
    },
  };
}

/** A fresh random API group for this file's CRDs. */
export function randomGroup(): string {
  return `c${suffix(6)}.conformance.steward.dev`;
}

/** Creates a CRD, waits until it is Established and served, and deletes it when the file ends. */
export async function installCrd(t: TargetContext, body: any): Promise<Crd> {
  const res = await t.client.post('/apis/apiextensions.k8s.io/v1/customresourcedefinitions', body);
  expectOk(res, 201);
  const name: string = body.metadata.name;
  t.defer(() => t.client.delete(`/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${name}`));
  const { group } = body.spec;
  const { plural, kind } = body.spec.names;
  await eventually(`CRD ${name} Established`, async () => {
    const r = await t.client.get(`/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${name}`);
    return r.json?.status?.conditions?.some((c: any) => c.type === 'Established' && c.status === 'True');
  });
  await eventually(`${plural}.${group} in discovery`, async () => {
    const r = await t.client.get(`/apis/${group}/v1`);
    return r.status === 200 && r.json?.resources?.some((x: any) => x.name === plural);
  });
  // A real server may answer 429 "storage is (re)initializing" for a moment after Established; wait until
  // the collection is served, so cases never see that transient answer.
  await eventually(
    `${plural}.${group} served`,
    async () => (await t.client.get(`/apis/${group}/v1/${plural}`)).status === 200,
    10_000,
  );
  return {
    group,
    plural,
    kind,
    name,
    path: (ns, n, sub, version = 'v1') =>
      `/apis/${group}/${version}/namespaces/${ns}/${plural}${n ? `/${n}` : ''}${sub ? `/${sub}` : ''}`,
  };
}

/** Memoised per-file Widget CRD, so a file installs it once whichever case runs first. */
export function lazyWidgetCrd(t: TargetContext, opts: CrdOptions = {}): () => Promise<Crd> {
  let p: Promise<Crd> | undefined;
  return () => (p ??= installCrd(t, widgetCrdBody(randomGroup(), opts)));
}

export function widget(crd: Crd, name: string, spec: Record<string, unknown> = {}, version = 'v1'): any {
  return { apiVersion: `${crd.group}/${version}`, kind: crd.kind, metadata: { name }, spec };
}

/**
 * Sorted names of a list's items, leaving out `kube-root-ca.crt`, which a real cluster's controller
 * manager publishes into every namespace.
 */
export function names(list: any): string[] {
  return (list?.items ?? [])
    .map((i: any) => i.metadata.name as string)
    .filter((n: string) => n !== 'kube-root-ca.crt')
    .sort(byCodePoint);
}

/** Compares as the API server orders keys (byte order), not by locale. */
export function byCodePoint(a: unknown, b: unknown): number {
  const x = String(a);
  const y = String(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** The next watch event that is not about the `kube-root-ca.crt` a real cluster publishes everywhere. */
export async function nextReal(w: Pick<Watch, 'next'>, ms = 3000): Promise<WatchEvent | undefined> {
  for (;;) {
    const e = await w.next(ms);
    if (e?.object?.metadata?.name !== 'kube-root-ca.crt') return e;
  }
}
