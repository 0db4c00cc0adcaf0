/**
 * `steward types generate <crd.yaml|dir> --out <dir>`: TypeScript types for anyone's CRDs, one module
 * per CRD version, ready for `client.get<Kind>(ref, …)`. Start with {@link generateTypes}; the schema
 * mapping is `typegen/typesFor.ts`.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import { CliError } from '../cliError.js';
import { readCrds } from '../typegen/readCrds.js';
import { typesFor } from '../typegen/typesFor.js';
import type { GeneratedTypes } from '../typegen/typesFor.js';
import type { ProgramIO } from '../program.js';

/** The modules for every served version of every CRD in `path` (a file or a directory). */
export async function generateTypes(path: string): Promise<GeneratedTypes[]> {
  const out = new Map<string, { generated: GeneratedTypes; crd: string }>();
  for (const { file, crd } of readCrds(path)) {
    for (const version of crd.spec.versions) {
      if (!version.served) continue; // the API serves no objects of it
      const generated = await typesFor(crd, version.name, file);
      const clash = out.get(generated.file);
      if (clash)
        throw new CliError(
          'CLI_TYPES_CLASH',
          `${file}: CRD ${crd.metadata.name} and CRD ${clash.crd} would both write ${generated.file}; generate them into different directories`,
        );
      out.set(generated.file, { generated, crd: crd.metadata.name });
    }
  }
  return [...out.values()].map((v) => v.generated).sort((a, b) => a.file.localeCompare(b.file));
}

export function register(program: Command, io: ProgramIO): void {
  const types = program.command('types').description('TypeScript types from CustomResourceDefinitions');
  types
    .command('generate')
    .description(
      'write <kind>.<version>.ts for every served version of each CRD: <Kind>, <Kind>Spec, <Kind>Status and a ResourceRef',
    )
    .argument('<crds>', 'a CRD YAML file (several documents allowed) or a directory of them')
    .requiredOption('-o, --out <dir>', 'directory to write the modules into (created if missing)')
    .action(async (crds: string, options: { out: string }) => {
      const modules = await generateTypes(crds);
      await mkdir(options.out, { recursive: true });
      for (const m of modules) {
        await writeFile(join(options.out, m.file), m.text);
        io.out(`wrote ${join(options.out, m.file)}\n`);
      }
    });
}
