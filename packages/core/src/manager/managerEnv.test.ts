import { describe, expect, test } from '@jest/globals';
import { managerOptionsFromEnv } from './managerEnv.js';
import { ManagerConfigError } from './managerErrors.js';

describe('managerOptionsFromEnv', () => {
  test('a local run: no leader election, default ports, every namespace', () => {
    expect(managerOptionsFromEnv('pg-operator', {})).toEqual({
      leaderElection: false,
      healthProbe: { port: 8081 },
      metrics: { port: 8080 },
    });
  });

  test("the Deployment's environment: a Lease named after the operator in its namespace, the pod as identity", () => {
    const options = managerOptionsFromEnv('pg-operator', {
      STEWARD_LEADER_ELECTION: 'true',
      POD_NAME: 'pg-operator-7d9f-abc',
      POD_NAMESPACE: 'pg-system',
      STEWARD_HEALTH_PORT: '9081',
      STEWARD_METRICS_PORT: '9080',
      WATCH_NAMESPACE: 'shop',
    });
    expect(options).toEqual({
      leaderElection: { name: 'pg-operator', namespace: 'pg-system', identity: 'pg-operator-7d9f-abc' },
      healthProbe: { port: 9081 },
      metrics: { port: 9080 },
      namespace: 'shop',
    });
  });

  test('explicit Lease name and namespace win', () => {
    const options = managerOptionsFromEnv('x', {
      STEWARD_LEADER_ELECTION: 'true',
      STEWARD_LEADER_ELECTION_NAME: 'lease',
      STEWARD_LEADER_ELECTION_NAMESPACE: 'ops',
      POD_NAMESPACE: 'ignored',
    });
    expect(options.leaderElection).toEqual({ name: 'lease', namespace: 'ops' });
  });

  test('a port that is not a port is refused, naming the variable', () => {
    expect(() => managerOptionsFromEnv('x', { STEWARD_METRICS_PORT: 'http' })).toThrow(ManagerConfigError);
    expect(() => managerOptionsFromEnv('x', { STEWARD_METRICS_PORT: 'http' })).toThrow(
      /STEWARD_METRICS_PORT="http"/,
    );
  });
});
