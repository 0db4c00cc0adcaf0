/**
 * The `steward` command line: one commander program whose subcommands (scaffolding, CRD and type
 * generation, manifests, dev runs) arrive with the CLI issue. Start with {@link createProgram}.
 */
import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { reportError } from './cliError.js';
import { register as registerNew } from './commands/new.js';
import { register as registerCrd } from './commands/crd.js';
import { register as registerTypes } from './commands/types.js';
import { register as registerManifests } from './commands/manifests.js';
import { register as registerDev } from './commands/dev.js';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

export interface ProgramIO {
  out: (text: string) => void;
  err: (text: string) => void;
}

/** Builds the program; `io` lets tests capture output instead of writing to the terminal. */
export function createProgram(
  io: ProgramIO = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) },
): Command {
  const program = new Command('steward')
    .description('Steward: build, test and run Kubernetes operators for data systems')
    .version(pkg.version, '-v, --version', 'print the steward version')
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .showHelpAfterError('(run steward --help for usage)')
    .exitOverride();
  registerNew(program, io);
  registerCrd(program, io);
  registerTypes(program, io);
  registerManifests(program, io);
  registerDev(program, io);
  return program;
}

/** Runs the program on `argv` (without node and script), returning the exit code. */
export async function run(argv: string[], io?: ProgramIO): Promise<number> {
  const program = createProgram(io);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (e) {
    return reportError(e, io?.err ?? ((t) => process.stderr.write(t)));
  }
}
