/**
 * Benchmark fixtures: realistic Pods of about 6 KB (the size the performance reference measures), and
 * the `BENCH {json}` line every benchmark prints.
 */

export interface BenchMeasure {
  name: string;
  value: number;
  unit: string;
  baseline: number;
}

/** Prints one `BENCH {json}` line; `ratio` is value / baseline. */
export function report(result: BenchMeasure & Record<string, unknown>): void {
  const line = { ...result, ratio: Number((result.value / result.baseline).toFixed(3)) };
  console.log(`BENCH ${JSON.stringify(line)}`);
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
}

/** A Pod manifest of roughly 6 KB, as a controller-made Pod looks (labels, env, probes, volumes). */
export function podOf(i: number, namespace: string): Record<string, unknown> {
  const env = Array.from({ length: 40 }, (_, k) => ({
    name: `SETTING_${k}_NAME`,
    value: `value-${i}-${k}-${'x'.repeat(40)}`,
  }));
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `pod-${i}`,
      namespace,
      labels: { app: 'bench', 'statefulset.kubernetes.io/pod-name': `pod-${i}`, shard: String(i % 16) },
      annotations: { 'steward.dev/bench': 'true', 'kubectl.kubernetes.io/default-container': 'main' },
    },
    spec: {
      containers: [
        {
          name: 'main',
          image: 'registry.example/postgres:16.4',
          ports: [{ name: 'pg', containerPort: 5432, protocol: 'TCP' }],
          env,
          resources: { requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '2', memory: '4Gi' } },
          readinessProbe: { exec: { command: ['pg_isready', '-U', 'postgres'] }, periodSeconds: 5 },
          volumeMounts: [{ name: 'data', mountPath: '/var/lib/postgresql/data' }],
        },
      ],
      volumes: [{ name: 'data', persistentVolumeClaim: { claimName: `data-pod-${i}` } }],
      nodeName: `node-${i % 8}`,
      restartPolicy: 'Always',
    },
  };
}

/** POSTs `count` objects with bounded concurrency; `onCreated` receives each object as the server stored it. */
export async function createMany(
  url: string,
  count: number,
  make: (i: number) => unknown,
  concurrency = 32,
  onCreated?: (created: unknown) => void,
): Promise<void> {
  let next = 0;
  async function worker(): Promise<void> {
    while (next < count) {
      const i = next++;
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(make(i)),
      });
      if (res.status !== 201) throw new Error(`create #${i} failed: ${res.status} ${await res.text()}`);
      if (onCreated) onCreated(await res.json());
      else await res.arrayBuffer();
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
}
