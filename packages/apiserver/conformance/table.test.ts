// Conformance: Table output for `kubectl get` (issue 3; apiserver endpoints/handlers/response.go
// asTable, apiextensions tableconvertor, kubernetes pkg/printers/internalversion column sets).
import { describe, expect } from '@jest/globals';
import { conformanceCase } from './case.js';
import {
  cmPath,
  configMap,
  create,
  deployPath,
  deployment,
  lazyWidgetCrd,
  pod,
  podPath,
  widget,
} from './fixtures.js';
import { useTarget } from './target.js';

const t = useTarget('table');
const crd = lazyWidgetCrd(t);
/** What kubectl 1.32 sends for `get`. */
const KUBECTL_ACCEPT =
  'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';

const asTable = (path: string, query?: Record<string, string>) =>
  t.client.request('GET', path, query ? { accept: KUBECTL_ACCEPT, query } : { accept: KUBECTL_ACCEPT });
const columns = (table: any) => table.columnDefinitions.map((c: any) => c.name);

describe('table output', () => {
  // CRD additionalPrinterColumns become the Table's columns after Name.
  conformanceCase(
    'table-crd-printer-columns',
    'a CR list as Table → columns Name, Replicas, Phase, Age with cells [name, replicas, phase, age]',
    async () => {
      const c = await crd();
      await create(t, c.path(t.ns), widget(c, 'tw', { replicas: 3 }));
      await t.client.patch(c.path(t.ns, 'tw', 'status'), 'merge', { status: { phase: 'Running' } });
      const res = await asTable(c.path(t.ns));
      expect(res.status).toBe(200);
      expect(res.json).toMatchObject({
        kind: 'Table',
        apiVersion: 'meta.k8s.io/v1',
        metadata: { resourceVersion: expect.any(String) },
      });
      expect(columns(res.json)).toEqual(['Name', 'Replicas', 'Phase', 'Age']);
      expect(res.json.columnDefinitions[0]).toMatchObject({
        name: 'Name',
        type: 'string',
        format: 'name',
        priority: 0,
      });
      expect(res.json.columnDefinitions[1]).toMatchObject({ type: 'integer' });
      const row = res.json.rows.find((r: any) => r.cells[0] === 'tw');
      expect(row.cells.slice(0, 3)).toEqual(['tw', 3, 'Running']);
      expect(row.cells[3]).toMatch(/^\d+s$/);
    },
  );

  // A missing JSONPath value prints as null.
  conformanceCase('table-crd-missing-value-null', 'a CR without status has a null Phase cell', async () => {
    const c = await crd();
    await create(t, c.path(t.ns), widget(c, 'tn', { replicas: 1 }));
    const res = await asTable(c.path(t.ns, 'tn'));
    expect(res.json.rows).toHaveLength(1);
    expect(res.json.rows[0].cells[2]).toBeNull();
  });

  // Rows carry PartialObjectMetadata by default (includeObject=Metadata).
  conformanceCase(
    'table-row-object-metadata',
    'Table rows carry object {kind: PartialObjectMetadata, apiVersion: meta.k8s.io/v1, metadata}',
    async () => {
      await create(t, cmPath(t.ns), configMap('trow', { a: '1' }));
      const res = await asTable(cmPath(t.ns, 'trow'));
      expect(res.json.rows[0].object).toMatchObject({
        kind: 'PartialObjectMetadata',
        apiVersion: 'meta.k8s.io/v1',
        metadata: { name: 'trow', namespace: t.ns },
      });
    },
  );

  // Built-in ConfigMap printer: Name, Data, Age.
  conformanceCase(
    'table-configmap-columns',
    'ConfigMaps as Table → columns Name, Data, Age; Data counts keys',
    async () => {
      await create(t, cmPath(t.ns), configMap('tcm', { a: '1', b: '2' }));
      const res = await asTable(cmPath(t.ns, 'tcm'));
      expect(columns(res.json)).toEqual(['Name', 'Data', 'Age']);
      expect(res.json.rows[0].cells.slice(0, 2)).toEqual(['tcm', 2]);
    },
  );

  // Built-in Pod printer.
  conformanceCase(
    'table-pod-columns',
    'Pods as Table → Name, Ready, Status, Restarts, Age, IP, Node, Nominated Node, Readiness Gates',
    async () => {
      await create(t, podPath(t.ns), pod('tpod'));
      const res = await asTable(podPath(t.ns, 'tpod'));
      expect(columns(res.json)).toEqual([
        'Name',
        'Ready',
        'Status',
        'Restarts',
        'Age',
        'IP',
        'Node',
        'Nominated Node',
        'Readiness Gates',
      ]);
      expect(res.json.rows[0].cells.slice(0, 4)).toEqual(['tpod', '0/1', 'Pending', '0']);
    },
  );

  // Built-in Deployment printer.
  conformanceCase(
    'table-deployment-columns',
    'Deployments as Table → Name, Ready, Up-to-date, Available, Age, Containers, Images, Selector',
    async () => {
      await create(t, deployPath(t.ns), deployment('tdep', 2));
      const res = await asTable(deployPath(t.ns, 'tdep'));
      expect(columns(res.json)).toEqual([
        'Name',
        'Ready',
        'Up-to-date',
        'Available',
        'Age',
        'Containers',
        'Images',
        'Selector',
      ]);
      expect(res.json.rows[0].cells[1]).toBe('0/2');
    },
  );

  // Built-in Namespace printer.
  conformanceCase(
    'table-namespace-columns',
    'Namespaces as Table → Name, Status, Age with Status Active',
    async () => {
      const res = await asTable(`/api/v1/namespaces/${t.ns}`);
      expect(columns(res.json)).toEqual(['Name', 'Status', 'Age']);
      expect(res.json.rows[0].cells.slice(0, 2)).toEqual([t.ns, 'Active']);
    },
  );

  // A plain JSON Accept still gets the object, not a Table.
  conformanceCase(
    'table-plain-json-default',
    'Accept application/json → the object itself, not a Table',
    async () => {
      await create(t, cmPath(t.ns), configMap('tplain'));
      const res = await t.client.request('GET', cmPath(t.ns, 'tplain'), { accept: 'application/json' });
      expect(res.json.kind).toBe('ConfigMap');
    },
  );

  // Pagination works for Table lists (kubectl --chunk-size relies on it).
  conformanceCase(
    'table-paginated',
    'a Table list with limit=1 has one row and metadata.continue',
    async () => {
      const ns = await t.createNamespace('conf-table-pages');
      await create(t, cmPath(ns), configMap('p1'));
      await create(t, cmPath(ns), configMap('p2'));
      const res = await asTable(cmPath(ns), { limit: '1' });
      expect(res.json.kind).toBe('Table');
      expect(res.json.rows).toHaveLength(1);
      expect(res.json.metadata.continue).toEqual(expect.any(String));
    },
  );

  // includeObject=Object puts the whole object in each row.
  conformanceCase(
    'table-include-object',
    'a Table with ?includeObject=Object carries the full ConfigMap in rows[].object',
    async () => {
      await create(t, cmPath(t.ns), configMap('tobj', { k: 'v' }));
      const res = await asTable(cmPath(t.ns, 'tobj'), { includeObject: 'Object' });
      expect(res.json.rows[0].object).toMatchObject({
        kind: 'ConfigMap',
        apiVersion: 'v1',
        metadata: { name: 'tobj' },
        data: { k: 'v' },
      });
    },
  );
});
