/**
 * Loggers for controllers and the manager: {@link jsonLogger} writes one JSON object per line (for log
 * pipelines), {@link textLogger} one readable line (for a terminal). Start with {@link jsonLogger};
 * errors are turned into plain objects by {@link serializeError}.
 */
import type { ControllerLogEntry, ControllerLogger } from '../controller/controllerTypes.js';

export type LogLevel = 'debug' | 'info' | 'error';

/** Where lines go; `process.stdout` and `process.stderr` fit. */
export interface LogSink {
  write(line: string): unknown;
}

export interface LoggerOptions {
  /** Entries below this level are dropped. Default `info`. */
  level?: LogLevel;
  /** Default `process.stdout`. */
  stream?: LogSink;
  /** Time source, for tests. Default `Date.now`. */
  now?: () => number;
}

/** An error as logged: never `[object Object]`, and safe for circular causes. */
export interface SerializedError {
  name: string;
  message: string;
  code?: string;
  stack?: string;
  /** A serialized error, or a marker string where a cycle or a too-deep chain was cut. */
  cause?: unknown;
}

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, error: 30 };
/** Causes nested deeper than this are cut, so a pathological chain cannot blow up a line. */
const MAX_CAUSE_DEPTH = 5;

/** Turns anything thrown into a JSON-safe object; cycles and deep cause chains are cut. */
export function serializeError(error: unknown, seen: Set<unknown> = new Set(), depth = 0): unknown {
  if (error === null || error === undefined) return error;
  if (typeof error !== 'object') {
    return { name: typeof error, message: describePrimitive(error as Primitive) };
  }
  if (seen.has(error)) return '[Circular]';
  seen.add(error);
  const e = error as { name?: unknown; message?: unknown; code?: unknown; stack?: unknown; cause?: unknown };
  const out: SerializedError = {
    name: typeof e.name === 'string' ? e.name : (error.constructor?.name ?? 'Object'),
    message: typeof e.message === 'string' ? e.message : safeJson(error),
  };
  if (typeof e.code === 'string' || typeof e.code === 'number') out.code = String(e.code);
  if (typeof e.stack === 'string') out.stack = e.stack;
  if (e.cause !== undefined) {
    out.cause = depth >= MAX_CAUSE_DEPTH ? '[cause chain cut]' : serializeError(e.cause, seen, depth + 1);
  }
  return out;
}

type Primitive = string | number | boolean | bigint | symbol | ((...a: never[]) => unknown);
function describePrimitive(value: Primitive): string {
  return typeof value === 'function' ? `[function ${value.name || 'anonymous'}]` : String(value);
}

/** JSON of a value with cycles replaced and bigints as strings; never throws. */
function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value, cycleSafeReplacer()) ?? String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}

/** A replacer that drops repeated references (cycles), writes bigints as strings and errors as objects. */
function cycleSafeReplacer(): (this: unknown, key: string, value: unknown) => unknown {
  const ancestors: unknown[] = [];
  return function (this: unknown, _key, value) {
    if (typeof value === 'bigint') return value.toString();
    if (value instanceof Error) return serializeError(value);
    if (typeof value !== 'object' || value === null) return value;
    // `this` is the object holding `value`: unwind the stack to it, then check for a cycle.
    while (ancestors.length > 0 && ancestors[ancestors.length - 1] !== this) ancestors.pop();
    if (ancestors.includes(value)) return '[Circular]';
    ancestors.push(value);
    return value;
  };
}

/** The JSON object for one entry, in a stable key order. */
export function logRecord(entry: ControllerLogEntry, now: number): Record<string, unknown> {
  const record: Record<string, unknown> = {
    ts: new Date(now).toISOString(),
    level: entry.level,
    controller: entry.controller,
    msg: entry.msg,
  };
  if (entry.key !== undefined) record['key'] = entry.key;
  if (entry.object !== undefined) record['object'] = entry.object;
  if (entry.reconcileId !== undefined) record['reconcileID'] = entry.reconcileId;
  // Fields are flattened beside the fixed keys, which they may not overwrite.
  for (const [k, v] of Object.entries(entry.fields ?? {})) {
    if (!(k in record) && k !== 'error') record[k] = v;
  }
  if (entry.error !== undefined) record['error'] = serializeError(entry.error);
  return record;
}

function enabled(level: LogLevel | undefined): (entry: ControllerLogEntry) => boolean {
  const min = RANK[level ?? 'info'];
  return (entry) => (RANK[entry.level] ?? RANK.error) >= min;
}

/** A logger writing one JSON object per line: `ts`, `level`, `controller`, `msg`, `key`, `object`, `reconcileID`, fields, `error`. */
export function jsonLogger(options: LoggerOptions = {}): ControllerLogger {
  const stream = options.stream ?? process.stdout;
  const now = options.now ?? Date.now;
  const pass = enabled(options.level);
  return (entry) => {
    if (!pass(entry)) return;
    stream.write(`${safeJson(logRecord(entry, now()))}\n`);
  };
}

/** A logger for humans: `ts LEVEL [controller] key msg k=v …`, then the error's stack on its own lines. */
export function textLogger(options: LoggerOptions = {}): ControllerLogger {
  const stream = options.stream ?? process.stdout;
  const now = options.now ?? Date.now;
  const pass = enabled(options.level);
  return (entry) => {
    if (!pass(entry)) return;
    const parts = [
      new Date(now()).toISOString(),
      entry.level.toUpperCase().padEnd(5),
      `[${entry.controller}]`,
    ];
    if (entry.key !== undefined) parts.push(entry.key);
    parts.push(entry.msg);
    if (entry.reconcileId !== undefined) parts.push(`reconcileID=${entry.reconcileId}`);
    for (const [k, v] of Object.entries(entry.fields ?? {})) {
      parts.push(`${k}=${typeof v === 'string' ? v : safeJson(v)}`);
    }
    let line = parts.join(' ');
    if (entry.error !== undefined) {
      const e = serializeError(entry.error) as SerializedError;
      line += `\n  ${e.stack ?? `${e.name}: ${e.message}`}`;
      if (e.code !== undefined) line += ` (code ${e.code})`;
    }
    stream.write(`${line}\n`);
  };
}
