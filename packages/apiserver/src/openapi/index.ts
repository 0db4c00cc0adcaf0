/**
 * The OpenAPI documents of the served resources: Swagger 2.0 (`GET /openapi/v2`), the OpenAPI 3 index
 * (`GET /openapi/v3`) and one OpenAPI 3 document per group-version (`GET /openapi/v3/apis/<g>/<v>`).
 * They carry what `kubectl apply` and `kubectl explain` read: definitions named like the real server's
 * (reversed group for CRDs), `x-kubernetes-group-version-kind`, `$ref`s to ObjectMeta, and PATCH operations
 * that take `fieldValidation`. Start with {@link openApiV3GroupVersion}.
 */
import { createHash } from 'node:crypto';
import type { ResourceInfo } from '../registry/types.js';
import { kindDefinitions, metaDefinitions } from './definitions.js';
import { resourcePaths } from './paths.js';

export { definitionName } from './definitions.js';

type Json = Record<string, unknown>;

const V2_PREFIX = '#/definitions/';
const V3_PREFIX = '#/components/schemas/';

/** Resources whose schema is published: the storage version of a kind wins over others of the same GVK. */
function unique(resources: ResourceInfo[]): ResourceInfo[] {
  const seen = new Map<string, ResourceInfo>();
  for (const r of resources) {
    const key = `${r.group}/${r.version}/${r.kind}`;
    if (!seen.has(key)) seen.set(key, r);
  }
  return [...seen.values()];
}

/** Swagger 2.0 document (`GET /openapi/v2`) with a definition per resource kind and its paths. */
export function openApiV2(resources: ResourceInfo[]): Record<string, unknown> {
  const definitions: Record<string, Json> = { ...metaDefinitions(V2_PREFIX, false) };
  const paths: Record<string, Json> = {};
  for (const r of unique(resources)) {
    Object.assign(definitions, kindDefinitions(r, V2_PREFIX, false));
    Object.assign(paths, resourcePaths(r, V2_PREFIX, false));
  }
  return {
    swagger: '2.0',
    info: { title: 'Kubernetes', version: 'v1.32.0' },
    paths,
    definitions,
    securityDefinitions: {
      BearerToken: {
        type: 'apiKey',
        in: 'header',
        name: 'authorization',
        description: 'Bearer Token authentication',
      },
    },
    security: [{ BearerToken: [] }],
  };
}

function groupVersionKey(r: Pick<ResourceInfo, 'group' | 'version'>): string {
  return r.group === '' ? `api/${r.version}` : `apis/${r.group}/${r.version}`;
}

/** `GET /openapi/v3/apis/<g>/<v>` (or `api/v1`): an OpenAPI 3.0 document with components.schemas per kind. */
export function openApiV3GroupVersion(
  resources: ResourceInfo[],
  group: string,
  version: string,
): Record<string, unknown> {
  const schemas: Record<string, Json> = { ...metaDefinitions(V3_PREFIX, true) };
  const paths: Record<string, Json> = {};
  for (const r of unique(resources)) {
    if (r.group !== group || r.version !== version) continue;
    Object.assign(schemas, kindDefinitions(r, V3_PREFIX, true));
    Object.assign(paths, resourcePaths(r, V3_PREFIX, true));
  }
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: 'v1.32.0' },
    paths,
    components: {
      schemas,
      securitySchemes: {
        BearerToken: {
          type: 'apiKey',
          in: 'header',
          name: 'authorization',
          description: 'Bearer Token authentication',
        },
      },
    },
  };
}

/** `GET /openapi/v3`: one entry per served group-version, its URL carrying a hash of that document. */
export function openApiV3Index(resources: ResourceInfo[]): Record<string, unknown> {
  const gvs = new Map<string, { group: string; version: string }>();
  for (const r of resources) gvs.set(groupVersionKey(r), { group: r.group, version: r.version });
  const paths: Record<string, Json> = {};
  for (const [key, gv] of [...gvs.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const hash = createHash('sha512')
      .update(JSON.stringify(openApiV3GroupVersion(resources, gv.group, gv.version)))
      .digest('hex')
      .toUpperCase();
    paths[key] = { serverRelativeURL: `/openapi/v3/${key}?hash=${hash}` };
  }
  return { paths };
}
