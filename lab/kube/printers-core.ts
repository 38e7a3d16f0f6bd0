/**
 * Server-side Table printers for core/v1 kinds, ported from pkg/printers/internalversion/printers.go
 * (Kubernetes 1.32). kubectl prints whatever cells the server sends, so these decide what
 * `kubectl get` shows against the lab.
 */
import { ageSince } from './duration.js';
import type { Container, Printer, PrintedRow } from './printers-common.js';
import { NAME_DOC, as, col, formatLabels, nameCol, ageCol, wide } from './printers-common.js';

interface ContainerState {
  waiting?: { reason?: string };
  running?: object;
  terminated?: { reason?: string; exitCode?: number; signal?: number; finishedAt?: string };
}
interface ContainerStatus {
  name: string;
  ready?: boolean;
  started?: boolean;
  restartCount?: number;
  state?: ContainerState;
  lastState?: ContainerState;
}
interface Condition {
  type: string;
  status: string;
  reason?: string;
}
interface Pod {
  metadata: { deletionTimestamp?: string };
  spec?: { containers?: Container[]; initContainers?: Container[]; nodeName?: string; readinessGates?: { conditionType: string }[] };
  status?: {
    phase?: string;
    reason?: string;
    conditions?: Condition[];
    initContainerStatuses?: ContainerStatus[];
    containerStatuses?: ContainerStatus[];
    podIP?: string;
    podIPs?: { ip: string }[];
    nominatedNodeName?: string;
  };
}

const later = (a: string | undefined, b: string | undefined): string | undefined =>
  !b ? a : !a || Date.parse(b) > Date.parse(a) ? b : a;

/** printPod: the Ready, Status and Restarts logic kubectl users know, init containers and sidecars included. */
function printPod(obj: Parameters<Printer['print']>[0], now: Date): PrintedRow {
  const pod = as<Pod>(obj);
  const spec = pod.spec ?? {};
  const status = pod.status ?? {};
  const initContainers = spec.initContainers ?? [];
  const isSidecar = (name: string): boolean => initContainers.find((c) => c.name === name)?.restartPolicy === 'Always';
  const total = (spec.containers ?? []).length + initContainers.filter((c) => c.restartPolicy === 'Always').length;
  let ready = 0;
  let restarts = 0;
  let sidecarRestarts = 0;
  let lastRestart: string | undefined;
  let lastSidecarRestart: string | undefined;
  let reason = status.reason || status.phase || '';
  if ((status.conditions ?? []).some((c) => c.type === 'PodScheduled' && c.reason === 'SchedulingGated')) reason = 'SchedulingGated';

  let initializing = false;
  const initStatuses = status.initContainerStatuses ?? [];
  for (let i = 0; i < initStatuses.length; i++) {
    const c = initStatuses[i]!;
    restarts += c.restartCount ?? 0;
    lastRestart = later(lastRestart, c.lastState?.terminated?.finishedAt);
    if (isSidecar(c.name)) {
      sidecarRestarts += c.restartCount ?? 0;
      lastSidecarRestart = later(lastSidecarRestart, c.lastState?.terminated?.finishedAt);
    }
    const terminated = c.state?.terminated;
    const waiting = c.state?.waiting;
    if (terminated && (terminated.exitCode ?? 0) === 0) continue;
    if (isSidecar(c.name) && c.started) {
      if (c.ready) ready++;
      continue;
    }
    if (terminated) {
      reason = terminated.reason ? `Init:${terminated.reason}`
        : terminated.signal ? `Init:Signal:${terminated.signal}` : `Init:ExitCode:${terminated.exitCode ?? 0}`;
    } else if (waiting?.reason && waiting.reason !== 'PodInitializing') {
      reason = `Init:${waiting.reason}`;
    } else {
      reason = `Init:${i}/${initContainers.length}`;
    }
    initializing = true;
    break;
  }

  const initialized = (status.conditions ?? []).some((c) => c.type === 'Initialized' && c.status === 'True');
  if (!initializing || initialized) {
    restarts = sidecarRestarts;
    lastRestart = lastSidecarRestart;
    let hasRunning = false;
    const statuses = status.containerStatuses ?? [];
    for (let i = statuses.length - 1; i >= 0; i--) {
      const c = statuses[i]!;
      restarts += c.restartCount ?? 0;
      lastRestart = later(lastRestart, c.lastState?.terminated?.finishedAt);
      const terminated = c.state?.terminated;
      if (c.state?.waiting?.reason) reason = c.state.waiting.reason;
      else if (terminated?.reason) reason = terminated.reason;
      else if (terminated) reason = terminated.signal ? `Signal:${terminated.signal}` : `ExitCode:${terminated.exitCode ?? 0}`;
      else if (c.ready && c.state?.running) {
        hasRunning = true;
        ready++;
      }
    }
    if (reason === 'Completed' && hasRunning) {
      reason = (status.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True') ? 'Running' : 'NotReady';
    }
  }

  const terminal = status.phase === 'Succeeded' || status.phase === 'Failed';
  if (pod.metadata.deletionTimestamp && status.reason === 'NodeLost') reason = 'Unknown';
  else if (pod.metadata.deletionTimestamp && !terminal) reason = 'Terminating';

  const restartCell = restarts !== 0 && lastRestart ? `${restarts} (${ageSince(lastRestart, now)} ago)` : String(restarts);
  const gates = spec.readinessGates ?? [];
  const gatesCell = gates.length === 0 ? '<none>'
    : `${gates.filter((g) => (status.conditions ?? []).find((c) => c.type === g.conditionType)?.status === 'True').length}/${gates.length}`;
  const row: PrintedRow = {
    cells: [
      pod.metadata.name, `${ready}/${total}`, reason, restartCell, ageSince(pod.metadata.creationTimestamp, now),
      status.podIPs?.[0]?.ip || status.podIP || '<none>', spec.nodeName || '<none>', status.nominatedNodeName || '<none>', gatesCell,
    ],
  };
  if (status.phase === 'Succeeded') row.conditions = [{ type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' }];
  if (status.phase === 'Failed') row.conditions = [{ type: 'Completed', status: 'True', reason: 'Failed', message: 'The pod failed.' }];
  return row;
}

interface Node {
  spec?: { unschedulable?: boolean };
  status?: {
    conditions?: Condition[];
    addresses?: { type: string; address: string }[];
    nodeInfo?: { kubeletVersion?: string; osImage?: string; kernelVersion?: string; containerRuntimeVersion?: string };
  };
}

function printNode(obj: Parameters<Printer['print']>[0], now: Date): PrintedRow {
  const node = as<Node>(obj);
  const readyCond = node.status?.conditions?.find((c) => c.type === 'Ready');
  const status = [readyCond ? (readyCond.status === 'True' ? 'Ready' : 'NotReady') : 'Unknown'];
  if (node.spec?.unschedulable) status.push('SchedulingDisabled');
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(node.metadata.labels ?? {})) {
    if (k.startsWith('node-role.kubernetes.io/') && k.length > 'node-role.kubernetes.io/'.length) roles.add(k.slice('node-role.kubernetes.io/'.length));
    else if (k === 'kubernetes.io/role' && v !== '') roles.add(v);
  }
  const address = (type: string): string => node.status?.addresses?.find((a) => a.type === type)?.address ?? '<none>';
  const info = node.status?.nodeInfo ?? {};
  return {
    cells: [
      node.metadata.name, status.join(','), [...roles].sort().join(',') || '<none>', ageSince(node.metadata.creationTimestamp, now),
      info.kubeletVersion ?? '', address('InternalIP'), address('ExternalIP'),
      info.osImage || '<unknown>', info.kernelVersion || '<unknown>', info.containerRuntimeVersion || '<unknown>',
    ],
  };
}

interface Service {
  spec?: {
    type?: string; clusterIP?: string; clusterIPs?: string[]; externalIPs?: string[]; externalName?: string;
    ports?: { port: number; nodePort?: number; protocol?: string }[]; selector?: Record<string, string>;
  };
  status?: { loadBalancer?: { ingress?: { ip?: string; hostname?: string }[] } };
}

function serviceExternalIP(svc: Service): string {
  const spec = svc.spec ?? {};
  const external = spec.externalIPs ?? [];
  switch (spec.type ?? 'ClusterIP') {
    case 'ClusterIP':
    case 'NodePort':
      return external.length ? external.join(',') : '<none>';
    case 'LoadBalancer': {
      const lb = [...new Set((svc.status?.loadBalancer?.ingress ?? []).map((i) => i.ip || i.hostname || '').filter(Boolean))];
      const all = [...lb, ...external];
      return all.length ? all.join(',') : '<pending>';
    }
    case 'ExternalName':
      return spec.externalName ?? '';
    default:
      return '<unknown>';
  }
}

function printService(obj: Parameters<Printer['print']>[0], now: Date): PrintedRow {
  const svc = as<Service>(obj);
  const spec = svc.spec ?? {};
  const ports = (spec.ports ?? []).map((p) => (p.nodePort ? `${p.port}:${p.nodePort}/${p.protocol ?? 'TCP'}` : `${p.port}/${p.protocol ?? 'TCP'}`)).join(',');
  return {
    cells: [
      svc.metadata.name, spec.type ?? 'ClusterIP', spec.clusterIPs?.[0] ?? spec.clusterIP ?? '<none>', serviceExternalIP(svc),
      ports || '<none>', ageSince(svc.metadata.creationTimestamp, now), formatLabels(spec.selector),
    ],
  };
}

interface Event {
  type?: string; reason?: string; message?: string; count?: number; firstTimestamp?: string; lastTimestamp?: string; eventTime?: string;
  involvedObject?: { kind?: string; name?: string; fieldPath?: string };
  source?: { component?: string; host?: string };
  reportingComponent?: string; reportingInstance?: string;
  series?: { count?: number; lastObservedTime?: string };
}

function printEvent(obj: Parameters<Printer['print']>[0], now: Date): PrintedRow {
  const ev = as<Event>(obj);
  const first = ev.firstTimestamp ? ageSince(ev.firstTimestamp, now) : ageSince(ev.eventTime, now);
  let last = ev.lastTimestamp ? ageSince(ev.lastTimestamp, now) : first;
  let count = ev.count ?? 0;
  if (ev.series) {
    last = ageSince(ev.series.lastObservedTime, now);
    count = ev.series.count ?? 0;
  } else if (count === 0) {
    count = 1; // singleton events of the events.k8s.io API carry no count
  }
  const kind = (ev.involvedObject?.kind ?? '').toLowerCase();
  const target = ev.involvedObject?.name ? `${kind}/${ev.involvedObject.name}` : kind;
  const component = ev.source?.component || ev.reportingComponent || '';
  const instance = ev.source?.host || ev.reportingInstance || '';
  return {
    cells: [
      last, ev.type ?? '', ev.reason ?? '', target, ev.involvedObject?.fieldPath ?? '',
      instance ? `${component}, ${instance}` : component, (ev.message ?? '').trim(), first, count, ev.metadata.name,
    ],
  };
}

interface Pvc {
  metadata: { deletionTimestamp?: string; annotations?: Record<string, string> };
  spec?: { volumeName?: string; storageClassName?: string; volumeMode?: string; volumeAttributesClassName?: string };
  status?: { phase?: string; accessModes?: string[]; capacity?: { storage?: string } };
}

/** GetAccessModesAsString: a fixed order, whatever order the object lists them in. */
function accessModes(modes: string[] | undefined): string {
  const short: [string, string][] = [['ReadWriteOnce', 'RWO'], ['ReadOnlyMany', 'ROX'], ['ReadWriteMany', 'RWX'], ['ReadWriteOncePod', 'RWOP']];
  return short.filter(([m]) => (modes ?? []).includes(m)).map(([, s]) => s).join(',');
}

function printPvc(obj: Parameters<Printer['print']>[0], now: Date): PrintedRow {
  const pvc = as<Pvc>(obj);
  const spec = pvc.spec ?? {};
  const bound = Boolean(spec.volumeName);
  const storageClass = pvc.metadata.annotations?.['volume.beta.kubernetes.io/storage-class'] ?? spec.storageClassName ?? '';
  return {
    cells: [
      pvc.metadata.name, pvc.metadata.deletionTimestamp ? 'Terminating' : pvc.status?.phase ?? '', spec.volumeName ?? '',
      bound ? pvc.status?.capacity?.storage ?? '' : '', bound ? accessModes(pvc.status?.accessModes) : '', storageClass,
      spec.volumeAttributesClassName ?? '<unset>', ageSince(pvc.metadata.creationTimestamp, now), spec.volumeMode ?? '<unset>',
    ],
  };
}

const count = (v: unknown): number => (v && typeof v === 'object' ? Object.keys(v).length : 0);

export const CORE_PRINTERS: Record<string, Printer> = {
  Pod: {
    columns: [
      nameCol(),
      col('Ready', 'The aggregate readiness state of this pod for accepting traffic.'),
      col('Status', 'The aggregate status of the containers in this pod.'),
      col('Restarts', 'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.'),
      ageCol(),
      wide('IP', 'podIP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.'),
      wide('Node', 'NodeName indicates in which node this pod is scheduled.'),
      wide('Nominated Node', 'nominatedNodeName is set only when this pod preempts other pods on the node.'),
      wide('Readiness Gates', 'If specified, all readiness gates will be evaluated for pod readiness.'),
    ],
    print: printPod,
  },
  Node: {
    columns: [
      nameCol(), col('Status', 'The status of the node'), col('Roles', 'The roles of the node'), ageCol(),
      col('Version', 'Kubelet Version reported by the node.'),
      wide('Internal-IP', 'List of addresses reachable to the node.'), wide('External-IP', 'List of addresses reachable to the node.'),
      wide('OS-Image', 'OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).'),
      wide('Kernel-Version', "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64)."),
      wide('Container-Runtime', 'ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).'),
    ],
    print: printNode,
  },
  Namespace: {
    columns: [nameCol(), col('Status', 'The status of the namespace'), ageCol()],
    print: (o, now) => ({ cells: [o.metadata.name, (o.status as { phase?: string } | undefined)?.phase ?? '', ageSince(o.metadata.creationTimestamp, now)] }),
  },
  Service: {
    columns: [
      nameCol(), col('Type', 'type determines how the Service is exposed.'),
      col('Cluster-IP', 'clusterIP is the IP address of the service and is usually assigned randomly.'),
      col('External-IP', 'externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service.'),
      col('Port(s)', 'The list of ports that are exposed by this service.'), ageCol(),
      wide('Selector', 'Route service traffic to pods with label keys and values matching this selector.'),
    ],
    print: printService,
  },
  ConfigMap: {
    columns: [nameCol(), col('Data', 'Data contains the configuration data.'), ageCol()],
    print: (o, now) => ({ cells: [o.metadata.name, count(o.data) + count(o.binaryData), ageSince(o.metadata.creationTimestamp, now)] }),
  },
  Secret: {
    columns: [nameCol(), col('Type', 'Used to facilitate programmatic handling of secret data.'), col('Data', 'Data contains the secret data.'), ageCol()],
    print: (o, now) => ({ cells: [o.metadata.name, String(o.type ?? ''), count(o.data), ageSince(o.metadata.creationTimestamp, now)] }),
  },
  ServiceAccount: {
    columns: [nameCol(), col('Secrets', 'Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use.'), ageCol()],
    print: (o, now) => ({ cells: [o.metadata.name, Array.isArray(o.secrets) ? o.secrets.length : 0, ageSince(o.metadata.creationTimestamp, now)] }),
  },
  Event: {
    columns: [
      col('Last Seen', 'The time at which the most recent occurrence of this event was recorded.'),
      col('Type', 'Type of this event (Normal, Warning), new types could be added in the future'),
      col('Reason', "This should be a short, machine understandable string that gives the reason for the transition into the object's current status."),
      col('Object', 'The object that this event is about.'),
      wide('Subobject', 'If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement.'),
      wide('Source', 'The component reporting this event. Should be a short machine understandable string.'),
      col('Message', 'A human-readable description of the status of this operation.'),
      wide('First Seen', 'The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)'),
      wide('Count', 'The number of times this event has occurred.'),
      col('Name', NAME_DOC, { priority: 1, format: 'name' }),
    ],
    print: printEvent,
  },
  PersistentVolumeClaim: {
    columns: [
      nameCol(), col('Status', 'phase represents the current phase of PersistentVolumeClaim.'),
      col('Volume', 'volumeName is the binding reference to the PersistentVolume backing this claim.'),
      col('Capacity', 'capacity represents the actual resources of the underlying volume.'),
      col('Access Modes', 'accessModes contains the actual access modes the volume backing the PVC has.'),
      col('StorageClass', 'StorageClass of the pvc'), col('VolumeAttributesClass', 'VolumeAttributesClass of the pvc'), ageCol(),
      wide('VolumeMode', 'volumeMode defines what type of volume is required by the claim.'),
    ],
    print: printPvc,
  },
};
