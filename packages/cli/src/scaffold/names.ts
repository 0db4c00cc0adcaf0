/**
 * The names a scaffolded operator is built from, checked and derived from `steward new`'s input:
 * group, kind, version and the directory. Start with {@link scaffoldNames}.
 */
import { basename } from 'node:path';
import { pluralize } from '@steward/core';
import { CliError } from '../cliError.js';

export interface ScaffoldNames {
  /** The package and operator name (the directory's name): kebab-case, names Kubernetes objects. */
  name: string;
  group: string;
  version: string;
  /** UpperCamelCase, e.g. `DatabaseBackup`. */
  kind: string;
  /** lowerCamelCase kind: file names and variables (`databaseBackup`). */
  kindFile: string;
  /** Lower-case plural as the CRD names it (`databasebackups`). */
  plural: string;
  /** Lower-case singular (`databasebackup`). */
  singular: string;
  /** lowerCamelCase plural for a variable holding the resource reference (`databaseBackups`). */
  pluralCamel: string;
  /** The operator's export in `src/operator.ts` (`databaseBackupOperator`). */
  operatorExport: string;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const KIND = /^[A-Z][a-zA-Z0-9]*$/;
const VERSION = /^v[1-9][0-9]*((alpha|beta)[1-9][0-9]*)?$/;
const OPERATOR_NAME = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
// The generated code names a variable after the kind (`widget`) and imports these names: a kind that
// lower-cases to a JavaScript reserved word, or equals one of them, would not compile.
const RESERVED = new Set(
  (
    'break case catch class const continue debugger default delete do else enum export extends false finally ' +
    'for function if implements import in instanceof interface let new null package private protected public ' +
    'return static super switch this throw true try typeof var void while with yield await arguments eval ' +
    'namespace env manager ready gone get configMap configMapName alreadyGone'
  ).split(' '),
);
const TAKEN_KINDS = new Set(
  'Condition Conditions ConfigMap Controller ContextOf CustomResource Description KubeObject NotFoundError PrinterColumn TestEnv Type Namespace'.split(
    ' ',
  ),
);

function invalid(what: string, message: string): CliError {
  return new CliError('NEW_INVALID_INPUT', `steward new: ${what} ${message}`);
}

/** Checks the input and derives every name; throws a `CliError` naming the bad value and the fix. */
export function scaffoldNames(input: {
  dir: string;
  group: string;
  kind: string;
  version: string;
}): ScaffoldNames {
  const { group, kind, version } = input;
  const labels = group.split('.');
  if (group.length > 253 || labels.length < 2 || !labels.every((l) => l.length <= 63 && DNS_LABEL.test(l)))
    throw invalid(
      `--group ${JSON.stringify(group)}`,
      'must be a DNS subdomain with at least one dot (lower-case letters, digits, "-" and "."), e.g. example.com or databases.acme.io',
    );
  if (!KIND.test(kind) || kind.length > 63)
    throw invalid(
      `--kind ${JSON.stringify(kind)}`,
      'must be UpperCamelCase: a capital letter, then letters and digits, e.g. Widget or DatabaseBackup',
    );
  if (!VERSION.test(version))
    throw invalid(
      `--version ${JSON.stringify(version)}`,
      'must be a Kubernetes API version such as v1, v1beta1 or v1alpha1',
    );
  const name = basename(input.dir);
  if (name.length > 52 || !OPERATOR_NAME.test(name))
    throw invalid(
      `directory name ${JSON.stringify(name)}`,
      'must be lower-case kebab-case, at most 52 characters (it names the package and the operator’s Kubernetes objects), e.g. widget-operator',
    );
  const kindFile = kind.charAt(0).toLowerCase() + kind.slice(1);
  if (RESERVED.has(kindFile) || TAKEN_KINDS.has(kind))
    throw invalid(
      `--kind ${JSON.stringify(kind)}`,
      'clashes with a name the generated code uses (a JavaScript keyword or a Kubernetes or Steward type); choose a more specific kind, e.g. AppConfig',
    );
  const singular = kind.toLowerCase();
  return {
    name,
    group,
    version,
    kind,
    kindFile,
    plural: pluralize(singular),
    singular,
    pluralCamel: pluralize(kindFile),
    operatorExport: `${kindFile}Operator`,
  };
}
