// Property-based fuzzing: thousands of random requests — odd paths, verbs, queries, content types and
// bodies — must each get an answer, every error answer must be a Kubernetes Status whose code matches
// the HTTP status, and the server must stay up.
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import * as fc from 'fast-check';
import { startApiServer, type ApiServer } from './index.js';

let server: ApiServer;
beforeAll(async () => {
  server = await startApiServer({ port: 0 });
});
afterAll(async () => {
  await server.stop();
});

const segment = fc.oneof(
  fc.constantFrom(
    'api',
    'apis',
    'v1',
    'v2',
    'namespaces',
    'default',
    'kube-system',
    'pods',
    'services',
    'configmaps',
    'secrets',
    'apps',
    'statefulsets',
    'deployments',
    'status',
    'scale',
    'apiextensions.k8s.io',
    'customresourcedefinitions',
    'coordination.k8s.io',
    'leases',
    'events.k8s.io',
    'events',
    'nodes',
    'watch',
    'openapi',
    'version',
    '',
    '..',
    '.',
    '%2F',
    '%00',
    'A_B',
    'x'.repeat(300),
  ),
  fc.stringMatching(/^[a-z0-9.-]{1,12}$/),
  fc.string({ maxLength: 8 }).map(encodeURIComponent),
);
const pathArb = fc.oneof(
  fc.array(segment, { minLength: 0, maxLength: 8 }).map((s) => `/${s.join('/')}`),
  fc
    .tuple(
      fc.constantFrom('/api/v1/namespaces/default/', '/apis/apps/v1/namespaces/default/', '/api/v1/'),
      fc.array(segment, { maxLength: 3 }),
    )
    .map(([p, s]) => p + s.join('/')),
);
const queryArb = fc.dictionary(
  fc.constantFrom(
    'watch',
    'labelSelector',
    'fieldSelector',
    'limit',
    'continue',
    'resourceVersion',
    'resourceVersionMatch',
    'timeoutSeconds',
    'dryRun',
    'fieldManager',
    'force',
    'propagationPolicy',
    'gracePeriodSeconds',
    'allowWatchBookmarks',
    'sendInitialEvents',
    'fieldValidation',
  ),
  fc.oneof(
    fc.constantFrom('true', '0', '1', '-1', 'All', 'a=b', 'a in (b', '!!', 'NotOlderThan', 'x,y'),
    fc.string({ maxLength: 10 }),
  ),
  { maxKeys: 4 },
);
const objectish = fc.oneof(
  fc.jsonValue().map((v) => JSON.stringify(v)),
  fc
    .record(
      {
        apiVersion: fc.constantFrom('v1', 'apps/v1', 'nope/v9'),
        kind: fc.constantFrom('Pod', 'ConfigMap', 'Namespace', 'StatefulSet', 'Thing'),
        metadata: fc.record(
          {
            name: fc.oneof(fc.stringMatching(/^[a-z0-9-]{1,10}$/), fc.string({ maxLength: 12 })),
            namespace: fc.constantFrom('default', 'other', ''),
          },
          { requiredKeys: [] },
        ),
        spec: fc.jsonValue(),
      },
      { requiredKeys: [] },
    )
    .map((v) => JSON.stringify(v)),
  fc.string({ maxLength: 40 }),
  fc.constant('{"unterminated": '),
);
const request = fc.record({
  method: fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'),
  path: pathArb,
  query: queryArb,
  contentType: fc.constantFrom(
    'application/json',
    'application/merge-patch+json',
    'application/json-patch+json',
    'application/strategic-merge-patch+json',
    'application/apply-patch+yaml',
    'text/plain',
    'application/yaml',
    '',
  ),
  body: objectish,
});

/** Why an answer is not what a real server sends, or undefined when it is fine. */
function describeProblem(method: string, code: number, text: string): string | undefined {
  if (code < 200 || code >= 600) return `HTTP status ${code}`;
  if (code < 400 || method === 'HEAD') return undefined;
  // A path under an unregistered API group never reaches an API handler: the mux answers in plain text.
  if (code === 404 && text === '404 page not found\n') return undefined;
  let status: { kind?: string; code?: number; status?: string };
  try {
    status = JSON.parse(text) as typeof status;
  } catch {
    return `error ${code} with a body that is not JSON: ${text.slice(0, 200)}`;
  }
  if (status.kind !== 'Status' || status.status !== 'Failure' || status.code !== code) {
    return `error ${code} whose body is not a matching Failure Status: ${text.slice(0, 200)}`;
  }
  return undefined;
}

test('random requests always get an answer, errors are Status objects, and the server stays up', async () => {
  let answered = 0;
  await fc.assert(
    fc.asyncProperty(request, async (r) => {
      const url = new URL(server.url + r.path);
      for (const [k, v] of Object.entries(r.query)) url.searchParams.set(k, v);
      const watching = url.searchParams.get('watch') === 'true' || url.searchParams.get('watch') === '1';
      if (watching) url.searchParams.set('timeoutSeconds', '1');
      const hasBody = !['GET', 'HEAD', 'OPTIONS'].includes(r.method);
      const headers: Record<string, string> = {};
      if (r.contentType) headers['content-type'] = r.contentType;
      const res = await fetch(url, {
        method: r.method,
        headers,
        ...(hasBody ? { body: r.body } : {}),
        signal: AbortSignal.timeout(5000),
      });
      const text = await res.text();
      answered++;
      expect(describeProblem(r.method, res.status, text)).toBeUndefined();
    }),
    { numRuns: 2000, seed: 4242 },
  );
  expect(answered).toBe(2000);
  const version = await fetch(`${server.url}/version`);
  expect(version.status).toBe(200);
}, 120_000);
