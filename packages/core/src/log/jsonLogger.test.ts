import { describe, expect, it } from '@jest/globals';
import { StewardError } from '../errors/errors.js';
import { jsonLogger, serializeError, textLogger } from './jsonLogger.js';

function sink(): { lines: string[]; write(line: string): void; line(i: number): string } {
  const lines: string[] = [];
  return {
    lines,
    write: (line) => void lines.push(line),
    line(i) {
      const found = lines.at(i);
      if (found === undefined) throw new Error(`no line ${i}; lines: ${lines.join('')}`);
      return found;
    },
  };
}
const NOW = Date.parse('2026-01-02T03:04:05.678Z');

describe('jsonLogger', () => {
  it('writes one JSON object per line with the fixed keys, flattened fields and reconcileID', () => {
    const out = sink();
    const log = jsonLogger({ stream: out, now: () => NOW });
    log({
      level: 'info',
      controller: 'widgets',
      msg: 'reconciled',
      key: 'ns/w1',
      object: { kind: 'Widget', namespace: 'ns', name: 'w1' },
      reconcileId: 'r-1',
      fields: { replicas: 3, ts: 'must not overwrite', nested: { a: [1] } },
    });
    expect(out.lines).toHaveLength(1);
    expect(out.line(0).endsWith('\n')).toBe(true);
    expect(JSON.parse(out.line(0))).toEqual({
      ts: '2026-01-02T03:04:05.678Z',
      level: 'info',
      controller: 'widgets',
      msg: 'reconciled',
      key: 'ns/w1',
      object: { kind: 'Widget', namespace: 'ns', name: 'w1' },
      reconcileID: 'r-1',
      replicas: 3,
      nested: { a: [1] },
    });
  });

  it('drops entries below the level; default level is info', () => {
    const out = sink();
    const info = jsonLogger({ stream: out });
    info({ level: 'debug', controller: 'c', msg: 'hidden' });
    info({ level: 'error', controller: 'c', msg: 'shown' });
    jsonLogger({ stream: out, level: 'debug' })({ level: 'debug', controller: 'c', msg: 'dbg' });
    jsonLogger({ stream: out, level: 'error' })({ level: 'info', controller: 'c', msg: 'no' });
    expect(out.lines.map((l) => (JSON.parse(l) as { msg: string }).msg)).toEqual(['shown', 'dbg']);
  });

  it('writes errors as objects with name, message, code, stack and cause, never [object Object]', () => {
    const out = sink();
    const root = new Error('socket hang up');
    const err = new StewardError('CONFLICT', 'update of ns/w1 conflicted', true, { cause: root });
    jsonLogger({ stream: out })({ level: 'error', controller: 'c', msg: 'failed', error: err });
    const { error } = JSON.parse(out.line(0)) as { error: Record<string, unknown> };
    expect(error).toMatchObject({
      name: 'StewardError',
      message: 'update of ns/w1 conflicted',
      code: 'CONFLICT',
    });
    expect(error['stack']).toContain('update of ns/w1 conflicted');
    expect(error['cause']).toMatchObject({ name: 'Error', message: 'socket hang up' });
    expect(out.lines[0]).not.toContain('[object Object]');
  });

  it('survives circular errors, circular fields, bigints and thrown non-errors', () => {
    const out = sink();
    const a = new Error('a') as Error & { cause?: unknown };
    const b = new Error('b', { cause: a });
    a.cause = b;
    const loop: Record<string, unknown> = { name: 'loop' };
    loop['self'] = loop;
    const log = jsonLogger({ stream: out });
    log({ level: 'error', controller: 'c', msg: 'm1', error: a, fields: { loop, big: 10n } });
    log({ level: 'error', controller: 'c', msg: 'm2', error: { reason: 'plain object' } });
    log({ level: 'error', controller: 'c', msg: 'm3', error: 'just a string' });
    const l1 = JSON.parse(out.line(0)) as unknown;
    expect(l1).toMatchObject({
      error: { message: 'a', cause: { message: 'b', cause: '[Circular]' } },
      loop: { name: 'loop', self: '[Circular]' },
      big: '10',
    });
    expect(JSON.parse(out.line(1))).toMatchObject({
      error: { name: 'Object', message: '{"reason":"plain object"}' },
    });
    expect(JSON.parse(out.line(2))).toMatchObject({ error: { name: 'string', message: 'just a string' } });
  });

  it('keeps a repeated (non-circular) reference and cuts a deep cause chain', () => {
    const shared = { x: 1 };
    const out = sink();
    jsonLogger({ stream: out })({
      level: 'info',
      controller: 'c',
      msg: 'm',
      fields: { a: shared, b: shared },
    });
    expect(JSON.parse(out.line(0))).toMatchObject({ a: { x: 1 }, b: { x: 1 } });
    let deep: Error = new Error('e0');
    for (let i = 1; i < 20; i++) deep = new Error(`e${i}`, { cause: deep });
    let s = serializeError(deep) as { cause?: unknown };
    let depth = 0;
    while (typeof s.cause === 'object') {
      s = s.cause as { cause?: unknown };
      depth++;
    }
    expect(depth).toBe(5);
    expect(s.cause).toBe('[cause chain cut]');
  });
});

describe('textLogger', () => {
  it('writes a readable line with fields and the error stack below', () => {
    const out = sink();
    textLogger({ stream: out, now: () => NOW })({
      level: 'error',
      controller: 'widgets',
      msg: 'reconcile failed',
      key: 'ns/w1',
      fields: { attempt: 2 },
      error: new StewardError('CONFLICT', 'boom', true),
    });
    const [first, second] = out.line(0).split('\n');
    expect(first).toBe('2026-01-02T03:04:05.678Z ERROR [widgets] ns/w1 reconcile failed attempt=2');
    expect(second).toContain('StewardError: boom');
    expect(out.lines[0]).toContain('(code CONFLICT)');
  });
});
