// Conformance: coordination.k8s.io/v1 Lease and MicroTime (reference §2 item 31; apimachinery
// pkg/apis/meta/v1/micro_time.go, client-node #828).
import { describe, expect } from '@jest/globals';
import { conformanceCase } from './case.js';
import { create, expectOk, expectStatus } from './fixtures.js';
import { useTarget } from './target.js';

const t = useTarget('lease');
const leasePath = (ns: string, name?: string) =>
  `/apis/coordination.k8s.io/v1/namespaces/${ns}/leases${name ? `/${name}` : ''}`;

function lease(name: string, spec: Record<string, unknown>): any {
  return { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name }, spec };
}

describe('Lease and MicroTime', () => {
  // §2 item 31: six fractional digits are accepted and round-trip.
  conformanceCase(
    'lease-microtime-roundtrip',
    'renewTime/acquireTime with 6 fractional digits → 201 and read back unchanged',
    async () => {
      const spec = {
        holderIdentity: 'me',
        leaseDurationSeconds: 15,
        acquireTime: '2026-01-01T00:00:00.123456Z',
        renewTime: '2026-01-01T00:00:01.654321Z',
        leaseTransitions: 3,
      };
      const got = await create(t, leasePath(t.ns), lease('l1', spec));
      expect(got.spec).toEqual(spec);
      expect((await t.client.get(leasePath(t.ns, 'l1'))).json.spec).toEqual(spec);
    },
  );

  // §2 item 31: JS toISOString() (3 digits) is rejected with 400 and the Go parse message.
  conformanceCase(
    'lease-millis-400',
    'renewTime with 3 fractional digits (Date.toISOString) → 400 `cannot parse ".123Z" as ".000000"`',
    async () => {
      const res = await t.client.post(
        leasePath(t.ns),
        lease('l2', { holderIdentity: 'me', renewTime: '2026-01-01T00:00:00.123Z' }),
      );
      expectStatus(res, { code: 400, reason: 'BadRequest', message: /cannot parse "\.123Z" as "\.000000"/ });
    },
  );

  // §2 item 31: no fraction at all is rejected as well.
  conformanceCase(
    'lease-no-fraction-400',
    'acquireTime without fractional digits → 400 `cannot parse "Z" as ".000000"`',
    async () => {
      const res = await t.client.post(
        leasePath(t.ns),
        lease('l3', { holderIdentity: 'me', acquireTime: '2026-01-01T00:00:00Z' }),
      );
      expectStatus(res, { code: 400, reason: 'BadRequest', message: /cannot parse "Z" as "\.000000"/ });
    },
  );

  // §2 item 31: leader election is client-side optimistic concurrency; racing renewals → one 409.
  conformanceCase(
    'lease-race-one-wins',
    'two renewals from the same resourceVersion → one 200, one 409 Conflict naming leases.coordination.k8s.io',
    async () => {
      const made = await create(
        t,
        leasePath(t.ns),
        lease('l4', { holderIdentity: 'a', leaseDurationSeconds: 10 }),
      );
      const body = (who: string) => ({
        ...made,
        spec: { ...made.spec, holderIdentity: who, renewTime: '2026-01-01T00:00:00.000001Z' },
      });
      const [r1, r2] = await Promise.all([
        t.client.put(leasePath(t.ns, 'l4'), body('a')),
        t.client.put(leasePath(t.ns, 'l4'), body('b')),
      ]);
      expect([r1.status, r2.status].sort((a, b) => a - b)).toEqual([200, 409]);
      const loser = r1.status === 409 ? r1 : r2;
      expect(loser.json.message).toBe(
        'Operation cannot be fulfilled on leases.coordination.k8s.io "l4": the object has been modified; please apply your changes to the latest version and try again',
      );
    },
  );

  // §2 item 31: the server stores leases without interpreting them (no expiry, no holder change).
  conformanceCase(
    'lease-stored-not-interpreted',
    'an expired lease stays as written (the server runs no leader election)',
    async () => {
      const spec = {
        holderIdentity: 'old',
        leaseDurationSeconds: 1,
        renewTime: '2000-01-01T00:00:00.000000Z',
      };
      await create(t, leasePath(t.ns), lease('l5', spec));
      await new Promise((r) => setTimeout(r, 1100));
      expect((await t.client.get(leasePath(t.ns, 'l5'))).json.spec).toEqual(spec);
    },
  );

  // metav1.Time fields are written with second precision (unlike MicroTime spec fields).
  conformanceCase(
    'lease-metav1-time-second-precision',
    'metadata.creationTimestamp of a Lease is second-precision RFC3339',
    async () => {
      const got = await create(t, leasePath(t.ns), lease('l6', { holderIdentity: 'me' }));
      expect(got.metadata.creationTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    },
  );

  // §2 item 31: Lease is a namespaced resource of coordination.k8s.io/v1.
  conformanceCase(
    'lease-discovery',
    'coordination.k8s.io/v1 lists leases as namespaced kind Lease',
    async () => {
      const res = await t.client.get('/apis/coordination.k8s.io/v1');
      expect(res.json.resources.find((r: any) => r.name === 'leases')).toMatchObject({
        namespaced: true,
        kind: 'Lease',
      });
    },
  );

  // Updating only renewTime (merge patch) keeps the other fields.
  conformanceCase(
    'lease-renew-patch',
    'merge patch of spec.renewTime (6 digits) → 200, holderIdentity kept',
    async () => {
      await create(t, leasePath(t.ns), lease('l7', { holderIdentity: 'me', leaseDurationSeconds: 15 }));
      const got = expectOk(
        await t.client.patch(leasePath(t.ns, 'l7'), 'merge', {
          spec: { renewTime: '2026-02-02T02:02:02.020202Z' },
        }),
        200,
      );
      expect(got.spec).toMatchObject({
        holderIdentity: 'me',
        leaseDurationSeconds: 15,
        renewTime: '2026-02-02T02:02:02.020202Z',
      });
    },
  );
});
