import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { findResource, RESOURCES } from './resources.js';
import type { KubeApi } from './server.js';
import { startKubeApi } from './server.js';
import { ObjectStore } from './store.js';
import { buildTable, crdPrinter, printerFor } from './tables.js';
import { NOW, TABLE_ACCEPT, ago, call, pod } from './test-support.js';
import type { KubeObject } from './types.js';

interface Table {
  kind: string;
  apiVersion: string;
  metadata: { resourceVersion: string; continue?: string; remainingItemCount?: number };
  columnDefinitions: { name: string; type: string; format: string; description: string; priority: number }[];
  rows: { cells: unknown[]; object: { kind: string; metadata: { name: string; namespace?: string } }; conditions?: unknown[] }[];
}

const resource = (kind: string) => RESOURCES.find((r) => r.kind === kind)!;
const cells = (kind: string, obj: KubeObject): unknown[] => printerFor(resource(kind)).print(obj, NOW).cells;
const columns = (kind: string, wide = false): string[] =>
  printerFor(resource(kind)).columns.filter((c) => wide || c.priority === 0).map((c) => c.name);
/** Name, Ready, Status, Restarts, Age of a pod row. */
const podRow = (p: KubeObject): unknown[] => cells('Pod', p).slice(0, 5);
const running = { running: { startedAt: ago(3600) } };

describe('pod printer', () => {
  it('prints Running with ready counts and restarts with how long ago, as kubectl does', () => {
    const p = pod('ns', 'web', {
      spec: { containers: [{ name: 'a' }, { name: 'b' }] },
      status: {
        containerStatuses: [
          { name: 'a', ready: true, restartCount: 2, state: running, lastState: { terminated: { exitCode: 1, finishedAt: ago(300) } } },
          { name: 'b', ready: false, restartCount: 0, state: running },
        ],
      },
    });
    assert.deepEqual(podRow(p), ['web', '1/2', 'Running', '2 (5m ago)', '60m']);
  });

  it('prints the waiting reason: CrashLoopBackOff, ImagePullBackOff', () => {
    const crash = pod('ns', 'c', { status: { containerStatuses: [{ name: 'app', ready: false, restartCount: 7, state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { exitCode: 1, finishedAt: ago(180) } } }] } });
    assert.deepEqual(podRow(crash), ['c', '0/1', 'CrashLoopBackOff', '7 (3m ago)', '60m']);
    const pull = pod('ns', 'p', { status: { phase: 'Pending', containerStatuses: [{ name: 'app', ready: false, restartCount: 0, state: { waiting: { reason: 'ImagePullBackOff' } } }] } });
    assert.deepEqual(podRow(pull), ['p', '0/1', 'ImagePullBackOff', '0', '60m']);
  });

  it('prints Terminating for a deleted pod, Completed and its row condition for a finished one', () => {
    const dying = pod('ns', 'd', { status: { containerStatuses: [{ name: 'app', ready: true, state: running }] } });
    dying.metadata.deletionTimestamp = ago(5);
    assert.equal(podRow(dying)[2], 'Terminating');
    const done = pod('ns', 'job-x', { status: { phase: 'Succeeded', containerStatuses: [{ name: 'app', ready: false, state: { terminated: { exitCode: 0, reason: 'Completed' } } }] } });
    assert.equal(podRow(done)[2], 'Completed');
    assert.deepEqual(printerFor(resource('Pod')).print(done, NOW).conditions, [{ type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' }]);
  });

  it('prints init progress and init failures', () => {
    const init = pod('ns', 'i', {
      spec: { initContainers: [{ name: 'migrate' }, { name: 'wait' }] },
      status: { phase: 'Pending', initContainerStatuses: [{ name: 'migrate', state: { terminated: { exitCode: 0 } } }, { name: 'wait', state: { running: {} } }] },
    });
    assert.equal(podRow(init)[2], 'Init:1/2');
    const failed = pod('ns', 'f', { spec: { initContainers: [{ name: 'migrate' }] }, status: { phase: 'Pending', initContainerStatuses: [{ name: 'migrate', restartCount: 3, state: { waiting: { reason: 'CrashLoopBackOff' } } }] } });
    assert.deepEqual(podRow(failed).slice(2, 4), ['Init:CrashLoopBackOff', '3']);
  });

  it('has the real column set, wide columns at priority 1, and <none> for missing IP and node', () => {
    assert.deepEqual(columns('Pod'), ['Name', 'Ready', 'Status', 'Restarts', 'Age']);
    assert.deepEqual(columns('Pod', true).slice(5), ['IP', 'Node', 'Nominated Node', 'Readiness Gates']);
    const pending = pod('ns', 'x', { spec: { nodeName: '' }, status: { phase: 'Pending', podIP: '', podIPs: [] } });
    assert.deepEqual(cells('Pod', pending).slice(5), ['<none>', '<none>', '<none>', '<none>']);
  });
});

describe('other built-in printers', () => {
  it('nodes: Ready/NotReady, SchedulingDisabled, roles', () => {
    const node: KubeObject = {
      apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1', creationTimestamp: ago(86400 * 3), labels: { 'node-role.kubernetes.io/control-plane': '', 'kubernetes.io/role': 'db' } },
      spec: { unschedulable: true },
      status: { conditions: [{ type: 'Ready', status: 'False' }], nodeInfo: { kubeletVersion: 'v1.32.4' }, addresses: [{ type: 'InternalIP', address: '10.0.0.1' }] },
    };
    assert.deepEqual(columns('Node'), ['Name', 'Status', 'Roles', 'Age', 'Version']);
    assert.deepEqual(cells('Node', node), ['n1', 'NotReady,SchedulingDisabled', 'control-plane,db', '3d', 'v1.32.4', '10.0.0.1', '<none>', '<unknown>', '<unknown>', '<unknown>']);
    const bare: KubeObject = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n2', creationTimestamp: ago(60) } };
    assert.deepEqual(cells('Node', bare).slice(0, 3), ['n2', 'Unknown', '<none>']);
  });

  it('deployments and replicasets', () => {
    const template = { spec: { containers: [{ name: 'mattermost', image: 'mm:10' }, { name: 'sidecar', image: 'sc:1' }] } };
    const d: KubeObject = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'mm', creationTimestamp: ago(7200) }, spec: { replicas: 3, selector: { matchLabels: { b: '2', a: '1' } }, template }, status: { readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2 } };
    assert.deepEqual(columns('Deployment'), ['Name', 'Ready', 'Up-to-date', 'Available', 'Age']);
    assert.deepEqual(cells('Deployment', d), ['mm', '2/3', 3, 2, '120m', 'mattermost,sidecar', 'mm:10,sc:1', 'a=1,b=2']);
    const rs: KubeObject = { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'mm-1', creationTimestamp: ago(60) }, spec: { replicas: 3, template, selector: { matchExpressions: [{ key: 'tier', operator: 'In', values: ['web', 'api'] }] } }, status: { replicas: 3, readyReplicas: 1 } };
    assert.deepEqual(columns('ReplicaSet'), ['Name', 'Desired', 'Current', 'Ready', 'Age']);
    assert.deepEqual(cells('ReplicaSet', rs), ['mm-1', 3, 3, 1, '60s', 'mattermost,sidecar', 'mm:10,sc:1', 'tier in (api,web)']);
  });

  it('jobs: status, completions and duration', () => {
    const job: KubeObject = {
      apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'update-check', creationTimestamp: ago(600) },
      spec: { completions: 1, template: { spec: { containers: [{ name: 'check', image: 'mm:11' }] } } },
      status: { succeeded: 1, startTime: ago(600), completionTime: ago(555), conditions: [{ type: 'Complete', status: 'True' }] },
    };
    assert.deepEqual(columns('Job'), ['Name', 'Status', 'Completions', 'Duration', 'Age']);
    assert.deepEqual(cells('Job', job).slice(0, 5), ['update-check', 'Complete', '1/1', '45s', '10m']);
    const failing = { ...job, spec: { parallelism: 2 }, status: { startTime: ago(30), conditions: [{ type: 'Failed', status: 'True' }] } };
    assert.deepEqual(cells('Job', failing).slice(1, 4), ['Failed', '0/1 of 2', '30s']);
  });

  it('events, secrets, namespaces, configmaps and services', () => {
    const ev: KubeObject = {
      apiVersion: 'v1', kind: 'Event', metadata: { name: 'e.1', namespace: 'ns' }, type: 'Warning', reason: 'BackOff', message: ' Back-off restarting \n',
      involvedObject: { kind: 'Pod', name: 'web', fieldPath: 'spec.containers{app}' }, source: { component: 'kubelet', host: 'node-a' },
      firstTimestamp: ago(3600), lastTimestamp: ago(65), count: 12,
    };
    assert.deepEqual(columns('Event'), ['Last Seen', 'Type', 'Reason', 'Object', 'Message']);
    assert.deepEqual(cells('Event', ev), ['65s', 'Warning', 'BackOff', 'pod/web', 'spec.containers{app}', 'kubelet, node-a', 'Back-off restarting', '60m', 12, 'e.1']);
    const secret: KubeObject = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', creationTimestamp: ago(10) }, type: 'helm.sh/release.v1', data: { release: 'x' } };
    assert.deepEqual([columns('Secret'), cells('Secret', secret)], [['Name', 'Type', 'Data', 'Age'], ['s', 'helm.sh/release.v1', 1, '10s']]);
    const ns: KubeObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'mattermost', creationTimestamp: ago(86400 * 30) }, status: { phase: 'Active' } };
    assert.deepEqual([columns('Namespace'), cells('Namespace', ns)], [['Name', 'Status', 'Age'], ['mattermost', 'Active', '30d']]);
    const cm: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', creationTimestamp: ago(10) }, data: { a: '1', b: '2' }, binaryData: { c: 'AA==' } };
    assert.deepEqual([columns('ConfigMap'), cells('ConfigMap', cm)], [['Name', 'Data', 'Age'], ['c', 3, '10s']]);
    const svc: KubeObject = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'mm', creationTimestamp: ago(10) }, spec: { type: 'LoadBalancer', clusterIPs: ['10.96.0.5'], ports: [{ port: 80, nodePort: 30080, protocol: 'TCP' }], selector: { app: 'mm' } } };
    assert.deepEqual(columns('Service'), ['Name', 'Type', 'Cluster-IP', 'External-IP', 'Port(s)', 'Age']);
    assert.deepEqual(cells('Service', svc), ['mm', 'LoadBalancer', '10.96.0.5', '<pending>', '80:30080/TCP', '10s', 'app=mm']);
  });
});

describe('custom resource tables', () => {
  const mm = findResource('installation.mattermost.com', 'v1beta1', 'mattermosts')!;
  it('use the CRD printer columns with no Age, and null for missing fields', () => {
    const printer = printerFor(mm);
    assert.deepEqual(printer.columns.map((c) => c.name), ['Name', 'State', 'Image', 'Version', 'Endpoint']);
    const obj: KubeObject = { apiVersion: 'installation.mattermost.com/v1beta1', kind: 'Mattermost', metadata: { name: 'mm' }, status: { state: 'reconciling', version: 10.5 } };
    assert.deepEqual(printer.print(obj, NOW).cells, ['mm', 'reconciling', null, '10.5', null]);
  });

  it('add Age only when the CRD defines no columns, and format date and boolean columns', () => {
    assert.deepEqual(crdPrinter([]).columns.map((c) => [c.name, c.type]), [['Name', 'string'], ['Age', 'date']]);
    const vs = printerFor(findResource('snapshot.storage.k8s.io', 'v1', 'volumesnapshots')!);
    assert.deepEqual(vs.columns.map((c) => c.name), ['Name', 'ReadyToUse', 'SourcePVC', 'SourceSnapshotContent', 'RestoreSize', 'SnapshotClass', 'SnapshotContent', 'CreationTime', 'Age']);
    const snap: KubeObject = {
      apiVersion: 'snapshot.storage.k8s.io/v1', kind: 'VolumeSnapshot', metadata: { name: 'db', creationTimestamp: ago(7200) },
      spec: { source: { persistentVolumeClaimName: 'data-db-0' }, volumeSnapshotClassName: 'csi' },
      status: { readyToUse: true, restoreSize: '20Gi', creationTime: ago(7190) },
    };
    assert.deepEqual(vs.print(snap, NOW).cells, ['db', true, 'data-db-0', null, '20Gi', 'csi', null, '119m', '120m']);
  });

  it('metrics kinds get the default Name / Created At table', () => {
    const nm = printerFor(findResource('metrics.k8s.io', 'v1beta1', 'nodes')!);
    assert.deepEqual(nm.columns.map((c) => c.name), ['Name', 'Created At']);
  });

  it('buildTable carries PartialObjectMetadata rows and the paging metadata', () => {
    const t = buildTable(resource('Namespace'), [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'a', labels: { x: 'y' } } }], { resourceVersion: '7', continue: 'tok', remainingItemCount: 2 }, NOW) as unknown as Table;
    assert.deepEqual(t.metadata, { resourceVersion: '7', continue: 'tok', remainingItemCount: 2 });
    assert.deepEqual(t.rows[0]!.object, { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: { name: 'a', labels: { x: 'y' } } });
  });
});

describe('Tables over HTTP', () => {
  let api: KubeApi;
  before(async () => {
    api = await startKubeApi({
      store: new ObjectStore([pod('a', 'p1'), pod('b', 'p2'), pod('b', 'p3')]),
      now: () => NOW,
    });
  });
  after(() => api.close());

  it('answer kubectl human output with a v1 Table and its media type', async () => {
    const r = await call(api, '/api/v1/pods?limit=500', { headers: { accept: TABLE_ACCEPT } });
    assert.equal(r.headers['content-type'], 'application/json;as=Table;v=v1;g=meta.k8s.io');
    const t = r.json<Table>();
    assert.deepEqual([t.kind, t.apiVersion], ['Table', 'meta.k8s.io/v1']);
    assert.deepEqual(t.rows.map((row) => [row.object.metadata.namespace, row.cells[0], row.cells[4]]), [['a', 'p1', '60m'], ['b', 'p2', '60m'], ['b', 'p3', '60m']]);
    assert.deepEqual(t.columnDefinitions[0], { name: 'Name', type: 'string', format: 'name', description: t.columnDefinitions[0]!.description, priority: 0 });
  });

  it('put the continue token in the Table when paging (kubectl --chunk-size needs it)', async () => {
    const first = (await call(api, '/api/v1/pods?limit=2', { headers: { accept: TABLE_ACCEPT } })).json<Table>();
    assert.equal(first.rows.length, 2);
    assert.ok(first.metadata.continue);
    const second = (await call(api, `/api/v1/pods?limit=2&continue=${first.metadata.continue}`, { headers: { accept: TABLE_ACCEPT } })).json<Table>();
    assert.deepEqual(second.rows.map((row) => row.cells[0]), ['p3']);
  });

  it('render a single get as a one-row Table, and v1beta1 when that is all the client takes', async () => {
    const one = (await call(api, '/api/v1/namespaces/b/pods/p2', { headers: { accept: TABLE_ACCEPT } })).json<Table>();
    assert.deepEqual(one.rows.map((row) => row.cells[0]), ['p2']);
    const beta = await call(api, '/api/v1/pods', { headers: { accept: 'application/json;as=Table;v=v1beta1;g=meta.k8s.io' } });
    assert.equal(beta.json<Table>().apiVersion, 'meta.k8s.io/v1beta1');
  });
});
