/**
 * The demo's live view: one line per data-system resource (phase, readiness, conditions) and the
 * operators' Events as they arrive. In a terminal the resource lines stay at the bottom and are
 * redrawn in place (ANSI cursor moves) while events and step lines scroll above them; elsewhere every
 * change is one plain line. Start with {@link progressView}.
 */
import { builtin, resourceRefOf, sharedInformerFactory } from '@steward/core';
import type { KubeClient, KubeObject, ResourceRef } from '@steward/core';
import { PostgresCluster } from '../../examples/postgres-operator/src/api/postgresCluster.js';
import { PostgresDatabase } from '../../examples/postgres-operator/src/api/postgresDatabase.js';
import { CassandraDatacenter } from '../../examples/cassandra-operator/src/api/cassandraDatacenter.js';
import { KafkaCluster } from '../../examples/kafka-operator/src/api/kafkaCluster.js';
import { KafkaTopic } from '../../examples/kafka-operator/src/api/kafkaTopic.js';

export interface ProgressView {
  /** A line that stays (a step starting or ending): above the live block in a terminal. */
  log(line: string): void;
  stop(): Promise<void>;
}

interface Condition {
  type: string;
  status: string;
  reason?: string;
}
interface Watched {
  metadata: KubeObject['metadata'];
  kind?: string;
  spec?: Record<string, unknown>;
  status?: Record<string, unknown> & { conditions?: Condition[] };
}

const KINDS: { ref: ResourceRef; short: string; system: string; describe: (o: Watched) => string }[] = [
  { ref: resourceRefOf(PostgresCluster), short: 'pgc', system: 'postgres', describe: describeCluster },
  { ref: resourceRefOf(PostgresDatabase), short: 'pgdb', system: 'postgres', describe: () => '' },
  {
    ref: resourceRefOf(CassandraDatacenter),
    short: 'cassdc',
    system: 'cassandra',
    describe: describeDatacenter,
  },
  { ref: resourceRefOf(KafkaCluster), short: 'kc', system: 'kafka', describe: describeKafka },
  { ref: resourceRefOf(KafkaTopic), short: 'kt', system: 'kafka', describe: () => '' },
];

const SYSTEM_BY_GROUP: Record<string, string> = {
  'postgres.steward.dev': 'postgres',
  'cassandra.steward.dev': 'cassandra',
  'kafka.steward.dev': 'kafka',
};

export function progressView(options: {
  client: KubeClient;
  tty: boolean;
  write?: (text: string) => void;
  /** Namespaces to leave out (the leader-election Lease's). */
  skipNamespaces?: string[];
  /** Objects in this namespace are shown without it. */
  namespace?: string;
}): ProgressView {
  const write = options.write ?? ((text: string) => void process.stdout.write(text));
  const t0 = performance.now();
  const stamp = () => `[${((performance.now() - t0) / 1000).toFixed(1).padStart(5)}s]`;
  const skip = new Set(options.skipNamespaces ?? []);
  const factory = sharedInformerFactory(options.client);
  const lines = new Map<string, string>();
  let drawn = 0;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  const clearBlock = () => {
    if (drawn > 0) write(`\x1b[${drawn}A\x1b[J`);
    drawn = 0;
  };
  const draw = () => {
    timer = undefined;
    clearBlock();
    const block = [...lines.keys()].sort().map((k) => `  ${lines.get(k) ?? ''}`);
    const columns = process.stdout.columns ?? 0;
    const width = columns > 20 ? columns : 120; // 0 when the terminal does not say
    const text = block.map((l) => (l.length > width - 1 ? `${l.slice(0, width - 2)}…` : l));
    if (text.length > 0) write(`${text.join('\n')}\n`);
    drawn = text.length;
  };
  const schedule = () => {
    if (timer === undefined && !stopped) timer = setTimeout(draw, 80);
  };
  const log = (line: string) => {
    if (stopped) return;
    if (options.tty) clearBlock();
    write(`${line}\n`);
    if (options.tty) draw();
  };

  for (const kind of KINDS) {
    const inf = factory.informer({ ref: kind.ref });
    inf.events$.subscribe((e) =>
      guard(() => {
        const o = e.object as Watched;
        const ns = o.metadata.namespace ?? '';
        if (skip.has(ns)) return;
        const where = ns === options.namespace ? '' : `${ns}/`;
        const key = `${kind.system} ${kind.short}/${where}${o.metadata.name ?? ''}`;
        if (e.type === 'delete') {
          lines.delete(key);
          if (options.tty) schedule();
          else write(`${stamp()} ${key}: deleted\n`);
          return;
        }
        const details = [conditions(o), kind.describe(o)].filter((d) => d !== '').join('  ');
        const text = `${kind.system.padEnd(9)} ${`${kind.short}/${where}${o.metadata.name ?? ''}`.padEnd(12)} ${details}`;
        if (lines.get(key) === text) return;
        lines.set(key, text);
        if (options.tty) schedule();
        else write(`${stamp()} ${text}\n`);
      }),
    );
  }
  const events = factory.informer({ ref: builtin.eventsV1 });
  events.events$.subscribe((e) =>
    guard(() => {
      // Only new events: a view started later (--keep) does not replay the run's history.
      if (e.type !== 'add' || e.initial) return;
      const ev = e.object as KubeObject & {
        regarding?: { apiVersion?: string; kind?: string; name?: string; namespace?: string };
        reason?: string;
        note?: string;
        type?: string;
      };
      const ns = ev.regarding?.namespace ?? ev.metadata.namespace ?? '';
      if (skip.has(ns)) return;
      const group = (ev.regarding?.apiVersion ?? '').split('/')[0] ?? '';
      const system = SYSTEM_BY_GROUP[group];
      if (system === undefined) return; // the simulation's own events (StatefulSet pods) are noise here
      const warn = ev.type === 'Warning' ? '⚠ ' : '';
      const where = ns === options.namespace ? '' : `${ns}/`;
      log(
        `${stamp()} ${system} ${where}${ev.regarding?.name ?? ''}: ${warn}${ev.reason ?? ''} — ${ev.note ?? ''}`,
      );
    }),
  );
  factory.start();

  return {
    log: (line) => log(`${stamp()} ${line}`),
    async stop() {
      if (stopped) return;
      stopped = true;
      await factory.stop();
      if (timer !== undefined) clearTimeout(timer);
      // The last state stays on screen, as plain lines from now on (nothing redraws over them).
      if (options.tty) draw();
      drawn = 0;
    },
  };
}

function describeCluster(o: Watched): string {
  const s = o.status ?? {};
  const want = o.spec?.['instances'];
  return `${str(s['phase'])}, primary ${str(s['currentPrimary'])}, ${str(s['readyInstances'] ?? 0)}/${str(want)} ready`;
}

function describeDatacenter(o: Watched): string {
  const s = o.status ?? {};
  const nodes = Object.values((s['nodes'] as Record<string, { state?: string }> | undefined) ?? {});
  const states = new Map<string, number>();
  for (const n of nodes) states.set(n.state ?? '?', (states.get(n.state ?? '?') ?? 0) + 1);
  const ring = [...states].map(([state, n]) => `${n} ${state}`).join(' ');
  return `${str(s['readyNodes'] ?? 0)}/${str(o.spec?.['size'])} nodes ready${ring ? `, ring ${ring}` : ''}`;
}

function describeKafka(o: Watched): string {
  const s = o.status ?? {};
  const brokers = (o.spec?.['brokers'] as { replicas?: number } | undefined)?.replicas;
  const ids = (s['brokerIds'] as number[] | undefined) ?? [];
  return `${str(s['readyBrokers'] ?? 0)}/${str(brokers)} brokers ready [${ids.join(',')}], controller ${str(s['activeController'])}`;
}

/** `Ready=False (Reason) ScalingDown`: Ready always, other conditions only while True. */
function conditions(o: Watched): string {
  const conds = o.status?.conditions ?? [];
  const ready = conds.find((c) => c.type === 'Ready');
  const parts = ready
    ? [`Ready=${ready.status}${ready.status !== 'True' && ready.reason ? ` (${ready.reason})` : ''}`]
    : [];
  for (const c of conds) if (c.type !== 'Ready' && c.status === 'True') parts.push(c.type);
  return parts.join(' ');
}

/** The view only shows things: an object it cannot read is shown as it can, never a crash. */
function guard(fn: () => void): void {
  try {
    fn();
  } catch (error) {
    process.stderr.write(`demo view: ${error instanceof Error ? error.message : String(error)}\n`);
  }
}

const str = (v: unknown): string =>
  typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : '-';
