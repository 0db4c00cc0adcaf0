/**
 * The manager's readiness report: one line per informer, in kube-apiserver's verbose-probe style
 * (`[+]pods ok`, `[-]widgets.example.com not synced: <last error>`). Start with {@link readiness}.
 */
import type { InformerHealth } from '../informer/informerTypes.js';

/** The informer's readable name from its sharing key: `plural[.group][ in namespace][ (selectors)]`. */
export function informerName(key: string): string {
  try {
    const [group, , plural, namespace, labels, fields] = JSON.parse(key) as string[];
    let name = group ? `${plural}.${group}` : String(plural);
    if (namespace) name += ` in ${namespace}`;
    const selectors = [labels, fields].filter(Boolean).join(',');
    if (selectors) name += ` (${selectors})`;
    return name;
  } catch {
    return key;
  }
}

/** One informer's line, and whether it counts as ready (started, not stopped, first list done). */
function check(health: InformerHealth & { key: string }): { ok: boolean; line: string } {
  const name = informerName(health.key);
  const error = health.lastError === undefined ? '' : `: ${health.lastError.message}`;
  if (!health.running) return { ok: false, line: `[-]${name} not running${error}` };
  if (!health.hasSynced)
    return { ok: false, line: `[-]${name} not synced${error || ': first list pending'}` };
  return { ok: true, line: `[+]${name} ok` };
}

/**
 * The `/readyz` answer: 200 when the manager has started (`notStarted` undefined) and every informer
 * is ready, else 503. `notStarted` names the manager's state otherwise (`starting`, `stopping`).
 */
export function readiness(
  notStarted: string | undefined,
  informers: (InformerHealth & { key: string })[],
): { status: number; body: string } {
  const lines = notStarted === undefined ? [] : [`[-]manager ${notStarted}`];
  let ok = notStarted === undefined;
  for (const health of informers) {
    const result = check(health);
    ok &&= result.ok;
    lines.push(result.line);
  }
  lines.push(ok ? 'readyz check passed' : 'readyz check failed');
  return { status: ok ? 200 : 503, body: `${lines.join('\n')}\n` };
}
