// Conformance: malformed requests get the real server's Status, and the server stays up
// (issue 3 "Bad input"; reference §2 items 3, 9; apimachinery validation and handlers/rest.go).
import { describe, expect } from '@jest/globals';
import { conformanceCase } from './case.js';
import { cmPath, configMap, expectOk, expectStatus } from './fixtures.js';
import { useTarget } from './target.js';

const t = useTarget('errors');

const DNS1123_SUBDOMAIN =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL_DETAIL =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
const DNS1123_LABEL =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

describe('errors and bad input', () => {
  // Issue 3: malformed JSON → 400 BadRequest.
  conformanceCase('bad-json-400', 'POST with malformed JSON → 400 BadRequest Status', async () => {
    const res = await t.client.request('POST', cmPath(t.ns), {
      body: '{"apiVersion": "v1", "kind": ',
      contentType: 'application/json',
    });
    expectStatus(res, {
      code: 400,
      reason: 'BadRequest',
      message:
        'the object provided is unrecognized (must be of type ConfigMap): couldn\'t get version/kind; json parse error: unexpected end of JSON input ({"apiVersion": "v1", "kind": )',
    });
  });

  // Issue 3: an empty body cannot be decoded → 400.
  conformanceCase('bad-empty-body-400', 'POST with an empty body → 400 BadRequest', async () => {
    const res = await t.client.request('POST', cmPath(t.ns), { body: '', contentType: 'application/json' });
    expectStatus(res, {
      code: 400,
      reason: 'BadRequest',
      message:
        "the object provided is unrecognized (must be of type ConfigMap): couldn't get version/kind; json parse error: unexpected end of JSON input (<empty>)",
    });
  });

  // Issue 3: a JSON array is not an object → 400.
  conformanceCase('bad-json-array-400', 'POST with a JSON array body → 400 BadRequest', async () => {
    const res = await t.client.request('POST', cmPath(t.ns), {
      body: '[1,2,3]',
      contentType: 'application/json',
    });
    expectStatus(res, {
      code: 400,
      reason: 'BadRequest',
      message:
        /^the object provided is unrecognized \(must be of type ConfigMap\): couldn't get version\/kind; json parse error: /,
    });
  });

  // handlers/rest.go negotiation: unknown content types → 415 with the accepted list.
  conformanceCase(
    'bad-content-type-415',
    'POST with Content-Type text/plain → 415 UnsupportedMediaType listing json, yaml, protobuf',
    async () => {
      const res = await t.client.request('POST', cmPath(t.ns), {
        body: JSON.stringify(configMap('tp')),
        contentType: 'text/plain',
      });
      expectStatus(res, {
        code: 415,
        reason: 'UnsupportedMediaType',
        message:
          'the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf',
      });
    },
  );

  // Issue 3 (handlers/rest.go limitedReadBody): bodies over 3 MiB → 413.
  conformanceCase(
    'bad-body-too-large-413',
    'POST with a body over 3 MiB → 413 RequestEntityTooLarge "limit is 3145728"',
    async () => {
      const big = JSON.stringify(configMap('big', { blob: 'x'.repeat(3 * 1024 * 1024 + 10) }));
      const res = await t.client.request('POST', cmPath(t.ns), { body: big });
      expectStatus(res, {
        code: 413,
        reason: 'RequestEntityTooLarge',
        message: 'Request entity too large: limit is 3145728',
      });
    },
  );

  // Issue 3: names that are not DNS-1123 subdomains → 422 with the exact validation text.
  conformanceCase(
    'bad-name-not-dns1123-422',
    'POST with name "Bad_Name" → 422 Invalid with the RFC 1123 subdomain message and one cause',
    async () => {
      const res = await t.client.post(cmPath(t.ns), configMap('Bad_Name'));
      expectStatus(res, {
        code: 422,
        reason: 'Invalid',
        message: `ConfigMap "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": ${DNS1123_SUBDOMAIN}`,
        details: {
          name: 'Bad_Name',
          kind: 'ConfigMap',
          causes: [
            {
              reason: 'FieldValueInvalid',
              message: `Invalid value: "Bad_Name": ${DNS1123_SUBDOMAIN}`,
              field: 'metadata.name',
            },
          ],
        },
      });
    },
  );

  // Namespaces are DNS-1123 labels (note the real message's double space).
  conformanceCase(
    'bad-namespace-name-422',
    'POST of a Namespace named "Bad" → 422 with the RFC 1123 label message',
    async () => {
      const res = await t.client.post('/api/v1/namespaces', {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: 'Bad' },
      });
      expectStatus(res, {
        code: 422,
        reason: 'Invalid',
        message: `Namespace "Bad" is invalid: metadata.name: Invalid value: "Bad": ${DNS1123_LABEL}`,
      });
    },
  );

  // apimachinery ValidateObjectMeta: name or generateName is required.
  conformanceCase(
    'bad-missing-name-422',
    'POST without a name → 422 `metadata.name: Required value: name or generateName is required`',
    async () => {
      const res = await t.client.post(cmPath(t.ns), { apiVersion: 'v1', kind: 'ConfigMap', metadata: {} });
      expectStatus(res, {
        code: 422,
        reason: 'Invalid',
        message: 'ConfigMap "" is invalid: metadata.name: Required value: name or generateName is required',
        details: {
          kind: 'ConfigMap',
          causes: [
            {
              reason: 'FieldValueRequired',
              message: 'Required value: name or generateName is required',
              field: 'metadata.name',
            },
          ],
        },
      });
    },
  );

  // DNS-1123 subdomains are at most 253 characters.
  conformanceCase(
    'bad-name-too-long-422',
    'POST with a 254-character name → 422 mentioning "must be no more than 253 characters"',
    async () => {
      const name = 'a'.repeat(254);
      const res = await t.client.post(cmPath(t.ns), configMap(name));
      expectStatus(res, {
        code: 422,
        reason: 'Invalid',
        message: /metadata\.name: Invalid value: "a+": must be no more than 253 characters/,
      });
    },
  );

  // apimachinery ValidateLabels: label values are at most 63 characters of a restricted alphabet.
  conformanceCase(
    'bad-label-value-422',
    'POST with label value "not ok!" → 422 with a cause on metadata.labels',
    async () => {
      const res = await t.client.post(cmPath(t.ns), configMap('badlabel', {}, { app: 'not ok!' }));
      // Exact text verified on kube-apiserver v1.37.2.
      expectStatus(res, {
        code: 422,
        reason: 'Invalid',
        message: `ConfigMap "badlabel" is invalid: metadata.labels: Invalid value: "not ok!": ${LABEL_DETAIL}`,
      });
      expect(res.json.details.causes).toEqual([
        expect.objectContaining({ reason: 'FieldValueInvalid', field: 'metadata.labels' }),
      ]);
    },
  );

  // Issue 3: unknown resources → 404 with the generic not-found message and empty details.
  conformanceCase(
    'bad-unknown-resource-404',
    'GET of an unknown resource → 404 "the server could not find the requested resource"',
    async () => {
      const res = await t.client.get(`/api/v1/namespaces/${t.ns}/nosuchthings`);
      expectStatus(res, {
        code: 404,
        reason: 'NotFound',
        message: 'the server could not find the requested resource',
        details: {},
      });
    },
  );

  // An unknown group never reaches an API handler. Verified against kube-apiserver v1.37.2: the 404 comes
  // from the mux, as text/plain `404 page not found`, not as a Status.
  conformanceCase(
    'bad-unknown-group-resource-404',
    'GET of a resource in an unknown group → 404 text/plain "404 page not found"',
    async () => {
      const res = await t.client.get('/apis/nope.conformance.steward.dev/v1/things');
      expect({ status: res.status, type: res.headers['content-type'], text: res.text.trim() }).toEqual({
        status: 404,
        type: 'text/plain; charset=utf-8',
        text: '404 page not found',
      });
    },
  );

  // The decoder refuses a body whose kind does not belong to the endpoint.
  conformanceCase(
    'bad-kind-mismatch-400',
    'POST of a Secret to the configmaps endpoint → 400 BadRequest',
    async () => {
      const res = await t.client.post(cmPath(t.ns), {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'wrongkind' },
      });
      expectStatus(res, {
        code: 400,
        reason: 'BadRequest',
        message:
          'Secret in version "v1" cannot be handled as a ConfigMap: converting (v1.Secret) to (core.ConfigMap): unknown conversion',
      });
    },
  );

  // The decoder refuses a body of another group-version.
  conformanceCase(
    'bad-api-version-mismatch-400',
    'POST of a ConfigMap with apiVersion apps/v1 → 400 BadRequest',
    async () => {
      const res = await t.client.post(cmPath(t.ns), {
        apiVersion: 'apps/v1',
        kind: 'ConfigMap',
        metadata: { name: 'wronggv' },
      });
      expectStatus(res, {
        code: 400,
        reason: 'BadRequest',
        // The real text goes on with the scheme's Go source location, which is not part of the contract.
        message:
          /^ConfigMap in version "v1" cannot be handled as a ConfigMap: no kind "ConfigMap" is registered for version "apps\/v1"/,
      });
    },
  );

  // Verbs a resource does not support → 405.
  conformanceCase(
    'bad-method-not-allowed-405',
    'PUT on a collection path → 405 MethodNotAllowed',
    async () => {
      const res = await t.client.put(cmPath(t.ns), configMap('coll'));
      expect(res.status).toBe(405);
    },
  );

  // Issue 3: the server never crashes; it keeps answering after bad input.
  conformanceCase(
    'bad-input-server-stays-up',
    'after a burst of garbage requests the server still answers /version and lists',
    async () => {
      const bodies = [
        '{',
        'null',
        '"str"',
        '{"kind":1}',
        '\u0000\u0001',
        '{"metadata":[]}',
        '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":{}}}',
      ];
      const results = await Promise.all(
        bodies.map((b) => t.client.request('POST', cmPath(t.ns), { body: b })),
      );
      for (const r of results) {
        expect(r.status).toBeGreaterThanOrEqual(400);
        expect(r.status).toBeLessThan(500);
        expect(r.json?.kind).toBe('Status');
      }
      expect((await t.client.get('/version')).status).toBe(200);
      expectOk(await t.client.get(cmPath(t.ns)), 200);
    },
  );

  // handlers: unknown query values for a known parameter → 400 (here a non-numeric limit).
  conformanceCase('bad-query-limit-400', 'GET with limit=abc → 400 BadRequest', async () => {
    const res = await t.client.get(cmPath(t.ns), { limit: 'abc' });
    expectStatus(res, {
      code: 400,
      reason: 'BadRequest',
      message: 'strconv.ParseInt: parsing "abc": invalid syntax',
    });
  });

  // A namespaced resource has no create route at the cluster-wide path. Verified on kube-apiserver v1.37.2.
  conformanceCase(
    'bad-post-cluster-wide-path-405',
    'POST /api/v1/configmaps → 405 MethodNotAllowed "the server does not allow this method on the requested resource"',
    async () => {
      const res = await t.client.post('/api/v1/configmaps', {
        ...configMap('cw'),
        metadata: { name: 'cw', namespace: t.ns },
      });
      expectStatus(res, {
        code: 405,
        reason: 'MethodNotAllowed',
        message: 'the server does not allow this method on the requested resource',
        details: {},
      });
    },
  );
});
