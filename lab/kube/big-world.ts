/**
 * A large cluster around a scenario, for `npm run bench -- --nodes N --pods-per-node P`: N Ready
 * worker nodes (with their NodeMetrics) and P running pods on each, spread over 100 namespaces
 * that are not the installation's. Objects are shaped and sized like real ones (node images,
 * pods with env, volumes, owner references, managedFields) so reading them costs what it costs on
 * a real API server.
 */
import type { ObjectStore } from './store.js';
import type { KubeObject } from './types.js';

export interface BigWorld { readonly nodes: number; readonly podsPerNode: number }

const CREATED = '2026-10-01T08:00:00Z';
const pad = (n: number, w: number) => String(n).padStart(w, '0');

function node(name: string): KubeObject {
  return {
    apiVersion: 'v1', kind: 'Node',
    metadata: {
      name, creationTimestamp: CREATED,
      labels: { 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64', 'node-role.kubernetes.io/worker': '', 'topology.kubernetes.io/zone': `zone-${name.slice(-1)}` },
      annotations: { 'node.alpha.kubernetes.io/ttl': '0', 'volumes.kubernetes.io/controller-managed-attach-detach': 'true' },
      managedFields: [{ manager: 'kubelet', operation: 'Update', apiVersion: 'v1', time: CREATED, fieldsType: 'FieldsV1', fieldsV1: { 'f:status': { 'f:conditions': {}, 'f:images': {}, 'f:nodeInfo': {} } } }],
    },
    spec: { podCIDR: '10.244.0.0/24', providerID: `lab://${name}` },
    status: {
      capacity: { cpu: '32', memory: '131900000Ki', pods: '110', 'ephemeral-storage': '203056560Ki' },
      allocatable: { cpu: '31750m', memory: '130700000Ki', pods: '110', 'ephemeral-storage': '187136077136' },
      conditions: [
        { type: 'MemoryPressure', status: 'False', reason: 'KubeletHasSufficientMemory', lastHeartbeatTime: CREATED, lastTransitionTime: CREATED, message: 'kubelet has sufficient memory available' },
        { type: 'DiskPressure', status: 'False', reason: 'KubeletHasNoDiskPressure', lastHeartbeatTime: CREATED, lastTransitionTime: CREATED, message: 'kubelet has no disk pressure' },
        { type: 'PIDPressure', status: 'False', reason: 'KubeletHasSufficientPID', lastHeartbeatTime: CREATED, lastTransitionTime: CREATED, message: 'kubelet has sufficient PID available' },
        { type: 'Ready', status: 'True', reason: 'KubeletReady', lastHeartbeatTime: CREATED, lastTransitionTime: CREATED, message: 'kubelet is posting ready status' },
      ],
      addresses: [{ type: 'InternalIP', address: '10.0.0.1' }, { type: 'Hostname', address: name }],
      nodeInfo: { kubeletVersion: 'v1.32.4', containerRuntimeVersion: 'containerd://1.7.24', kernelVersion: '6.1.0-28-amd64', osImage: 'Debian GNU/Linux 12 (bookworm)', operatingSystem: 'linux', architecture: 'amd64' },
      images: Array.from({ length: 25 }, (_, i) => ({ names: [`registry.example.com/team/app-${i}@sha256:${pad(i, 64)}`, `registry.example.com/team/app-${i}:v1.${i}.0`], sizeBytes: 50_000_000 + i })),
    },
  };
}

function pod(namespace: string, name: string, nodeName: string, i: number): KubeObject {
  const app = `svc-${i % 40}`;
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: {
      name, namespace, creationTimestamp: CREATED, labels: { app, 'pod-template-hash': '7d9c6b5f4' },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `${app}-7d9c6b5f4`, uid: '00000000-0000-4000-8000-000000000000', controller: true, blockOwnerDeletion: true }],
      managedFields: [{ manager: 'kube-controller-manager', operation: 'Update', apiVersion: 'v1', time: CREATED, fieldsType: 'FieldsV1', fieldsV1: { 'f:metadata': { 'f:labels': {} }, 'f:spec': { 'f:containers': {} } } }],
    },
    spec: {
      nodeName, serviceAccountName: 'default', restartPolicy: 'Always', terminationGracePeriodSeconds: 30, dnsPolicy: 'ClusterFirst',
      containers: [{
        name: 'app', image: `registry.example.com/team/${app}:v1.4.2`, ports: [{ containerPort: 8080, protocol: 'TCP' }],
        env: [{ name: 'LOG_LEVEL', value: 'info' }, { name: 'REGION', value: 'eu-west' }, { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }],
        resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } },
        volumeMounts: [{ name: 'kube-api-access', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', readOnly: true }],
        readinessProbe: { httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 10 },
      }],
      volumes: [{ name: 'kube-api-access', projected: { sources: [{ serviceAccountToken: { expirationSeconds: 3607, path: 'token' } }] } }],
      tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }],
    },
    status: {
      phase: 'Running', podIP: '10.244.1.1', hostIP: '10.0.0.1', startTime: CREATED, qosClass: 'Burstable',
      conditions: ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'].map((type) => ({ type, status: 'True', lastTransitionTime: CREATED })),
      containerStatuses: [{ name: 'app', ready: true, started: true, restartCount: 0, image: `registry.example.com/team/${app}:v1.4.2`, imageID: `registry.example.com/team/${app}@sha256:${pad(i % 40, 64)}`, containerID: `containerd://${pad(i, 64)}`, state: { running: { startedAt: CREATED } } }],
    },
  };
}

/** Adds the world to the store; returns how many nodes and pods it added. */
export function addBigWorld(store: ObjectStore, w: BigWorld): { nodes: number; pods: number } {
  let pods = 0;
  const objects: KubeObject[] = [];
  for (let n = 0; n < w.nodes; n++) {
    const name = `worker-${pad(n, 5)}`;
    objects.push(node(name));
    objects.push({ apiVersion: 'metrics.k8s.io/v1beta1', kind: 'NodeMetrics', metadata: { name, creationTimestamp: CREATED }, timestamp: CREATED, window: '20s', usage: { cpu: '9000m', memory: '60000000Ki' } } as KubeObject);
    for (let p = 0; p < w.podsPerNode; p++, pods++) objects.push(pod(`team-${pad(pods % 100, 3)}`, `${name}-app-${pad(p, 3)}`, name, pods));
  }
  store.preload(objects);
  return { nodes: w.nodes, pods };
}
