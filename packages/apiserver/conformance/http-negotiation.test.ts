// Conformance: content negotiation of responses — JSON, YAML, protobuf, unacceptable types
// (apiserver endpoints/handlers/negotiation, responsewriters; §2 item 9 for the error shape).
import { describe, expect } from '@jest/globals';
import { parse as parseYaml } from 'yaml';
import { conformanceCase } from './case.js';
import { cmPath, configMap, create, expectStatus, lazyWidgetCrd, widget } from './fixtures.js';
import { useTarget } from './target.js';

const t = useTarget('negotiation');
const crd = lazyWidgetCrd(t);

describe('content negotiation', () => {
  // Responses follow Accept: application/yaml gives YAML.
  conformanceCase(
    'neg-accept-yaml',
    'GET with Accept application/yaml → Content-Type application/yaml and a YAML body of the object',
    async () => {
      const made = await create(t, cmPath(t.ns), configMap('yml', { k: 'v' }));
      const res = await t.client.request('GET', cmPath(t.ns, 'yml'), { accept: 'application/yaml' });
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^application\/yaml/);
      expect(parseYaml(res.text)).toMatchObject({
        kind: 'ConfigMap',
        metadata: { uid: made.metadata.uid },
        data: { k: 'v' },
      });
    },
  );

  // Errors are negotiated too: a YAML client gets a YAML Status.
  conformanceCase('neg-error-yaml', 'a 404 with Accept application/yaml → a YAML Status', async () => {
    const res = await t.client.request('GET', cmPath(t.ns, 'absent'), { accept: 'application/yaml' });
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toMatch(/^application\/yaml/);
    expect(parseYaml(res.text)).toMatchObject({ kind: 'Status', reason: 'NotFound', code: 404 });
  });

  // Built-in kinds are also served as protobuf (client-go's default for them).
  conformanceCase(
    'neg-accept-protobuf',
    'GET of a ConfigMap with Accept application/vnd.kubernetes.protobuf → protobuf body with the k8s magic prefix',
    async () => {
      await create(t, cmPath(t.ns), configMap('pb', { k: 'v' }));
      const res = await t.client.request('GET', cmPath(t.ns, 'pb'), {
        accept: 'application/vnd.kubernetes.protobuf',
      });
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^application\/vnd\.kubernetes\.protobuf/);
      expect(res.text.startsWith('k8s\u0000')).toBe(true);
    },
  );

  // A list of acceptable types with JSON as fallback picks JSON when the first is unsupported.
  conformanceCase(
    'neg-accept-fallback',
    'Accept "text/html, application/json;q=0.9" → 200 JSON',
    async () => {
      await create(t, cmPath(t.ns), configMap('fb'));
      const res = await t.client.request('GET', cmPath(t.ns, 'fb'), {
        accept: 'text/html, application/json;q=0.9',
      });
      expect(res.status).toBe(200);
      expect(res.json.kind).toBe('ConfigMap');
    },
  );

  // Nothing acceptable → 406 NotAcceptable. Verified against kube-apiserver v1.37.2: go-restful answers
  // before the API handler, so the message is its own, not negotiation's "only the following media types".
  conformanceCase(
    'neg-not-acceptable-406',
    'Accept text/html only → 406 NotAcceptable `406: Not Acceptable\\n\\nAvailable representations: application/json, application/yaml, application/vnd.kubernetes.protobuf`',
    async () => {
      await create(t, cmPath(t.ns), configMap('na'));
      const res = await t.client.request('GET', cmPath(t.ns, 'na'), { accept: 'text/html' });
      expectStatus(res, {
        code: 406,
        reason: 'NotAcceptable',
        message:
          '406: Not Acceptable\n\nAvailable representations: application/json, application/yaml, application/vnd.kubernetes.protobuf',
        details: {},
      });
    },
  );

  // Custom resources have no protobuf: they are JSON (and YAML) only.
  conformanceCase(
    'neg-cr-no-protobuf',
    'GET of a CR with Accept protobuf, json fallback → JSON',
    async () => {
      const c = await crd();
      await create(t, c.path(t.ns), widget(c, 'np', { replicas: 1 }));
      const res = await t.client.request('GET', c.path(t.ns, 'np'), {
        accept: 'application/vnd.kubernetes.protobuf, application/json',
      });
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.json.kind).toBe('Widget');
    },
  );

  // Creating with a YAML body and reading YAML back.
  conformanceCase('neg-create-cr-yaml', 'POST of a CR as application/yaml → 201', async () => {
    const c = await crd();
    const body = `apiVersion: ${c.group}/v1\nkind: Widget\nmetadata:\n  name: y1\nspec:\n  replicas: 2\n`;
    const res = await t.client.request('POST', c.path(t.ns), { body, contentType: 'application/yaml' });
    expect(res.status).toBe(201);
    expect(res.json.spec.replicas).toBe(2);
  });

  // Unknown content type on a CR create → 415 listing json and yaml.
  conformanceCase(
    'neg-cr-bad-content-type-415',
    'POST of a CR as text/plain → 415 UnsupportedMediaType',
    async () => {
      const c = await crd();
      const res = await t.client.request('POST', c.path(t.ns), {
        body: JSON.stringify(widget(c, 'tp')),
        contentType: 'text/plain',
      });
      expectStatus(res, {
        code: 415,
        reason: 'UnsupportedMediaType',
        message:
          /^the body of the request was in an unknown format - accepted media types include: application\/json, application\/yaml/,
      });
    },
  );
});
