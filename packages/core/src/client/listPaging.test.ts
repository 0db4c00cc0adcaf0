import { describe, expect, test } from '@jest/globals';
import { clientOver } from './kubeClient.js';
import { builtin } from './resourceRef.js';
import type { HttpAnswer, Transport } from './transport.js';

/** A transport serving `pages` (texts by continue token, '' for the first), recording what was asked. */
function pagedTransport(pages: Record<string, string | Error>) {
  const asked: string[] = [];
  const transport: Transport = {
    async request(_method, _path, query): Promise<HttpAnswer> {
      const token = query?.get('continue') ?? '';
      asked.push(token);
      await Promise.resolve();
      const page = pages[token];
      if (page === undefined) throw new Error(`no page "${token}"`);
      if (page instanceof Error) throw page;
      return { statusCode: 200, headers: {}, text: page };
    },
    open: () => Promise.reject(new Error('no watches here')),
    close: () => undefined,
  };
  return { transport, asked };
}

const item = (name: string) => ({ metadata: { name, namespace: 'ns' } });

describe('list paging', () => {
  test("follows every page once, with the first page's resourceVersion", async () => {
    const { transport, asked } = pagedTransport({
      '': JSON.stringify({ metadata: { resourceVersion: '7', continue: 'b' }, items: [item('a')] }),
      b: JSON.stringify({ metadata: { resourceVersion: '7', continue: 'c' }, items: [item('b')] }),
      c: JSON.stringify({ metadata: { resourceVersion: '7' }, items: [item('c')] }),
    });
    const result = await clientOver(transport).list(builtin.pods, { namespace: 'ns', limit: 1 });
    expect(result.items.map((o) => o.metadata.name)).toEqual(['a', 'b', 'c']);
    expect(result.resourceVersion).toBe('7');
    // One request per page: the early ask is the request, not an extra one.
    expect(asked).toEqual(['', 'b', 'c']);
  });

  test('transform: applied to each item once, its results are the items', async () => {
    const { transport } = pagedTransport({
      '': JSON.stringify({ metadata: { continue: 'b' }, items: [item('a')] }),
      b: JSON.stringify({ metadata: {}, items: [item('b')] }),
    });
    const seen: string[] = [];
    const result = await clientOver(transport).list(builtin.pods, {
      limit: 1,
      transform: (o) => {
        seen.push(o.metadata.name ?? '');
        return { metadata: { name: `${o.metadata.name ?? ''}!` } };
      },
    });
    expect(seen).toEqual(['a', 'b']);
    expect(result.items).toEqual([{ metadata: { name: 'a!' } }, { metadata: { name: 'b!' } }]);
  });

  test('items written before metadata: pages are still followed, one at a time', async () => {
    const { transport, asked } = pagedTransport({
      '': '{"items":[{"metadata":{"name":"a"}}],"metadata":{"resourceVersion":"3","continue":"n"}}',
      n: '{"items":[{"metadata":{"name":"b"}}],"metadata":{"resourceVersion":"3","continue":""}}',
    });
    const result = await clientOver(transport).list(builtin.pods, { namespace: 'ns', limit: 1 });
    expect(result.items.map((o) => o.metadata.name)).toEqual(['a', 'b']);
    expect(asked).toEqual(['', 'n']);
  });

  test('the next page is asked for before this one is parsed; an unread early answer is not left unhandled', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (e: unknown): void => void unhandled.push(e);
    process.on('unhandledRejection', onUnhandled);
    try {
      const { transport, asked } = pagedTransport({
        // Malformed after the metadata: the next page is already asked for when parsing fails.
        '': '{"metadata":{"continue":"x"},"items":[{oops',
        x: new Error('page x failed'),
      });
      await expect(clientOver(transport).list(builtin.pods, { namespace: 'ns', limit: 1 })).rejects.toThrow(
        SyntaxError,
      );
      expect(asked).toEqual(['', 'x']);
      await new Promise((resolve) => setTimeout(resolve, 10));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});
