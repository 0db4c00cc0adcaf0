/**
 * A real single-node Kafka 4.0 (KRaft, combined broker and controller) on loopback, for testing
 * `kafkaClientAdmin` against the real protocol: the server's jars come from Maven Central through
 * `mvn` into `~/.cache/steward/kafka-4.0.0/lib` (once; `STEWARD_KAFKA_LIB` overrides), the log is
 * formatted at `metadata.version` 3.9-IV0 so raising it can be tested, and `java` runs `kafka.Kafka`.
 * Start with {@link startLocalKafka}; {@link kafkaMissing} says why tests must skip.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';

export const KAFKA_VERSION = '4.0.0';
const CACHE = join(homedir(), '.cache', 'steward', `kafka-${KAFKA_VERSION}`);
export const KAFKA_LIB = process.env['STEWARD_KAFKA_LIB'] ?? join(CACHE, 'lib');

const POM = `<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>dev.steward</groupId><artifactId>kafka-server-jars</artifactId><version>1</version>
  <dependencies>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka_2.13</artifactId><version>${KAFKA_VERSION}</version></dependency>
  </dependencies>
</project>
`;

const has = (command: string, args: string[]): boolean => {
  try {
    execFileSync(command, args, { stdio: 'ignore', timeout: 20_000 });
    return true;
  } catch {
    return false;
  }
};

const jarsPresent = (): boolean =>
  existsSync(KAFKA_LIB) && readdirSync(KAFKA_LIB).some((f) => f.startsWith(`kafka_2.13-${KAFKA_VERSION}`));

/** Why a real Kafka cannot run here (no Java, or no jars and no Maven to fetch them), else undefined. */
export function kafkaMissing(): string | undefined {
  if (!has('java', ['-version'])) return 'no java on PATH (Kafka needs Java 17)';
  if (jarsPresent()) return undefined;
  if (!has('mvn', ['-v'])) return `no Kafka jars in ${KAFKA_LIB} and no mvn to fetch them`;
  return undefined;
}

/** Fetches the server's jars with their runtime dependencies (about a minute cold, then cached). */
function fetchJars(): void {
  if (jarsPresent()) return;
  mkdirSync(CACHE, { recursive: true });
  writeFileSync(join(CACHE, 'pom.xml'), POM);
  execFileSync(
    'mvn',
    ['-q', '-B', 'dependency:copy-dependencies', `-DoutputDirectory=${KAFKA_LIB}`, '-DincludeScope=runtime'],
    { cwd: CACHE, stdio: 'ignore', timeout: 300_000 },
  );
}

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });

export interface LocalKafka {
  bootstrap: string;
  /** Stops the server (its process only) and removes its data. */
  stop(): Promise<void>;
}

/** Starts the server; resolve once its port accepts connections (the caller waits for readiness). */
export async function startLocalKafka(): Promise<LocalKafka> {
  fetchJars();
  const dir = mkdtempSync(join(tmpdir(), 'steward-kafka-'));
  const [clientPort, controllerPort] = [await freePort(), await freePort()];
  const config = join(dir, 'server.properties');
  writeFileSync(
    config,
    [
      'process.roles=broker,controller',
      'node.id=1',
      `controller.quorum.voters=1@127.0.0.1:${controllerPort}`,
      `listeners=PLAINTEXT://127.0.0.1:${clientPort},CONTROLLER://127.0.0.1:${controllerPort}`,
      `advertised.listeners=PLAINTEXT://127.0.0.1:${clientPort}`,
      'controller.listener.names=CONTROLLER',
      'inter.broker.listener.name=PLAINTEXT',
      'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
      `log.dirs=${join(dir, 'data')}`,
      'offsets.topic.replication.factor=1',
      'transaction.state.log.replication.factor=1',
      'transaction.state.log.min.isr=1',
      'group.initial.rebalance.delay.ms=0',
      '',
    ].join('\n'),
  );
  const classpath = `${KAFKA_LIB}/*`;
  const java = (mainClass: string, args: string[]): string =>
    execFileSync('java', ['-cp', classpath, mainClass, ...args], { encoding: 'utf8', timeout: 60_000 });
  // The tool prints the id on its own line (log noise may surround it).
  const clusterId = java('kafka.tools.StorageTool', ['random-uuid'])
    .split('\n')
    .map((line) => line.trim())
    .find((line) => /^[A-Za-z0-9_-]{22}$/.test(line));
  if (clusterId === undefined) throw new Error('kafka-storage random-uuid printed no cluster id');
  java('kafka.tools.StorageTool', ['format', '-t', clusterId, '-c', config, '--release-version', '3.9-IV0']);

  const child: ChildProcess = spawn('java', ['-Xmx512m', '-cp', classpath, 'kafka.Kafka', config], {
    stdio: 'ignore',
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    bootstrap: `127.0.0.1:${clientPort}`,
    async stop() {
      if (child.exitCode === null) child.kill('SIGKILL');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
