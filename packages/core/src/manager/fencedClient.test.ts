import { describe, expect, test } from '@jest/globals';
import type { KubeClient, KubeObject } from '../client/types.js';
import { builtin } from '../client/resourceRef.js';
import { fencedClient } from './fencedClient.js';
import { LeadershipLostError } from './managerErrors.js';

/** A fake client recording each call's verb and the options argument it received. */
function recorder(): { client: KubeClient; calls: { verb: string; options: unknown }[] } {
  const calls: { verb: string; options: unknown }[] = [];
  const at: Record<string, number> = {
    get: 2,
    list: 1,
    watch: 1,
    create: 2,
    replace: 2,
    patch: 3,
    apply: 2,
    delete: 2,
    replaceStatus: 2,
    patchStatus: 3,
  };
  const client = Object.fromEntries(
    Object.entries(at).map(([verb, i]) => [
      verb,
      (...args: unknown[]) => {
        calls.push({ verb, options: args[i] });
        return Promise.resolve({ metadata: { name: 'x' } });
      },
    ]),
  ) as unknown as KubeClient;
  return { client, calls };
}
const cm: KubeObject = { metadata: { name: 'x', namespace: 'ns' } };

describe('fencedClient', () => {
  test('writes carry the leadership signal (merged with the caller signal) while leading', async () => {
    const { client, calls } = recorder();
    const leading = new AbortController();
    const fenced = fencedClient(client, leading.signal, 'controller c');
    const own = new AbortController();
    await fenced.create(builtin.configmaps, cm, { namespace: 'ns', signal: own.signal });
    await fenced.patch(builtin.configmaps, 'x', {}, { namespace: 'ns' });
    await fenced.delete(builtin.configmaps, 'x');
    await fenced.get(builtin.configmaps, 'x', { namespace: 'ns' });
    expect(calls.map((c) => c.verb)).toEqual(['create', 'patch', 'delete', 'get']);
    const [create, patch, del, get] = calls.map(
      (c) => c.options as { namespace?: string; signal?: AbortSignal },
    );
    expect(create?.namespace).toBe('ns');
    expect(patch?.signal).toBe(leading.signal);
    expect(del?.signal).toBe(leading.signal);
    expect(get?.signal).toBeUndefined(); // reads are not fenced
    own.abort();
    expect(create?.signal?.aborted).toBe(true); // the caller's own signal still cancels
    leading.abort();
    expect(patch?.signal?.aborted).toBe(true);
  });

  test('after leadership is lost every write is refused without a request; reads still go through', async () => {
    const { client, calls } = recorder();
    const leading = new AbortController();
    const fenced = fencedClient(client, leading.signal, 'controller c');
    leading.abort();
    await expect(fenced.apply(builtin.configmaps, cm, { fieldManager: 'm' })).rejects.toThrow(
      LeadershipLostError,
    );
    await expect(fenced.replaceStatus(builtin.configmaps, cm)).rejects.toThrow(
      'controller c: replaceStatus not sent',
    );
    await expect(fenced.patchStatus(builtin.configmaps, 'x', {})).rejects.toMatchObject({
      code: 'LEADERSHIP_LOST',
      retryable: true,
    });
    expect(calls).toEqual([]);
    await fenced.list(builtin.configmaps);
    expect(calls.map((c) => c.verb)).toEqual(['list']);
  });
});
