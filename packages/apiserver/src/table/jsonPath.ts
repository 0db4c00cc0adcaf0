/**
 * The simple JSONPath of printer columns (`.spec.replicas`, `.status.conditions[?(@.type=="Ready")].status`,
 * `.items[*].name`, `.metadata.labels['app.kubernetes.io/name']`), evaluated like client-go's jsonpath
 * with missing keys allowed. Start with {@link compileJsonPath}; it returns every match, in order.
 */

type Step =
  | { kind: 'field'; name: string }
  | { kind: 'index'; index: number }
  | { kind: 'wildcard' }
  | { kind: 'filter'; path: string[]; op?: string; value?: unknown };

function isObject(x: unknown): x is Record<string, unknown> {
  return x !== null && typeof x === 'object' && !Array.isArray(x);
}

function parseLiteral(text: string): unknown {
  const t = text.trim();
  if ((t.startsWith('"') && t.endsWith('"')) || (t.startsWith("'") && t.endsWith("'"))) return t.slice(1, -1);
  if (t === 'true' || t === 'false') return t === 'true';
  const n = Number(t);
  return Number.isNaN(n) ? t : n;
}

function parseFilter(body: string): Step {
  const m = /^@((?:\.[^\s=!<>]+)*)\s*(==|!=|<=|>=|<|>)?\s*(.*)$/.exec(body.trim());
  if (!m) throw new Error(`unrecognized filter ${body}`);
  const path = (m[1] ?? '').split('.').filter((s) => s !== '');
  const step: Step = { kind: 'filter', path };
  if (m[2]) {
    step.op = m[2];
    step.value = parseLiteral(m[3] ?? '');
  }
  return step;
}

/** Parses `{.a.b}` or `.a.b` into steps; throws on syntax it does not know. */
export function parseJsonPath(expr: string): Step[] {
  let src = expr.trim();
  if (src.startsWith('{') && src.endsWith('}')) src = src.slice(1, -1).trim();
  if (src.startsWith('$')) src = src.slice(1);
  const steps: Step[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (c === '.') {
      i++;
      let name = '';
      while (i < src.length && src[i] !== '.' && src[i] !== '[') {
        if (src[i] === '\\' && i + 1 < src.length) {
          name += src[i + 1];
          i += 2;
        } else {
          name += src[i];
          i++;
        }
      }
      if (name === '*') steps.push({ kind: 'wildcard' });
      else if (name !== '') steps.push({ kind: 'field', name });
    } else if (c === '[') {
      const end = src.indexOf(']', src[i + 1] === '?' ? src.indexOf(')', i) : i);
      if (end < 0) throw new Error(`unclosed [ in ${expr}`);
      const inner = src.slice(i + 1, end).trim();
      i = end + 1;
      if (inner === '*') steps.push({ kind: 'wildcard' });
      else if (inner.startsWith('?(') && inner.endsWith(')')) steps.push(parseFilter(inner.slice(2, -1)));
      else if (/^-?\d+$/.test(inner)) steps.push({ kind: 'index', index: Number(inner) });
      else if (/^(['"]).*\1$/.test(inner)) steps.push({ kind: 'field', name: inner.slice(1, -1) });
      else throw new Error(`unrecognized subscript [${inner}] in ${expr}`);
    } else {
      throw new Error(`unexpected ${c ?? ''} in ${expr}`);
    }
  }
  return steps;
}

function get(x: unknown, path: string[]): { found: boolean; value?: unknown } {
  let cur = x;
  for (const p of path) {
    if (!isObject(cur) || !Object.hasOwn(cur, p)) return { found: false };
    cur = cur[p];
  }
  return { found: true, value: cur };
}

function compare(a: unknown, op: string, b: unknown): boolean {
  switch (op) {
    case '==':
      return a === b;
    case '!=':
      return a !== b;
    case '<':
      return typeof a === 'number' && typeof b === 'number' && a < b;
    case '>':
      return typeof a === 'number' && typeof b === 'number' && a > b;
    case '<=':
      return typeof a === 'number' && typeof b === 'number' && a <= b;
    case '>=':
      return typeof a === 'number' && typeof b === 'number' && a >= b;
    default:
      return false;
  }
}

function apply(step: Step, values: unknown[]): unknown[] {
  const out: unknown[] = [];
  for (const v of values) {
    switch (step.kind) {
      case 'field':
        if (isObject(v) && Object.hasOwn(v, step.name)) out.push(v[step.name]);
        break;
      case 'index':
        if (Array.isArray(v)) {
          const i = step.index < 0 ? v.length + step.index : step.index;
          if (i >= 0 && i < v.length) out.push(v[i]);
        }
        break;
      case 'wildcard':
        if (Array.isArray(v)) out.push(...v);
        else if (isObject(v)) out.push(...Object.values(v));
        break;
      case 'filter':
        if (Array.isArray(v)) {
          for (const item of v) {
            const r = get(item, step.path);
            if (!r.found) continue;
            if (step.op === undefined || compare(r.value, step.op, step.value)) out.push(item);
          }
        }
        break;
    }
  }
  return out;
}

/** A compiled path: call it on an object to get all matches (empty when a key is missing). */
export function compileJsonPath(expr: string): (obj: unknown) => unknown[] {
  const steps = parseJsonPath(expr);
  return (obj) => steps.reduce<unknown[]>((values, step) => apply(step, values), [obj]);
}
