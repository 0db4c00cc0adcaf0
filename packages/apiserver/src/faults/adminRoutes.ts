/**
 * The fault API over HTTP, under `/steward/faults` (outside `/api` and `/apis`, so no Kubernetes client
 * mistakes it for a resource): for tests written in other languages, and for `kubectl`-driven demos.
 *
 *   GET    /steward/watches                     → { watches: [{ id, resource, namespace, userAgent }] }
 *   POST   /steward/faults/fail                 { match, failure, count? } → { ok }
 *   POST   /steward/faults/latency              { match, ms }              → { ok }
 *   POST   /steward/faults/close-watches        { filter? }                → { watches: n }
 *   POST   /steward/faults/hold-watches         { filter?, ms }            → { watches: n }
 *   POST   /steward/faults/half-open-watches    { filter? }                → { watches: n }
 *   POST   /steward/faults/compact                                         → { ok }
 *   POST   /steward/faults/restart              { downMs? }                → { ok } (answered before it restarts)
 *   DELETE /steward/faults                                                 → { ok } (clears all)
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FailureKind, FaultTarget, Faults, RequestMatch, WatchFilter } from './faults.js';

export const ADMIN_PREFIX = '/steward/';

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 64 * 1024) throw new Error('admin request body over 64 KiB');
    chunks.push(chunk as Buffer);
  }
  if (size === 0) return {};
  const value: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new Error('admin request body must be a JSON object');
  return value as Record<string, unknown>;
}

function send(res: ServerResponse, code: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

function objectField(body: Record<string, unknown>, name: string): Record<string, unknown> | undefined {
  const v = body[name];
  if (v === undefined) return undefined;
  if (v === null || typeof v !== 'object' || Array.isArray(v))
    throw new Error(`field "${name}" must be an object`);
  return v as Record<string, unknown>;
}

function numberField(body: Record<string, unknown>, name: string): number | undefined {
  const v = body[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`field "${name}" must be a number`);
  return v;
}

/**
 * Answers an admin request; returns false when the path is not an admin path. `restart` is called
 * after the response is sent.
 */
export async function handleAdmin(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  faults: Faults,
  target: () => FaultTarget,
  restart?: (downMs: number) => Promise<void>,
): Promise<boolean> {
  if (!url.pathname.startsWith(ADMIN_PREFIX)) return false;
  const method = req.method ?? 'GET';
  const route = `${method} ${url.pathname.replace(/\/+$/, '')}`;
  try {
    const body = method === 'POST' ? await readJson(req) : {};
    switch (route) {
      case 'GET /steward/watches':
        send(res, 200, {
          watches: target()
            .watches()
            .map((w) => ({
              id: w.id,
              resource: w.resource,
              namespace: w.namespace ?? null,
              userAgent: w.userAgent,
            })),
        });
        return true;
      case 'POST /steward/faults/fail': {
        const match = (objectField(body, 'match') as RequestMatch | undefined) ?? {};
        const failure = objectField(body, 'failure') as FailureKind | undefined;
        if (!failure || ![409, 429, 500, 'drop'].includes(failure.code)) {
          throw new Error('field "failure" must be { code: 409 | 429 | 500 | "drop", ... }');
        }
        faults.failNext(match, failure, numberField(body, 'count') ?? 1);
        send(res, 200, { ok: true });
        return true;
      }
      case 'POST /steward/faults/latency': {
        const ms = numberField(body, 'ms');
        if (ms === undefined) throw new Error('field "ms" is required');
        faults.addLatency((objectField(body, 'match') as RequestMatch | undefined) ?? {}, ms);
        send(res, 200, { ok: true });
        return true;
      }
      case 'POST /steward/faults/close-watches':
        send(res, 200, {
          watches: faults.closeWatches(objectField(body, 'filter') ?? {}),
        });
        return true;
      case 'POST /steward/faults/hold-watches': {
        const ms = numberField(body, 'ms');
        if (ms === undefined) throw new Error('field "ms" is required (holds over HTTP always end)');
        send(res, 200, {
          watches: faults.holdWatches((objectField(body, 'filter') as WatchFilter | undefined) ?? {}, ms)
            .count,
        });
        return true;
      }
      case 'POST /steward/faults/half-open-watches':
        send(res, 200, {
          watches: faults.halfOpenWatches(objectField(body, 'filter') ?? {}),
        });
        return true;
      case 'POST /steward/faults/compact':
        faults.compact();
        send(res, 200, { ok: true });
        return true;
      case 'POST /steward/faults/restart': {
        if (!restart) {
          send(res, 501, { error: 'this server cannot restart itself' });
          return true;
        }
        const downMs = numberField(body, 'downMs') ?? 0;
        send(res, 200, { ok: true });
        res.once('finish', () => void restart(downMs));
        return true;
      }
      case 'DELETE /steward/faults':
        faults.clear();
        send(res, 200, { ok: true });
        return true;
      default:
        send(res, 404, {
          error: `no admin route ${route}; see the fault API in @steward/apiserver's README`,
        });
        return true;
    }
  } catch (e) {
    send(res, 400, { error: e instanceof Error ? e.message : String(e) });
    return true;
  }
}
