/**
 * Each Mattermost pod's own server, asked through the Kubernetes API server's pod proxy
 * (`pods/{pod}:8065/proxy/api/v4/system/ping?get_server_status=true&use_rest_semantics=true`),
 * unauthenticated: the answer carries status, database_status, filestore_status and the
 * X-Version-Id header. A pod that cannot be asked is recorded with its error (a finding for the
 * checks); only a missing pod list fails the collector.
 */
import type { Collector, CollectEnv } from '../../core/collector.js';
import { isPodReady, jobServerPods, mattermostPods } from '../../core/installation.js';
import type { KubePod } from '../../core/kube-types.js';
import type { ServerPing, ServerPings } from '../../core/mattermost-types.js';
import { parseVersionId } from '../../core/version.js';
import { kubeClient } from '../kube/client.js';
import { excerpt, header, httpError, kubeCallError, proxyFailure } from './http.js';

declare module '../../core/types.js' {
  interface SnapshotData {
    /** Each Mattermost app pod's ping (status, database, file store, X-Version-Id) through the pod proxy. */
    serverPings: ServerPings;
  }
}

export const PING_PATH = '/api/v4/system/ping?get_server_status=true&use_rest_semantics=true';

async function pingPod(env: CollectEnv, p: KubePod): Promise<ServerPing> {
  const kube = await kubeClient(env);
  const namespace = p.metadata.namespace ?? env.scope.namespace;
  const base = { pod: p.metadata.name, namespace, podReady: isPodReady(p) };
  const port = env.config.mattermost?.podPort ?? 8065;
  // One more try on a network error: a pod just rolled may drop the first connection.
  for (let attempt = 1; ; attempt++) {
    const t0 = performance.now();
    try {
      const res = await kube.podProxy(namespace, p.metadata.name, port, PING_PATH, { headers: { Accept: 'application/json', 'User-Agent': 'mmgate' } });
      const latencyMs = Math.round(performance.now() - t0);
      const refused = proxyFailure(res, p.metadata.name);
      if (refused) return { ...base, latencyMs, error: refused };
      const text = res.body.toString('utf8');
      let body: { status?: unknown; database_status?: unknown; filestore_status?: unknown } = {};
      let parsed = true;
      try { body = JSON.parse(text) as typeof body; } catch { parsed = false; }
      const field = (k: 'status' | 'database_status' | 'filestore_status'): string | undefined =>
        typeof body[k] === 'string' ? body[k] : header(res.headers, k);
      const versionId = header(res.headers, 'x-version-id');
      const version = parseVersionId(versionId);
      const status = field('status') ?? (res.status === 500 ? 'UNHEALTHY' : undefined);
      const databaseStatus = field('database_status');
      const filestoreStatus = field('filestore_status');
      // A 200 whose body is not the ping's JSON (cut short, or a page from something in the way)
      // says nothing about the server: headers alone must not make it look healthy.
      if (res.status === 200 && !parsed) {
        return { ...base, httpStatus: res.status, latencyMs, error: { code: 'BAD_RESPONSE', status: 200, message: `pod ${p.metadata.name} answered the ping with a body that is not JSON (${res.body.length} bytes)` }, bodyExcerpt: excerpt(text, 300) };
      }
      const ok = res.status === 200 || res.status === 500;
      return {
        ...base, httpStatus: res.status, latencyMs,
        ...(status ? { status } : {}), ...(databaseStatus ? { databaseStatus } : {}), ...(filestoreStatus ? { filestoreStatus } : {}),
        ...(versionId ? { versionId } : {}), ...(version ? { version } : {}),
        ...(!ok ? { error: httpError(res.status, text, `pod ${p.metadata.name}`) } : {}),
        ...(!parsed || !ok ? { bodyExcerpt: excerpt(text, 300) } : {}),
      };
    } catch (err) {
      const error = kubeCallError(err);
      if (attempt < 2 && !env.signal.aborted && error.code === 'UNREACHABLE') continue;
      return { ...base, latencyMs: Math.round(performance.now() - t0), error };
    }
  }
}

export const serverPingsCollector: Collector<'serverPings'> = {
  key: 'serverPings',
  source: 'Mattermost API through the pod proxy: system/ping of each pod',
  async collect(env) {
    const pods = await env.need('pods');
    const app = mattermostPods(pods, env.scope).sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
    const results = await Promise.all(app.map((p) => pingPod(env, p)));
    return env.redactor.redactDeep({ pods: results, jobServerPods: jobServerPods(pods, env.scope).map((p) => p.metadata.name).sort() });
  },
};
