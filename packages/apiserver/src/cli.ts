/**
 * `steward-apiserver`: runs the embedded API server as a process, for kubectl sessions, demos and tests
 * in other languages. Prints one line `listening on http://HOST:PORT` on stdout when ready; SIGINT and
 * SIGTERM stop it cleanly.
 */
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { stringify } from 'yaml';
import { startApiServer } from './apiServer.js';

const USAGE = `Usage: steward-apiserver [--port N] [--host ADDR] [--kubeconfig PATH]

An embedded Kubernetes API server (in memory, no controllers, no authentication).

Options:
  --port N           TCP port; 0 picks a free one (default 0)
  --host ADDR        address to listen on (default 127.0.0.1; keep it on loopback)
  --kubeconfig PATH  write a kubeconfig for kubectl and client-node to PATH
  -h, --help         show this help
`;

export interface CliOptions {
  port: number;
  host: string;
  kubeconfig?: string;
}

/** Parses the command line; throws an Error whose message says what is wrong and what to do. */
export function parseCli(argv: string[]): CliOptions | 'help' {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string', default: '0' },
      host: { type: 'string', default: '127.0.0.1' },
      kubeconfig: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) return 'help';
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`--port must be an integer from 0 to 65535 (0 picks a free port), got "${values.port}"`);
  }
  const options: CliOptions = { port, host: values.host };
  if (values.kubeconfig !== undefined) options.kubeconfig = values.kubeconfig;
  return options;
}

export async function main(argv: string[]): Promise<number> {
  let options: CliOptions | 'help';
  try {
    options = parseCli(argv);
  } catch (e) {
    process.stderr.write(`steward-apiserver: ${e instanceof Error ? e.message : String(e)}\n\n${USAGE}`);
    return 2;
  }
  if (options === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  const server = await startApiServer({ port: options.port, host: options.host });
  if (options.kubeconfig) await writeFile(options.kubeconfig, stringify(server.kubeConfig), { mode: 0o600 });
  process.stdout.write(`listening on ${server.url}\n`);
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await server.stop();
  return 0;
}
