/**
 * Reads CustomResourceDefinitions from a YAML file or a directory of them, checking each document is
 * a CRD with a schema per version before any type is generated. Start with {@link readCrds}.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { CustomResourceDefinition } from '@steward/core';
import { parseAllDocuments } from 'yaml';
import { CliError } from '../cliError.js';

/** A CRD and the file it came from (for messages and generated headers). */
export interface CrdSource {
  file: string;
  crd: CustomResourceDefinition;
}

const YAML_FILE = /\.ya?ml$/;

/**
 * Every CRD in `path`: one file (several documents allowed) or every `.yaml`/`.yml` file directly in
 * a directory, in name order. Throws a `CliError` naming the file for a missing path, invalid YAML
 * (with line and column), a document that is not a CRD, or a version without a schema.
 */
export function readCrds(path: string): CrdSource[] {
  let files: string[];
  try {
    files = statSync(path).isDirectory()
      ? readdirSync(path)
          .filter((f) => YAML_FILE.test(f))
          .sort()
          .map((f) => join(path, f))
      : [path];
  } catch {
    throw new CliError(
      'CLI_CRD_FILE',
      `${path}: no such file or directory; pass a CRD YAML file or a directory of them`,
    );
  }
  if (files.length === 0)
    throw new CliError(
      'CLI_CRD_FILE',
      `${path}: no .yaml or .yml files in this directory; pass a CRD file or its directory`,
    );
  return files.flatMap(readFile);
}

function readFile(file: string): CrdSource[] {
  const documents = parseAllDocuments(readFileSync(file, 'utf8'), { prettyErrors: true });
  const sources: CrdSource[] = [];
  for (const doc of documents) {
    const error = doc.errors[0];
    if (error) {
      const at = error.linePos?.[0];
      const where = at ? `${file}:${at.line}:${at.col}` : file;
      throw new CliError(
        'CLI_CRD_YAML',
        `${where}: invalid YAML: ${(error.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '')}`,
      );
    }
    const value: unknown = doc.toJS();
    if (value === null || value === undefined) continue; // an empty document, as `---` at the end leaves
    sources.push({ file, crd: checkCrd(file, value) });
  }
  if (sources.length === 0)
    throw new CliError('CLI_CRD_FILE', `${file}: the file is empty; expected a CustomResourceDefinition`);
  return sources;
}

function checkCrd(file: string, value: unknown): CustomResourceDefinition {
  const object = (typeof value === 'object' && !Array.isArray(value) ? value : {}) as Record<string, unknown>;
  const kind = object['kind'];
  if (kind !== 'CustomResourceDefinition')
    throw new CliError(
      'CLI_NOT_A_CRD',
      `${file}: kind is ${typeof kind === 'string' ? kind : 'missing'}, not CustomResourceDefinition`,
    );
  if (object['apiVersion'] !== 'apiextensions.k8s.io/v1')
    throw new CliError(
      'CLI_NOT_A_CRD',
      `${file}: apiVersion is ${String(object['apiVersion'])}; only apiextensions.k8s.io/v1 CRDs are read (convert older ones first)`,
    );
  // Checked through loose types: the file is untrusted input, whatever the CRD type promises.
  const metadata = object['metadata'] as { name?: unknown } | undefined;
  const name = typeof metadata?.name === 'string' ? metadata.name : '(unnamed)';
  const spec = object['spec'] as
    { names?: { kind?: unknown; plural?: unknown }; versions?: unknown } | undefined;
  const versions = spec?.versions;
  if (
    typeof spec?.names?.kind !== 'string' ||
    typeof spec.names.plural !== 'string' ||
    !Array.isArray(versions)
  )
    throw new CliError(
      'CLI_NOT_A_CRD',
      `${file}: CRD ${name}: spec.names.kind, spec.names.plural and spec.versions are required`,
    );
  for (const version of versions as { name?: unknown; schema?: { openAPIV3Schema?: unknown } }[]) {
    if (typeof version.schema?.openAPIV3Schema !== 'object' || version.schema.openAPIV3Schema === null)
      throw new CliError(
        'CLI_CRD_NO_SCHEMA',
        `${file}: CRD ${name} version ${String(version.name)} has no schema.openAPIV3Schema; types come from the schema, so add one (kubebuilder and crdFor always write it)`,
      );
  }
  const crd = value as CustomResourceDefinition;
  return crd;
}
