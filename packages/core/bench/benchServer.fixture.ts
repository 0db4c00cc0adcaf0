/**
 * An embedded API server for benchmarks, in a worker thread (the default) or in this thread. Start with
 * {@link benchServer}. In a worker, the server's request handling runs beside the controller under test
 * instead of on its event loop, as a real kube-apiserver is another process; `inline` shares the loop.
 */
import { Worker, isMainThread, parentPort } from 'node:worker_threads';
import { startApiServer } from '@steward/apiserver';
import type { ApiServer } from '@steward/apiserver';

export interface BenchServer {
  url: string;
  kubeConfig: ApiServer['kubeConfig'];
  stop(): Promise<void>;
}

/** Starts a fresh, empty server; `inline` runs it on this thread's event loop. */
export async function benchServer(inline = false): Promise<BenchServer> {
  if (inline) {
    const server = await startApiServer({ port: 0 });
    return {
      url: server.url,
      kubeConfig: server.kubeConfig,
      stop: () => server.stop().then(() => undefined),
    };
  }
  const worker = new Worker(new URL(import.meta.url));
  const started = await new Promise<{ url: string; kubeConfig: ApiServer['kubeConfig'] }>(
    (resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    },
  );
  return {
    ...started,
    async stop() {
      worker.postMessage('stop', []);
      await new Promise((resolve) => worker.once('exit', resolve));
    },
  };
}

// Worker side: start a server, report where it listens, stop it when asked.
if (!isMainThread && parentPort) {
  const port = parentPort;
  const server = await startApiServer({ port: 0 });
  port.postMessage({ url: server.url, kubeConfig: server.kubeConfig });
  port.on('message', (message) => {
    if (message === 'stop') void server.stop().then(() => port.close());
  });
}
