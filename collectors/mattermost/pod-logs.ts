/**
 * Each Mattermost pod's log since the upgrade started, read from the Kubernetes API
 * (`pods/{pod}/log?container=mattermost&sinceSeconds=N`, text) and parsed as Mattermost JSON lines
 * (https://github.com/mattermost/logr formatters/json.go: keys timestamp, level, msg). Kept: counts per level, and lines of every
 * level above info grouped by level and message with one redacted sample each (bounded), so the
 * check can apply its own levels and allow-list. The window starts at mattermost.upgradeStartedAt,
 * else now − mattermost.logWindow (default 15m).
 */
import type { Collector, CollectEnv } from '../../core/collector.js';
import { CollectFailure } from '../../core/collector.js';
import { parseDuration } from '../../core/duration.js';
import { APP_CONTAINER, JOBSERVER_CONTAINER, appContainerStatus, jobServerPods, mattermostPods } from '../../core/installation.js';
import type { KubePod } from '../../core/kube-types.js';
import type { LogGroup, PodLog, PodLogs, PodRole } from '../../core/mattermost-types.js';
import { learnSecretsIn, type Redactor } from '../../core/secrets.js';
import { kubeClient } from '../kube/client.js';
import { kubeCallError } from './http.js';

declare module '../../core/types.js' {
  interface SnapshotData {
    /** Mattermost pods' logs since the upgrade: counts per level, error lines grouped by message. */
    podLogs: PodLogs;
  }
}

/** Levels not grouped (too many lines, never evidence of a failed upgrade). */
const UNGROUPED_LEVELS = new Set(['trace', 'debug', 'info']);
export const MAX_GROUPS = 200;
const MAX_SAMPLE = 600;
/** Reading stops here: a log this big in one window is itself a finding, and memory stays bounded. */
const LIMIT_BYTES = 16 * 1024 * 1024;

export interface ParsedLog {
  lines: number;
  jsonLines: number;
  nonJsonLines: number;
  levels: Record<string, number>;
  groups: LogGroup[];
  ungrouped: Record<string, number>;
}

/** Parses Mattermost JSON log text (pure, for tests too). Samples are redacted and truncated. */
export function parseMattermostLog(text: string, redactor?: Redactor, maxGroups = MAX_GROUPS): ParsedLog {
  const out: ParsedLog = { lines: 0, jsonLines: 0, nonJsonLines: 0, levels: {}, groups: [], ungrouped: {} };
  const groups = new Map<string, { level: string; msg: string; count: number; first?: string; last?: string; sample: string }>();
  for (const raw of text.split('\n')) {
    const line = raw.trimEnd();
    if (!line.trim()) continue;
    out.lines++;
    let entry: { level?: unknown; msg?: unknown; timestamp?: unknown } | undefined;
    if (line.trimStart().startsWith('{')) {
      try { entry = JSON.parse(line) as typeof entry; } catch { entry = undefined; }
    }
    if (!entry || typeof entry !== 'object' || typeof entry.level !== 'string') {
      out.nonJsonLines++;
      continue;
    }
    out.jsonLines++;
    const level = entry.level.toLowerCase();
    out.levels[level] = (out.levels[level] ?? 0) + 1;
    if (UNGROUPED_LEVELS.has(level)) continue;
    const msg = typeof entry.msg === 'string' ? entry.msg : '';
    const ts = typeof entry.timestamp === 'string' ? entry.timestamp : undefined;
    const key = `${level}\u0000${msg}`;
    const g = groups.get(key);
    if (g) {
      g.count++;
      if (ts) g.last = ts;
    } else if (groups.size < maxGroups) {
      // The sample is re-serialised from the parsed entry: JSON escapes (\u0026…) no longer hide a
      // known secret, fields named like secrets are masked, and URL passwords are learnt first.
      if (redactor) learnSecretsIn(entry, redactor);
      const clean = redactor ? JSON.stringify(redactor.redactDeep(entry, { maskSecretNames: true })) : line;
      groups.set(key, { level, msg: redactor ? redactor.redact(msg) : msg, count: 1, ...(ts ? { first: ts, last: ts } : {}), sample: clean.length > MAX_SAMPLE ? `${clean.slice(0, MAX_SAMPLE)}…` : clean });
    } else {
      out.ungrouped[level] = (out.ungrouped[level] ?? 0) + 1;
    }
  }
  out.groups = [...groups.values()];
  return out;
}

/** Seconds of log to read: since mattermost.upgradeStartedAt, else mattermost.logWindow. */
export function logWindow(env: CollectEnv): { sinceSeconds: number; since: string } {
  const now = env.now();
  const started = env.config.mattermost?.upgradeStartedAt;
  if (started) {
    const t = Date.parse(started);
    if (Number.isNaN(t)) throw new CollectFailure('CONFIG', `mattermost.upgradeStartedAt "${started}" is not a date-time; write e.g. 2026-11-20T11:45:00Z`);
    const sinceSeconds = Math.max(1, Math.ceil((now.getTime() - t) / 1000));
    return { sinceSeconds, since: new Date(t).toISOString() };
  }
  const ms = parseDuration(env.config.mattermost?.logWindow ?? '15m');
  const sinceSeconds = Math.max(1, Math.ceil(ms / 1000));
  return { sinceSeconds, since: new Date(now.getTime() - sinceSeconds * 1000).toISOString() };
}

async function readPodLog(env: CollectEnv, p: KubePod, role: PodRole, container: string, sinceSeconds: number): Promise<PodLog> {
  const namespace = p.metadata.namespace ?? env.scope.namespace;
  const base = { pod: p.metadata.name, namespace, container, role, sinceSeconds };
  const empty = { lines: 0, jsonLines: 0, nonJsonLines: 0, levels: {}, groups: [], ungrouped: {} };
  try {
    const kube = await kubeClient(env);
    const text = await kube.text(`/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(p.metadata.name)}/log`, { container, sinceSeconds, limitBytes: LIMIT_BYTES });
    const parsed = parseMattermostLog(text, env.redactor);
    return { ...base, ...parsed, ...(Buffer.byteLength(text) >= LIMIT_BYTES ? { truncated: true } : {}) };
  } catch (err) {
    return { ...base, ...empty, error: kubeCallError(err) };
  }
}

export const podLogsCollector: Collector<'podLogs'> = {
  key: 'podLogs',
  source: 'Kubernetes API: Mattermost pod logs since the upgrade',
  async collect(env) {
    const pods = await env.need('pods');
    const { sinceSeconds, since } = logWindow(env);
    const targets: { pod: KubePod; role: PodRole; container: string }[] = [
      ...mattermostPods(pods, env.scope).map((pod) => ({ pod, role: 'app' as const, container: appContainerStatus(pod)?.name ?? APP_CONTAINER })),
      ...jobServerPods(pods, env.scope).map((pod) => ({ pod, role: 'jobserver' as const, container: appContainerStatus(pod, JOBSERVER_CONTAINER)?.name ?? JOBSERVER_CONTAINER })),
    ].sort((a, b) => a.pod.metadata.name.localeCompare(b.pod.metadata.name));
    const logs = await Promise.all(targets.map((t) => readPodLog(env, t.pod, t.role, t.container, sinceSeconds)));
    return env.redactor.redactDeep({ sinceSeconds, since, pods: logs });
  },
};
