/**
 * TypeScript for one version of a CRD: `<Kind>`, `<Kind>Spec` and `<Kind>Status` interfaces from its
 * OpenAPI schema (through json-schema-to-typescript) and a `ResourceRef` for the client. Start with
 * {@link typesFor}; {@link toJsonSchema} maps the Kubernetes extensions onto plain JSON Schema.
 */
import { basename } from 'node:path';
import type { CustomResourceDefinition, JSONSchemaProps } from '@steward/core';
import { compile } from 'json-schema-to-typescript';
import type { JSONSchema } from 'json-schema-to-typescript';

/** The generated module of one CRD version. */
export interface GeneratedTypes {
  /** `<kind>.<version>.ts`, the kind with a lower-case first letter: `kafkaTopic.v1beta2.ts`. */
  file: string;
  text: string;
}

/**
 * Plain JSON Schema for json-schema-to-typescript, the Kubernetes extensions resolved:
 * `x-kubernetes-int-or-string` → `number | string`; `x-kubernetes-preserve-unknown-fields` → an index
 * signature `[k: string]: unknown` beside any declared properties (`unknown` when there is no type);
 * `x-kubernetes-embedded-resource` → `apiVersion`, `kind` and `metadata` (an `ObjectMeta`); `nullable`
 * → `| null`. Objects are otherwise closed: the API server prunes fields the schema does not declare.
 */
export function toJsonSchema(node: JSONSchemaProps): JSONSchema {
  const { nullable, ...rest } = node;
  const schema = convert(rest);
  return nullable === true
    ? { description: schema.description, anyOf: [stripDescription(schema), { type: 'null' }] }
    : schema;
}

function stripDescription(schema: JSONSchema): JSONSchema {
  const { description: _, ...rest } = schema;
  return rest;
}

function convert(node: JSONSchemaProps): JSONSchema {
  const description = node.description === undefined ? {} : { description: node.description };
  if (node['x-kubernetes-int-or-string'] === true) return { ...description, tsType: 'number | string' };
  const preserve = node['x-kubernetes-preserve-unknown-fields'] === true;
  const embedded = node['x-kubernetes-embedded-resource'] === true;
  if (preserve && node.type === undefined && !embedded) return { ...description, tsType: 'unknown' };
  const out: JSONSchema = { ...description };
  if (node.type !== undefined) out.type = node.type;
  if (node.enum !== undefined) out.enum = node.enum as JSONSchema['enum'];
  if (node.items !== undefined) out.items = toJsonSchema(node.items);
  if (node.anyOf !== undefined) out.anyOf = node.anyOf.map(toJsonSchema);
  if (node.oneOf !== undefined) out.oneOf = node.oneOf.map(toJsonSchema);
  // allOf/not in a structural schema only add validation, never shape: leaving them out keeps the type.
  const properties: Record<string, JSONSchema> = {};
  for (const [key, value] of Object.entries(node.properties ?? {})) properties[key] = toJsonSchema(value);
  const required = [...(node.required ?? [])];
  if (embedded) {
    properties['apiVersion'] ??= { type: 'string' };
    properties['kind'] ??= { type: 'string' };
    properties['metadata'] = {
      ...(properties['metadata']?.description === undefined
        ? {}
        : { description: properties['metadata'].description }),
      tsType: 'ObjectMeta',
    };
    for (const key of ['apiVersion', 'kind']) if (!required.includes(key)) required.push(key);
  }
  if (Object.keys(properties).length > 0) out.properties = properties;
  if (required.length > 0) out.required = required;
  if (typeof node.additionalProperties === 'object')
    out.additionalProperties = toJsonSchema(node.additionalProperties);
  else if (preserve || node.additionalProperties === true) {
    out.type = 'object';
    out.additionalProperties = true;
  }
  return out;
}

/** Whether any node (at any depth) is an embedded resource, so the module needs `ObjectMeta`. */
function hasEmbedded(node: JSONSchemaProps): boolean {
  if (node['x-kubernetes-embedded-resource'] === true) return true;
  const children = [
    ...Object.values(node.properties ?? {}),
    ...(node.items ? [node.items] : []),
    ...(typeof node.additionalProperties === 'object' ? [node.additionalProperties] : []),
    ...(node.anyOf ?? []),
    ...(node.oneOf ?? []),
  ];
  return children.some(hasEmbedded);
}

const OPTIONS = {
  bannerComment: '',
  additionalProperties: false,
  unknownAny: true,
  // maxItems would turn arrays into tuples of every length up to it.
  ignoreMinAndMaxItems: true,
  format: true,
  style: { singleQuote: true, printWidth: 110, trailingComma: 'all' as const },
};

/** A JavaScript identifier from a plural (`kafkatopics` stays; `pod-monitors` → `podMonitors`). */
function constantName(plural: string): string {
  const name = plural.replace(/[-.]([a-z0-9])/g, (_, c: string) => c.toUpperCase());
  return /^[0-9]/.test(name) ? `_${name}` : name;
}

/** The module for version `version` of `crd`; `source` names the CRD file in the header. */
export async function typesFor(
  crd: CustomResourceDefinition,
  version: string,
  source: string,
): Promise<GeneratedTypes> {
  const { group, names, scope } = crd.spec;
  const { kind, plural } = names;
  const served = crd.spec.versions.find((v) => v.name === version);
  if (!served) throw new Error(`typesFor: CRD ${crd.metadata.name} has no version ${version}`);
  const root = served.schema.openAPIV3Schema;
  const { apiVersion: _a, kind: _k, metadata: _m, ...fields } = root.properties ?? {};
  const parts: string[] = [];
  const refs: Record<string, JSONSchema> = {};
  for (const [field, suffix] of [
    ['spec', 'Spec'],
    ['status', 'Status'],
  ] as const) {
    const schema = fields[field];
    if (schema === undefined) continue;
    const name = `${kind}${suffix}`;
    const compiled = toJsonSchema(schema);
    const nullable = schema.nullable === true ? ' | null' : '';
    parts.push(await compile({ ...stripNullable(compiled), title: name }, name, OPTIONS));
    refs[field] = {
      ...(schema.description === undefined ? {} : { description: schema.description }),
      tsType: `${name}${nullable}`,
    };
  }
  const rootSchema: JSONSchema = toJsonSchema({ ...root, properties: {} });
  const rest: Record<string, JSONSchema> = {};
  for (const [key, value] of Object.entries(fields)) rest[key] = refs[key] ?? toJsonSchema(value);
  const kindSchema: JSONSchema = { ...rootSchema, type: 'object', title: kind, properties: rest };
  if (rootSchema.tsType !== undefined) delete kindSchema.tsType;
  const required = (root.required ?? []).filter((r) => r in rest);
  if (required.length > 0) kindSchema.required = required;
  else delete kindSchema.required;
  if (root['x-kubernetes-preserve-unknown-fields'] === true) kindSchema.additionalProperties = true;
  const kindText = (await compile(kindSchema, kind, OPTIONS)).replace(
    `export interface ${kind} {`,
    `export interface ${kind} extends KubeObject {`,
  );
  const apiVersion = `${group}/${version}`;
  const constant = constantName(plural);
  const header = [
    `// Generated by \`steward types generate\` from ${basename(source)}: the CRD ${crd.metadata.name},`,
    `// ${apiVersion} ${kind}. Do not edit: generate again when the CRD changes.`,
    "import { refFor } from '@steward/core';",
    `import type { KubeObject${hasEmbedded(root) ? ', ObjectMeta' : ''}, ResourceRef } from '@steward/core';`,
    '',
  ].join('\n');
  const args = [`'${apiVersion}'`, `'${kind}'`, `'${plural}'`, String(scope === 'Namespaced')];
  const call = `export const ${constant}: ResourceRef = refFor(${args.join(', ')});`;
  const ref = [
    `/** ${kind} ${version} for the client: \`client.get<${kind}>(${constant}, name${scope === 'Namespaced' ? ', { namespace }' : ''})\`. */`,
    // Wrapped as prettier would, so the module passes a formatter check as generated.
    call.length <= 110
      ? call
      : `export const ${constant}: ResourceRef = refFor(\n${args.map((a) => `  ${a},\n`).join('')});`,
    '',
  ].join('\n');
  const file = `${kind.charAt(0).toLowerCase()}${kind.slice(1)}.${version}.ts`;
  return { file, text: [header, kindText, ...parts, ref].join('\n') };
}

/** A nullable spec or status keeps its interface; the `| null` goes on the `<Kind>` field instead. */
function stripNullable(schema: JSONSchema): JSONSchema {
  const first = schema.anyOf?.[0];
  return schema.anyOf?.length === 2 && schema.anyOf[1]?.type === 'null' && first
    ? { ...first, description: schema.description }
    : schema;
}
