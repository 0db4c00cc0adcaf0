import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { KubeConfig } from '@kubernetes/client-node';
import { ClientUsageError } from './errors.js';
import { loadKubeConfig } from './loadKubeConfig.js';

const doc = {
  apiVersion: 'v1',
  kind: 'Config',
  clusters: [{ name: 'c', cluster: { server: 'http://127.0.0.1:6443' } }],
  users: [{ name: 'u', user: {} }],
  contexts: [{ name: 'x', context: { cluster: 'c', user: 'u' } }],
  'current-context': 'x',
};

describe('loadKubeConfig', () => {
  test('passes a KubeConfig through unchanged', () => {
    const kc = new KubeConfig();
    expect(loadKubeConfig(kc)).toBe(kc);
  });

  test('loads a kubeconfig object (an embedded server hands one out)', () => {
    expect(loadKubeConfig(doc).getCurrentCluster()?.server).toBe('http://127.0.0.1:6443');
  });

  test('loads a kubeconfig file by path', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'steward-kc-')), 'config');
    writeFileSync(file, JSON.stringify(doc));
    expect(loadKubeConfig(file).getCurrentContext()).toBe('x');
  });

  test('refuses anything else with a message saying what it takes', () => {
    expect(() => loadKubeConfig({ server: 'x' })).toThrow(ClientUsageError);
    expect(() => loadKubeConfig({ server: 'x' })).toThrow(/kubeconfig file path/);
  });
});
