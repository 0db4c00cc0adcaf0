/**
 * The REST paths and operations of served resources for the OpenAPI documents, with the
 * `x-kubernetes-action` and `x-kubernetes-group-version-kind` extensions kubectl reads (it checks that
 * a kind's PATCH operation takes `fieldValidation` before it relies on server-side field validation).
 * Start with {@link resourcePaths}.
 */
import type { ResourceInfo } from '../registry/types.js';
import { definitionName, META } from './definitions.js';

type Json = Record<string, unknown>;

function query(name: string, description: string, type = 'string'): Json {
  return { name, in: 'query', description, type, uniqueItems: true };
}

const PRETTY = query('pretty', "If 'true', then the output is pretty printed.");
const DRY_RUN = query(
  'dryRun',
  'When present, indicates that modifications should not be persisted. Valid values are: - All: all dry run stages will be processed',
);
const FIELD_MANAGER = query(
  'fieldManager',
  'fieldManager is a name associated with the actor or entity that is making these changes.',
);
const FIELD_VALIDATION = query(
  'fieldValidation',
  'fieldValidation instructs the server on how to handle objects in the request (POST/PUT/PATCH) containing unknown or duplicate fields. Valid values are: Ignore, Warn (default), Strict.',
);
const FORCE = query('force', 'Force is going to "force" Apply requests.', 'boolean');
const LIST_PARAMS = [
  query('allowWatchBookmarks', 'allowWatchBookmarks requests watch events with type "BOOKMARK".', 'boolean'),
  query('continue', 'The continue option should be set when retrieving more results from the server.'),
  query('fieldSelector', 'A selector to restrict the list of returned objects by their fields.'),
  query('labelSelector', 'A selector to restrict the list of returned objects by their labels.'),
  query('limit', 'limit is a maximum number of responses to return for a list call.', 'integer'),
  query(
    'resourceVersion',
    'resourceVersion sets a constraint on what resource versions a request may be served from.',
  ),
  query('timeoutSeconds', 'Timeout for the list/watch call.', 'integer'),
  query(
    'watch',
    'Watch for changes to the described resources and return them as a stream of add, update, and remove notifications.',
    'boolean',
  ),
];

/** Swagger 2.0 parameters become OpenAPI 3 ones (`schema` instead of `type`); bodies become requestBody. */
function v3Param(p: Json): Json {
  const { type, ...rest } = p;
  return { ...rest, schema: { type } };
}

interface Op {
  action: string;
  verb: string;
  params: Json[];
  body?: string[];
  response: string;
  kind?: string;
}

function operation(info: ResourceInfo, op: Op, id: string, prefix: string, v3: boolean): Json {
  const schemaRef = { $ref: `${prefix}${op.response}` };
  const out: Json = {
    operationId: id,
    tags: [`${info.group === '' ? 'core' : (info.group.split('.')[0] ?? '')}_${info.version}`],
    'x-kubernetes-action': op.action,
    'x-kubernetes-group-version-kind': {
      group: info.group,
      version: info.version,
      kind: op.kind ?? info.kind,
    },
  };
  if (v3) {
    out['parameters'] = op.params.map(v3Param);
    if (op.body) {
      out['requestBody'] = {
        content: Object.fromEntries(
          op.body.map((t) => [t, { schema: t === 'application/json' ? schemaRef : { type: 'object' } }]),
        ),
        required: true,
      };
    }
    out['responses'] = {
      '200': {
        description: 'OK',
        content: { 'application/json': { schema: schemaRef }, 'application/yaml': { schema: schemaRef } },
      },
      '401': { description: 'Unauthorized' },
    };
  } else {
    out['consumes'] = op.body ?? ['*/*'];
    out['produces'] = ['application/json', 'application/yaml'];
    out['schemes'] = ['https'];
    out['parameters'] = op.body
      ? [
          ...op.params,
          {
            name: 'body',
            in: 'body',
            required: true,
            schema: op.body[0] === 'application/json' ? schemaRef : { type: 'object' },
          },
        ]
      : op.params;
    out['responses'] = {
      '200': { description: 'OK', schema: schemaRef },
      '401': { description: 'Unauthorized' },
    };
  }
  return out;
}

function pathParams(names: string[], v3: boolean): Json[] {
  return names.map((n) => {
    const p: Json = {
      name: n,
      in: 'path',
      required: true,
      uniqueItems: true,
      description:
        n === 'namespace'
          ? 'object name and auth scope, such as for teams and projects'
          : `name of the ${n === 'name' ? 'object' : n}`,
      type: 'string',
    };
    return v3 ? v3Param(p) : p;
  });
}

/** Paths (collection, item, status) of one resource, for Swagger 2.0 (`v3` false) or OpenAPI 3. */
export function resourcePaths(info: ResourceInfo, prefix: string, v3: boolean): Record<string, Json> {
  const root = info.group === '' ? `/api/${info.version}` : `/apis/${info.group}/${info.version}`;
  const base = info.namespaced ? `${root}/namespaces/{namespace}/${info.plural}` : `${root}/${info.plural}`;
  const def = definitionName(info);
  const listDef = `${def.slice(0, def.length - info.kind.length)}${info.listKind}`;
  const scope = info.namespaced ? 'Namespaced' : '';
  const kindId = info.kind;
  const patchTypes = [
    'application/json-patch+json',
    'application/merge-patch+json',
    'application/apply-patch+yaml',
    ...(info.crdName === undefined ? ['application/strategic-merge-patch+json'] : []),
  ];
  const write = [DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION];
  const paths: Record<string, Json> = {};
  const collection: Json = {
    get: operation(
      info,
      { action: 'list', verb: 'list', params: LIST_PARAMS, response: listDef, kind: info.kind },
      `list${scope}${kindId}`,
      prefix,
      v3,
    ),
    post: operation(
      info,
      { action: 'post', verb: 'create', params: write, body: ['application/json'], response: def },
      `create${scope}${kindId}`,
      prefix,
      v3,
    ),
    delete: operation(
      info,
      {
        action: 'deletecollection',
        verb: 'deletecollection',
        params: LIST_PARAMS.slice(1, 7),
        response: `${META}.Status`,
      },
      `deleteCollection${scope}${kindId}`,
      prefix,
      v3,
    ),
    parameters: [...pathParams(info.namespaced ? ['namespace'] : [], v3), v3 ? v3Param(PRETTY) : PRETTY],
  };
  paths[base] = collection;
  const item = (suffix: string, label: string): Json => ({
    get: operation(
      info,
      { action: 'get', verb: 'get', params: [], response: def },
      `read${scope}${kindId}${label}`,
      prefix,
      v3,
    ),
    put: operation(
      info,
      { action: 'put', verb: 'update', params: write, body: ['application/json'], response: def },
      `replace${scope}${kindId}${label}`,
      prefix,
      v3,
    ),
    patch: operation(
      info,
      { action: 'patch', verb: 'patch', params: [...write, FORCE], body: patchTypes, response: def },
      `patch${scope}${kindId}${label}`,
      prefix,
      v3,
    ),
    ...(suffix === ''
      ? {
          delete: operation(
            info,
            { action: 'delete', verb: 'delete', params: [DRY_RUN], response: `${META}.Status` },
            `delete${scope}${kindId}`,
            prefix,
            v3,
          ),
        }
      : {}),
    parameters: [
      ...pathParams(info.namespaced ? ['name', 'namespace'] : ['name'], v3),
      v3 ? v3Param(PRETTY) : PRETTY,
    ],
  });
  paths[`${base}/{name}`] = item('', '');
  if (info.subresources.status) paths[`${base}/{name}/status`] = item('/status', 'Status');
  if (info.namespaced) {
    paths[`${root}/${info.plural}`] = {
      get: operation(
        info,
        { action: 'list', verb: 'list', params: LIST_PARAMS, response: listDef },
        `list${kindId}ForAllNamespaces`,
        prefix,
        v3,
      ),
      parameters: [v3 ? v3Param(PRETTY) : PRETTY],
    };
  }
  return paths;
}
