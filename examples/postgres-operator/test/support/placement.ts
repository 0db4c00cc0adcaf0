/**
 * Which perturbation findings are about the simulated scheduler rather than the operator: a pod
 * created again lands on whichever node the round-robin scheduler reaches, so its node and addresses
 * may differ from the reference run's. Start with {@link operatorDivergences}. The runner has no
 * option to leave fields out of the end-state comparison, hence this filter over its findings.
 */
import type { Divergence, PerturbationReport } from '@steward/testing';

/**
 * Where the simulated scheduler puts a pod (its round-robin counter also moves on retried bindings)
 * and the addresses that follow from it: not the operator's state, so not part of "the same end".
 */
const PLACEMENT = /^(spec\.nodeName|status\.hostIPs?(\.\d+\.ip)?|status\.podIPs?(\.\d+\.ip)?) /;
const PLACEMENT_FIELDS = 5; // nodeName, hostIP, hostIPs.0.ip, podIP, podIPs.0.ip

/** True for an end-state finding about a Pod that differs in placement only. */
export function placementOnly(finding: string): boolean {
  const m = /^end state: Pod \S+ differs: (.*?)(?: and (\d+) more)?$/.exec(finding);
  if (m === null) return false;
  const shown = (m[1] ?? '').split('; ');
  const more = Number(m[2] ?? '0');
  return shown.every((p) => PLACEMENT.test(p)) && shown.length + more <= PLACEMENT_FIELDS;
}

/** The report's divergences without placement-only findings (and without those left empty). */
export function operatorDivergences(report: PerturbationReport): Divergence[] {
  return report.divergences
    .map((d) => ({ ...d, findings: d.findings.filter((f) => !placementOnly(f)) }))
    .filter((d) => d.findings.length > 0);
}
