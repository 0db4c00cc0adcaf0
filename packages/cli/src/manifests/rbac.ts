/**
 * The RBAC an operator needs, read from what its `setup` registers: `setup` runs against a recording
 * manager whose `add(options)` captures each controller's `for`/`owns`/`watches` kinds (and whether it
 * has a `cleanup`), and the rules follow from those. Start with {@link rbacFor}.
 */
import type { ResourceRef } from '@steward/core';
import type { Manager, OperatorDefinition, PolicyRule } from '@steward/core';
import { CliError } from '../cliError.js';

/** What `rbacFor` learnt of one controller from its `manager.add(options)`. */
export interface RecordedController {
  name: string;
  for: ResourceRef;
  owns: ResourceRef[];
  watches: ResourceRef[];
  cleanup: boolean;
}

const PRIMARY = ['get', 'list', 'watch', 'update', 'patch'];
const STATUS = ['get', 'update', 'patch'];
const OWNED = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'];
const WATCHED = ['get', 'list', 'watch'];
const LEASES = ['get', 'create', 'update'];
const EVENTS = ['create', 'patch'];
// Verbs in the order Kubernetes documents them, so a rule reads the same way every time.
const VERB_ORDER = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection'];

/**
 * Runs `operator.setup` on a manager that only records, and returns the controllers it added.
 * Anything else a setup touches at load time (the client, informers, start) throws a `CliError`
 * saying where that call belongs.
 */
export async function recordControllers(operator: OperatorDefinition): Promise<RecordedController[]> {
  const recorded: RecordedController[] = [];
  const misuse = (what: string, fix: string) =>
    new CliError(
      'MANIFESTS_SETUP_MISUSE',
      `manifests: operator ${operator.name}: setup() used manager.${what} at load time; ${fix}`,
    );
  const throwingProxy = (what: string, fix: string): never =>
    new Proxy(
      {},
      {
        get(_target, key) {
          // `await x` and console.log probe these; answering undefined keeps them harmless.
          if (key === 'then' || typeof key === 'symbol') return undefined;
          throw misuse(`${what}.${key}`, fix);
        },
      },
    ) as never;
  const toReconcile = 'move client calls into reconcile';
  const recorder: Manager = {
    client: throwingProxy('client', toReconcile),
    informers: throwingProxy(
      'informers',
      'read through ctx.reader in reconcile, or declare the kind in watches',
    ),
    registry: throwingProxy('registry', 'register metrics when the manager starts, not in setup'),
    log: () => {},
    add(options) {
      recorded.push({
        name: options.name,
        for: options.for,
        owns: [...(options.owns ?? [])],
        watches: (options.watches ?? []).map((w) => w.ref),
        cleanup: typeof (options as { cleanup?: unknown }).cleanup === 'function',
      });
    },
    start: () =>
      Promise.reject(misuse('start()', 'setup registers controllers; the generated main starts the manager')),
    stop: () => Promise.resolve(),
    run: () =>
      Promise.reject(misuse('run()', 'setup registers controllers; the generated main runs the manager')),
    isLeader: () => false,
    healthUrl: undefined,
    metricsUrl: undefined,
  };
  try {
    await operator.setup(recorder);
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw new CliError(
      'MANIFESTS_SETUP_FAILED',
      `manifests: operator ${operator.name}: setup() threw: ${(e as Error).message ?? String(e)}; fix setup so it runs without a cluster`,
      { cause: e },
    );
  }
  return recorded;
}

/** The ClusterRole rules `operator` needs: what its controllers imply, leases, events, plus `operator.rbac`. */
export async function rbacFor(operator: OperatorDefinition): Promise<PolicyRule[]> {
  return rulesFor(await recordControllers(operator), operator.rbac ?? []);
}

/** The rules for recorded controllers plus extra rules, merged per (apiGroup, resource) and sorted. */
export function rulesFor(
  controllers: readonly RecordedController[],
  extra: readonly PolicyRule[],
): PolicyRule[] {
  const merged = new Map<string, { group: string; resource: string; names: string[]; verbs: Set<string> }>();
  const grant = (
    group: string,
    resource: string,
    verbs: readonly string[],
    names: readonly string[] = [],
  ) => {
    const sortedNames = [...new Set(names)].sort();
    const key = JSON.stringify([group, resource, sortedNames]);
    let entry = merged.get(key);
    if (!entry) merged.set(key, (entry = { group, resource, names: sortedNames, verbs: new Set() }));
    for (const verb of verbs) entry.verbs.add(verb);
  };
  for (const c of controllers) {
    grant(c.for.group, c.for.plural, PRIMARY);
    grant(c.for.group, `${c.for.plural}/status`, STATUS);
    // `<plural>/finalizers`: OpenShift checks finalizer writes against it, and with the
    // OwnerReferencesPermissionEnforcement admission plugin a child whose ownerReference sets
    // blockOwnerDeletion (ctx.own does) needs it on the owner, so owning children needs it too.
    if (c.cleanup || c.owns.length > 0) grant(c.for.group, `${c.for.plural}/finalizers`, ['update']);
    for (const ref of c.owns) grant(ref.group, ref.plural, OWNED);
    for (const ref of c.watches) grant(ref.group, ref.plural, WATCHED);
  }
  grant('coordination.k8s.io', 'leases', LEASES);
  grant('events.k8s.io', 'events', EVENTS);
  grant('', 'events', EVENTS);
  for (const rule of extra)
    for (const group of rule.apiGroups)
      for (const resource of rule.resources) grant(group, resource, rule.verbs, rule.resourceNames ?? []);

  return [...merged.values()]
    .sort(
      (a, b) =>
        compare(a.group, b.group) ||
        compare(a.resource, b.resource) ||
        compare(a.names.join(','), b.names.join(',')),
    )
    .map(({ group, resource, names, verbs }) => ({
      apiGroups: [group],
      resources: [resource],
      ...(names.length > 0 ? { resourceNames: names } : {}),
      verbs: [...verbs].sort(byVerbOrder),
    }));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function verbRank(verb: string): number {
  return VERB_ORDER.includes(verb) ? VERB_ORDER.indexOf(verb) : VERB_ORDER.length;
}

function byVerbOrder(a: string, b: string): number {
  return verbRank(a) - verbRank(b) || compare(a, b);
}
