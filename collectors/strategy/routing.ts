/**
 * The routing proof for blue/green and canary runs: a few unauthenticated pings sent exactly the
 * way the journeys go (the idle colour's host, or the production host with the canary cookie),
 * each answer's X-Version-Id kept. A host that trusts its name would verify the wrong pods when
 * the operator's Ingress points at the production Service (operator ≥ v1.16, docs/strategies.md): the
 * versions that answer say which pods really served. In-place runs store null and send nothing.
 */
import type { Collector } from '../../core/collector.js';
import type { RoutedAnswer, RoutingProbe } from '../../core/strategy-types.js';
import { parseVersionId } from '../../core/version.js';
import { fetchError, frontDoorHeaders, frontDoorUrl, requestSignal, USER_AGENT } from '../mattermost/http.js';

declare module '../../core/types.js' {
  interface SnapshotData {
    /** Pings through the run's host (and cookie) with the X-Version-Id of each answer; null for an in-place run. */
    routingProbe: RoutingProbe | null;
  }
}

/** Enough answers to meet every pod behind a round-robin Service of a few replicas. */
export const ROUTING_SAMPLES = 8;

export const routingProbeCollector: Collector<'routingProbe'> = {
  key: 'routingProbe',
  source: 'Mattermost system/ping through the run\'s host (blue/green colour host, or the canary cookie)',
  async collect(env) {
    if (env.scope.strategy !== 'bluegreen' && env.scope.strategy !== 'canary') return null;
    const url = await frontDoorUrl(env);
    const answers: RoutedAnswer[] = [];
    for (let i = 0; i < ROUTING_SAMPLES; i++) {
      try {
        const res = await fetch(`${url}/api/v4/system/ping`, { headers: { 'User-Agent': USER_AGENT, ...frontDoorHeaders(env) }, signal: requestSignal(env) });
        await res.arrayBuffer();
        const versionId = res.headers.get('x-version-id') ?? undefined;
        const version = parseVersionId(versionId)?.version;
        answers.push({ status: res.status, ...(versionId ? { versionId } : {}), ...(version ? { version } : {}) });
      } catch (err) {
        answers.push({ error: fetchError(err, url).message });
      }
    }
    return { url, ...(env.scope.cookie ? { cookie: env.scope.cookie } : {}), answers };
  },
};
