/**
 * Server-side Table printers for apps/v1, batch/v1 and networking.k8s.io/v1 kinds, ported from
 * pkg/printers/internalversion/printers.go (Kubernetes 1.32).
 */
import { ageSince, humanDuration } from './duration.js';
import type { Container, LabelSelector, Printer, PrintedRow } from './printers-common.js';
import { ageCol, as, boolPtr, col, containerCells, formatLabelSelector, formatLabels, nameCol, selectorString, wide } from './printers-common.js';
import type { KubeObject } from './types.js';

interface PodTemplate {
  metadata?: object;
  spec?: { containers?: Container[]; nodeSelector?: Record<string, string> };
}
interface Workload {
  spec?: { replicas?: number; selector?: LabelSelector; template?: PodTemplate };
  status?: {
    replicas?: number; readyReplicas?: number; updatedReplicas?: number; availableReplicas?: number;
    desiredNumberScheduled?: number; currentNumberScheduled?: number; numberReady?: number;
    updatedNumberScheduled?: number; numberAvailable?: number;
  };
}

const templateCols = (): ReturnType<typeof col>[] => [
  wide('Containers', 'Names of each container in the template.'),
  wide('Images', 'Images referenced by each container in the template.'),
];
const selectorCol = (): ReturnType<typeof col> => wide('Selector', 'A label query over pods that should match the replica count.');
const age = (o: KubeObject, now: Date): string => ageSince(o.metadata.creationTimestamp, now);

function printDeployment(o: KubeObject, now: Date): PrintedRow {
  const d = as<Workload>(o);
  const s = d.status ?? {};
  return {
    cells: [
      o.metadata.name, `${s.readyReplicas ?? 0}/${d.spec?.replicas ?? 0}`, s.updatedReplicas ?? 0, s.availableReplicas ?? 0, age(o, now),
      ...containerCells(d.spec?.template?.spec?.containers), selectorString(d.spec?.selector),
    ],
  };
}

function printReplicaSet(o: KubeObject, now: Date): PrintedRow {
  const rs = as<Workload>(o);
  const s = rs.status ?? {};
  return {
    cells: [
      o.metadata.name, rs.spec?.replicas ?? 0, s.replicas ?? 0, s.readyReplicas ?? 0, age(o, now),
      ...containerCells(rs.spec?.template?.spec?.containers), formatLabelSelector(rs.spec?.selector),
    ],
  };
}

function printStatefulSet(o: KubeObject, now: Date): PrintedRow {
  const sts = as<Workload>(o);
  return {
    cells: [o.metadata.name, `${sts.status?.readyReplicas ?? 0}/${sts.spec?.replicas ?? 0}`, age(o, now), ...containerCells(sts.spec?.template?.spec?.containers)],
  };
}

function printDaemonSet(o: KubeObject, now: Date): PrintedRow {
  const ds = as<Workload>(o);
  const s = ds.status ?? {};
  return {
    cells: [
      o.metadata.name, s.desiredNumberScheduled ?? 0, s.currentNumberScheduled ?? 0, s.numberReady ?? 0, s.updatedNumberScheduled ?? 0,
      s.numberAvailable ?? 0, formatLabels(ds.spec?.template?.spec?.nodeSelector), age(o, now),
      ...containerCells(ds.spec?.template?.spec?.containers), formatLabelSelector(ds.spec?.selector),
    ],
  };
}

interface Job {
  spec?: { completions?: number; parallelism?: number; selector?: LabelSelector; template?: PodTemplate };
  status?: { succeeded?: number; startTime?: string; completionTime?: string; conditions?: { type: string; status: string }[] };
}

function jobStatus(job: Job & KubeObject): string {
  const has = (type: string): boolean => job.status?.conditions?.find((c) => c.type === type)?.status === 'True';
  if (has('Complete')) return 'Complete';
  if (has('Failed')) return 'Failed';
  if (job.metadata.deletionTimestamp) return 'Terminating';
  if (has('Suspended')) return 'Suspended';
  if (has('FailureTarget')) return 'FailureTarget';
  return 'Running';
}

function printJob(o: KubeObject, now: Date): PrintedRow {
  const job = as<Job>(o);
  const succeeded = job.status?.succeeded ?? 0;
  const parallelism = job.spec?.parallelism ?? 0;
  const completions = job.spec?.completions !== undefined ? `${succeeded}/${job.spec.completions}`
    : parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
  const start = job.status?.startTime;
  const end = job.status?.completionTime;
  const duration = !start ? '' : humanDuration((end ? Date.parse(end) : now.getTime()) - Date.parse(start));
  return {
    cells: [
      o.metadata.name, jobStatus(job), completions, duration, age(o, now),
      ...containerCells(job.spec?.template?.spec?.containers), formatLabelSelector(job.spec?.selector),
    ],
  };
}

interface CronJob {
  spec?: { schedule?: string; timeZone?: string; suspend?: boolean; jobTemplate?: { spec?: Job['spec'] } };
  status?: { active?: unknown[]; lastScheduleTime?: string };
}

function printCronJob(o: KubeObject, now: Date): PrintedRow {
  const cj = as<CronJob>(o);
  const jobSpec = cj.spec?.jobTemplate?.spec;
  return {
    cells: [
      o.metadata.name, cj.spec?.schedule ?? '', cj.spec?.timeZone ?? '<none>', boolPtr(cj.spec?.suspend), cj.status?.active?.length ?? 0,
      cj.status?.lastScheduleTime ? ageSince(cj.status.lastScheduleTime, now) : '<none>', age(o, now),
      ...containerCells(jobSpec?.template?.spec?.containers), formatLabelSelector(jobSpec?.selector),
    ],
  };
}

interface Ingress {
  spec?: { ingressClassName?: string; rules?: { host?: string }[]; tls?: unknown[] };
  status?: { loadBalancer?: { ingress?: { ip?: string; hostname?: string }[] } };
}

function printIngress(o: KubeObject, now: Date): PrintedRow {
  const ing = as<Ingress>(o);
  return {
    cells: [o.metadata.name, ing.spec?.ingressClassName ?? '<none>', formatHosts(ing.spec?.rules ?? []), ingressAddress(ing), ing.spec?.tls?.length ? '80, 443' : '80', age(o, now)],
  };
}

/** formatHosts: at most three hosts, then "+ N more..." counted over all rules, as the Go code does. */
function formatHosts(rules: { host?: string }[]): string {
  const list: string[] = [];
  let more = false;
  for (const rule of rules) {
    if (list.length === 3) more = true;
    if (!more && rule.host) list.push(rule.host);
  }
  if (list.length === 0) return '*';
  return more ? `${list.join(',')} + ${rules.length - 3} more...` : list.join(',');
}

function ingressAddress(ing: Ingress): string {
  return [...new Set((ing.status?.loadBalancer?.ingress ?? []).map((i) => i.ip || i.hostname || '').filter(Boolean))].join(',');
}

export const APPS_PRINTERS: Record<string, Printer> = {
  Deployment: {
    columns: [
      nameCol(), col('Ready', 'Number of the pod with ready state'),
      col('Up-to-date', 'Total number of non-terminated pods targeted by this deployment that have the desired template spec.'),
      col('Available', 'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.'),
      ageCol(), ...templateCols(), selectorCol(),
    ],
    print: printDeployment,
  },
  ReplicaSet: {
    columns: [
      nameCol(), col('Desired', 'Replicas is the number of desired pods.', { type: 'integer' }),
      col('Current', 'Replicas is the most recently observed number of non-terminating pods.', { type: 'integer' }),
      col('Ready', 'The number of non-terminating pods targeted by this ReplicaSet with a Ready Condition.', { type: 'integer' }),
      ageCol(), ...templateCols(), selectorCol(),
    ],
    print: printReplicaSet,
  },
  StatefulSet: {
    columns: [nameCol(), col('Ready', 'Number of the pod with ready state'), ageCol(), ...templateCols()],
    print: printStatefulSet,
  },
  DaemonSet: {
    columns: [
      nameCol(),
      col('Desired', 'The total number of nodes that should be running the daemon pod.', { type: 'integer' }),
      col('Current', 'The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod.', { type: 'integer' }),
      col('Ready', 'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running with a Ready Condition.', { type: 'integer' }),
      col('Up-to-date', 'The total number of nodes that are running updated daemon pod', { type: 'integer' }),
      col('Available', 'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available.', { type: 'integer' }),
      col('Node Selector', 'NodeSelector is a selector which must be true for the pod to fit on a node.'),
      ageCol(), ...templateCols(), selectorCol(),
    ],
    print: printDaemonSet,
  },
  Job: {
    columns: [
      nameCol(), col('Status', 'Status of the job.'),
      col('Completions', 'The number of pods which reached phase Succeeded.'),
      col('Duration', 'Time required to complete the job.'), ageCol(), ...templateCols(), selectorCol(),
    ],
    print: printJob,
  },
  CronJob: {
    columns: [
      nameCol(), col('Schedule', 'The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron.'),
      col('Timezone', 'The time zone name for the given schedule.'),
      col('Suspend', 'This flag tells the controller to suspend subsequent executions.', { type: 'boolean' }),
      col('Active', 'A list of pointers to currently running jobs.', { type: 'integer' }),
      col('Last Schedule', 'Information when was the last time the job was successfully scheduled.'),
      ageCol(), ...templateCols(), selectorCol(),
    ],
    print: printCronJob,
  },
  Ingress: {
    columns: [
      nameCol(), col('Class', 'The name of the IngressClass resource that should be used for additional configuration'),
      col('Hosts', 'Hosts that incoming requests are matched against before the ingress rule'),
      col('Address', 'Address is a list containing ingress points for the load-balancer'),
      col('Ports', 'Ports of TLS configurations that open'), ageCol(),
    ],
    print: printIngress,
  },
};
