import { readFileSync } from 'node:fs';
import { describe, expect, it, jest } from '@jest/globals';
import { builtin, NotFoundError } from '@steward/core';
import type { ContextOf, KubeObject } from '@steward/core';
import { main, WidgetController, type Widget } from './widgetOperator.js';

type Ctx = ContextOf<Widget & KubeObject>;
const source = readFileSync(new URL('./widgetOperator.ts', import.meta.url), 'utf8');
const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

describe('the complete operator example', () => {
  it('runs: the Widget becomes Ready and its message is in a ConfigMap it owns', async () => {
    const { widget, configMap } = await main();
    expect(widget.status?.conditions).toEqual(
      expect.arrayContaining([expect.objectContaining({ type: 'Ready', status: 'True' })]),
    );
    expect(configMap.metadata).toMatchObject({ name: 'hello-message', namespace: 'default' });
    expect(configMap['data']).toEqual({ message: widget.spec.message });
    expect(configMap.metadata.ownerReferences).toEqual([
      expect.objectContaining({ kind: 'Widget', uid: widget.metadata.uid, controller: true }),
    ]);
  });

  it('cleanup deletes the ConfigMap of a deleted Widget', async () => {
    const remove = jest.fn((..._args: unknown[]) => Promise.resolve());
    const widget: Widget & KubeObject = {
      metadata: { name: 'gone', namespace: 'team' },
      spec: { replicas: 1, message: '' },
    };
    const ctx = { name: 'gone', namespace: 'team', client: { delete: remove } } as unknown as Ctx;
    await new WidgetController().cleanup(widget, ctx);
    expect(remove.mock.calls).toEqual([[builtin.configmaps, 'gone-message', { namespace: 'team' }]]);
    // A ConfigMap that is already gone counts as deleted (cleanup is retried until it succeeds).
    const notFound = new NotFoundError(
      404,
      { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404 },
      { method: 'DELETE', path: '/api/v1/namespaces/team/configmaps/gone-message' },
    );
    remove.mockImplementationOnce(() => Promise.reject(notFound));
    await expect(new WidgetController().cleanup(widget, ctx)).resolves.toBeUndefined();
    remove.mockImplementationOnce(() => Promise.reject(new Error('boom')));
    await expect(new WidgetController().cleanup(widget, ctx)).rejects.toThrow('boom');
  });

  it('stays under 60 lines', () => {
    expect(source.trimEnd().split('\n').length).toBeLessThan(60);
  });

  it('is quoted verbatim in the README under "A complete operator", with its run command', () => {
    const section = readme.split(/^## /m).find((s) => s.startsWith('A complete operator'));
    expect(section).toBeDefined();
    const block = /```ts\n([\s\S]*?)```/.exec(section ?? '')?.[1];
    expect(block).toBe(source);
    expect(section).toContain(
      'node --import ./scripts/ts-register.mjs packages/core/examples/widgetOperator.ts',
    );
  });
});
