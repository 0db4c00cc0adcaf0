/**
 * Chooses the one operator a command works on among a module's exports: the only one exported, or
 * the one `--operator <name>` names. Start with {@link pickOperator}.
 */
import type { OperatorDefinition } from '@steward/core';
import { CliError } from '../cliError.js';
import { discover } from '../load/discover.js';

/** The operator `module` exports (or the one named `name`); a `CliError` saying what to do otherwise. */
export function pickOperator(
  command: string,
  module: string,
  exports: Record<string, unknown>,
  name?: string,
): OperatorDefinition {
  const { operators } = discover(exports);
  const names = operators.map((o) => o.name).join(', ');
  if (operators.length === 0)
    throw new CliError(
      'CLI_NO_OPERATOR',
      `${command}: ${module} exports no operator; export one made with defineOperator({ name, resources, setup }) from @steward/core`,
    );
  if (name !== undefined) {
    const named = operators.find((o) => o.name === name);
    if (!named)
      throw new CliError(
        'CLI_NO_OPERATOR',
        `${command}: ${module} exports no operator named ${JSON.stringify(name)}; it exports ${names}`,
      );
    return named;
  }
  const [only, ...others] = operators;
  if (only === undefined || others.length > 0)
    throw new CliError(
      'CLI_MANY_OPERATORS',
      `${command}: ${module} exports ${operators.length} operators (${names}); pick one with --operator <name>`,
    );
  return only;
}
