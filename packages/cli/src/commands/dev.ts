/**
 * `steward dev <module>`: runs an operator locally against the embedded API server, with the cluster
 * simulation, and prints a kubeconfig for kubectl plus the health and metrics URLs; Ctrl-C stops it
 * all. Start with {@link startDev}; {@link register} wires it into the program.
 */
import { copyFile, mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { manager, textLogger } from '@steward/core';
import type { Manager, OperatorDefinition } from '@steward/core';
import type { TestEnv } from '@steward/testing';
import type { Command } from 'commander';
import { CliError } from '../cliError.js';
import { loadModule } from '../load/loadModule.js';
import { pickOperator } from '../manifests/pickOperator.js';
import type { ProgramIO } from '../program.js';

export interface DevOptions {
  /** Which operator, when the module exports several. */
  operator?: string;
  /** Also write the kubeconfig here (kept after the session; the default copy is removed). */
  kubeconfig?: string;
  /** Run the cluster simulation (kubelet, StatefulSets, volumes, GC…). Default true. */
  simulate?: boolean;
}

/** A running `steward dev` session. */
export interface DevSession {
  readonly operator: OperatorDefinition;
  readonly env: TestEnv;
  readonly manager: Manager;
  /** The kubeconfig to use with kubectl. */
  readonly kubeconfigPath: string;
  readonly healthUrl: string;
  readonly metricsUrl: string;
  /** Stops the operator (running reconciles finish), then the simulation and the server. Idempotent. */
  stop(): Promise<void>;
}

/**
 * Starts the embedded server with the operator's CRDs (and the simulation), runs the operator's
 * `setup` on a manager with health probes and metrics on free loopback ports, and starts it.
 */
export async function startDev(module: string, options: DevOptions, io: ProgramIO): Promise<DevSession> {
  const operator = pickOperator('dev', module, await loadModule(module), options.operator);
  // Loaded here, not at the top: the server and the simulation are big, and every other command (and
  // `steward --version`) would pay for them at start-up.
  const { startTestEnv } = await import('@steward/testing');
  // The embedded server always: STEWARD_TEST_KUBECONFIG must not turn a dev run into a cluster run.
  const env = await startTestEnv({
    target: 'embedded',
    crds: operator.resources,
    simulate: options.simulate ?? true,
  });
  let m: Manager | undefined;
  try {
    let kubeconfigPath = env.kubeconfigPath;
    if (options.kubeconfig !== undefined) {
      kubeconfigPath = resolve(options.kubeconfig);
      await mkdir(dirname(kubeconfigPath), { recursive: true });
      await copyFile(env.kubeconfigPath, kubeconfigPath);
    }
    m = manager({
      kubeConfig: env.kubeConfig,
      leaderElection: false,
      healthProbe: { port: 0, host: '127.0.0.1' },
      metrics: { port: 0, host: '127.0.0.1' },
      log: textLogger({ stream: { write: (line: string) => io.out(line) } }),
      shutdownTimeoutMs: 10_000,
    });
    try {
      await operator.setup(m);
    } catch (e) {
      throw new CliError(
        'CLI_SETUP_FAILED',
        `dev: operator ${operator.name}: setup() threw: ${e instanceof Error ? e.message : String(e)}`,
        { cause: e },
      );
    }
    await m.start();
    const started = m;
    let stopping: Promise<void> | undefined;
    return {
      operator,
      env,
      manager: started,
      kubeconfigPath,
      healthUrl: started.healthUrl ?? '',
      metricsUrl: started.metricsUrl ?? '',
      stop: () =>
        (stopping ??= (async () => {
          try {
            await started.stop();
          } finally {
            await env.stop();
          }
        })()),
    };
  } catch (e) {
    try {
      await m?.stop();
    } finally {
      await env.stop();
    }
    throw e;
  }
}

/** Resolves with the signal's name on the first SIGINT or SIGTERM, removing both listeners. */
function untilInterrupted(): Promise<string> {
  return new Promise((resolveWith) => {
    const done = (why: string) => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      resolveWith(why);
    };
    const onInt = () => done('SIGINT');
    const onTerm = () => done('SIGTERM');
    process.on('SIGINT', onInt);
    process.on('SIGTERM', onTerm);
  });
}

export function register(program: Command, io: ProgramIO): void {
  program
    .command('dev')
    .description(
      'run an operator against the embedded API server with the cluster simulation, printing a kubeconfig for kubectl',
    )
    .argument('<module>', 'the .ts or .js module exporting a defineOperator() value')
    .option('--operator <name>', 'which operator, when the module exports several')
    .option('--kubeconfig <path>', 'also write the kubeconfig here (default: a temporary file)')
    .option('--no-simulate', 'no cluster simulation: no Pods scheduled or run, no garbage collection')
    .action(async (module: string, options: DevOptions) => {
      const session = await startDev(module, options, io);
      const { operator, kubeconfigPath, healthUrl, metricsUrl } = session;
      const simulation = options.simulate === false ? 'off' : 'on';
      io.out(
        [
          `steward dev: ${operator.name} is running on the embedded API server (simulation ${simulation})`,
          `export KUBECONFIG=${kubeconfigPath}`,
          `health:  ${healthUrl}/healthz ${healthUrl}/readyz`,
          `metrics: ${metricsUrl}/metrics`,
          'press Ctrl-C to stop',
          '',
        ].join('\n'),
      );
      const why = await untilInterrupted();
      io.out(`steward dev: ${why}, stopping ${operator.name}\n`);
      await session.stop();
      io.out('steward dev: stopped\n');
    });
}
