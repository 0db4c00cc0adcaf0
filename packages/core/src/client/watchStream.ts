/**
 * One watch request as an async iterable of events: newline-delimited JSON read from a streaming GET,
 * with an inactivity deadline (not a whole-request timeout) so half-open connections fail loudly.
 * Start with {@link watchStream}; `kubeClient.watch()` calls it.
 */
import type { IncomingMessage } from 'node:http';
import { StewardError } from '../errors/errors.js';
import { TransportError, WatchIdleError } from './errors.js';
import type { Transport } from './transport.js';
import type { KubeObject, WatchEvent, WatchStream } from './types.js';

/** The reason `close()` aborts with: recognised so that a closed watch completes instead of failing. */
class WatchClosed extends Error {}

export function watchStream<T extends KubeObject>(
  transport: Transport,
  path: string,
  query: URLSearchParams,
  idleTimeoutMs: number | undefined,
  signal: AbortSignal | undefined,
  /** Called once when the watch is over (iteration ended or `close()`), so owners can forget it. */
  onEnd: () => void = () => undefined,
): WatchStream<T> {
  const controller = new AbortController();
  const context = { method: 'GET', path };
  let closed = false;
  let res: IncomingMessage | undefined;
  let iterator: AsyncGenerator<WatchEvent<T>> | undefined;
  let ended = false;
  const end = (): void => {
    if (ended) return;
    ended = true;
    onEnd();
  };

  const close = (): void => {
    if (closed) return;
    closed = true;
    signal?.removeEventListener('abort', close);
    controller.abort(new WatchClosed('watch closed'));
    res?.destroy();
    end();
  };
  if (signal?.aborted) closed = true;
  else signal?.addEventListener('abort', close, { once: true });

  async function* run(): AsyncGenerator<WatchEvent<T>> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const disarm = (): void => {
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
    };
    // Armed only while waiting for bytes: a slow consumer is not a silent server.
    const arm = (): void => {
      disarm();
      if (idleTimeoutMs === undefined || closed) return;
      timer = setTimeout(() => {
        const idle = new WatchIdleError(path, idleTimeoutMs);
        controller.abort(idle);
        res?.destroy(idle);
      }, idleTimeoutMs);
    };
    try {
      if (closed) return;
      arm();
      try {
        res = await transport.open(path, query, controller.signal);
      } catch (err) {
        if (closed) return;
        throw err;
      }
      if (closed) return;
      res.setEncoding('utf8');
      let buffer = '';
      arm();
      for await (const chunk of res as AsyncIterable<string>) {
        disarm();
        buffer += chunk;
        // A large object arrives over many chunks: scan for line ends only once one has come.
        if (!chunk.includes('\n')) {
          arm();
          continue;
        }
        let start = 0;
        for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n', start)) {
          const line = buffer.slice(start, nl);
          start = nl + 1;
          if (line.trim() !== '') yield parseLine<T>(line, context);
          if (closed) return;
        }
        buffer = buffer.slice(start);
        arm();
      }
      if (buffer.trim() !== '' && !closed) yield parseLine<T>(buffer, context);
    } catch (err) {
      if (closed) return;
      if (controller.signal.reason instanceof WatchIdleError) throw controller.signal.reason;
      if (err instanceof StewardError) throw err;
      throw new TransportError(context, `watch stream failed: ${(err as Error).message}`, { cause: err });
    } finally {
      disarm();
      res?.destroy();
      end();
    }
  }

  return {
    [Symbol.asyncIterator]() {
      iterator ??= run();
      return iterator;
    },
    close,
  };
}

function parseLine<T extends KubeObject>(
  line: string,
  context: { method: string; path: string },
): WatchEvent<T> {
  let event: unknown;
  try {
    event = JSON.parse(line);
  } catch (err) {
    throw new TransportError(context, `malformed watch event: ${line.slice(0, 200)}`, { cause: err });
  }
  if (typeof event !== 'object' || event === null || typeof (event as { type?: unknown }).type !== 'string') {
    throw new TransportError(context, `watch event without a type: ${line.slice(0, 200)}`);
  }
  return event as WatchEvent<T>;
}
