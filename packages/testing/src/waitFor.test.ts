import { expect, test } from '@jest/globals';
import { waitFor, WaitTimeoutError } from './waitFor.js';

test('returns the first truthy value', async () => {
  let n = 0;
  const value = await waitFor(() => (++n >= 3 ? { ready: n } : undefined), { interval: 1 });
  expect(value).toEqual({ ready: 3 });
});

test('treats a throwing probe as not yet', async () => {
  let n = 0;
  const value = await waitFor(
    async () => {
      if (++n < 3) throw new Error('NotFound');
      return 'found';
    },
    { interval: 1 },
  );
  expect(value).toBe('found');
});

test('fails with the description and the last value seen', async () => {
  const err = await waitFor(() => false, { timeout: 30, interval: 5, description: 'pod to run' }).catch(
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(WaitTimeoutError);
  expect((err as Error).message).toMatch(/timed out after 30 ms waiting for pod to run; last value: false/);
});

test('fails with the last error when the probe kept throwing', async () => {
  const err = (await waitFor(
    () => {
      throw new Error('pods "x" not found');
    },
    { timeout: 20, interval: 5 },
  ).catch((e: unknown) => e)) as WaitTimeoutError;
  expect(err.message).toContain('last error: pods "x" not found');
  expect(err.cause).toBeInstanceOf(Error);
});

test('shows the state the caller names, read at the timeout, without managedFields', async () => {
  let reads = 0;
  const pod = {
    metadata: { name: 'db-0', managedFields: [{ manager: 'kubelet' }] },
    status: { phase: 'Pending' },
  };
  const err = (await waitFor(() => false, {
    timeout: 20,
    interval: 5,
    description: 'db-0 to run',
    state: () => {
      reads++;
      return pod;
    },
  }).catch((e: unknown) => e)) as WaitTimeoutError;
  expect(reads).toBe(1);
  expect(err.message).toContain('last value: false\nstate: {');
  expect(err.message).toContain('"phase": "Pending"');
  expect(err.message).not.toContain('managedFields');
});

test('a state reader that throws is shown as such', async () => {
  const err = (await waitFor(() => 0, {
    timeout: 10,
    interval: 5,
    state: async () => {
      throw new Error('pods "db-0" not found');
    },
  }).catch((e: unknown) => e)) as WaitTimeoutError;
  expect(err.message).toContain('state: (reading it failed: pods "db-0" not found)');
});
