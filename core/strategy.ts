/**
 * Which part of an installation a run judges, from its custom resource (pure; operator
 * https://github.com/mattermost/mattermost-operator/blob/v1.25.9/apis/mattermost/v1alpha1/clusterinstallation_types.go and the blue/green and canary notes in docs/strategies.md):
 *
 * - a v1beta1 `Mattermost`, or a `ClusterInstallation` without blue/green or canary: the CR's own
 *   Deployment, rolled in place;
 * - blue/green: preflight judges the production colour (it must be untouched and healthy), verify
 *   the idle colour by default (its Deployment's pods, journeys through its own host), or with
 *   `--side production`, after the switch, the colour that now serves production;
 * - canary: verify judges the canary Deployment, its journeys sent through the production host
 *   with the cookie `canary=always` (the operator's canary Ingress uses canary-by-cookie: canary).
 */
import type { InstallationCR, KubeDeployment, KubeIngress } from './kube-types.js';
import type { RoutingProbe } from './strategy-types.js';
import { formatVersion, imageVersion } from './version.js';
import { APP_CONTAINER, canaryOf, colours, crKind, isClusterInstallation, otherColour, productionColour } from './installation.js';
import type { Phase, Scope, Side, Verdict } from './types.js';

/** The cookie ingress-nginx's canary-by-cookie routes on: `always` sends a request to the canary. */
export const CANARY_COOKIE = 'canary=always';

export class ScopeError extends Error {}

/** Where an Ingress host is reached: mattermost.hosts[host], else https://host. */
export const hostUrl = (host: string, hosts: Readonly<Record<string, string>>): string => (hosts[host] ?? `https://${host}`).replace(/\/+$/, '');

export function scopeFor(cr: InstallationCR | null, base: Scope, opts: { phase?: Phase; side?: Side; hosts?: Readonly<Record<string, string>> }): Scope {
  if (!cr) return base;
  const scope: Scope = { ...base, kind: crKind(cr, base) };
  const bg = isClusterInstallation(cr) && cr.spec?.blueGreen?.enable === true;
  const canary = isClusterInstallation(cr) && cr.spec?.canary?.enable === true;
  if (!bg && !canary) {
    if (opts.side) throw new ScopeError(`--side ${opts.side}: ${scope.kind} ${base.installation} has neither blue/green nor a canary enabled`);
    return { ...scope, strategy: 'rolling' };
  }
  if (bg && isClusterInstallation(cr)) {
    const prod = productionColour(cr);
    if (!prod) throw new ScopeError(`${base.installation}: spec.blueGreen.productionDeployment is "${cr.spec?.blueGreen?.productionDeployment ?? ''}", neither blue nor green`);
    if (opts.side === 'canary') throw new ScopeError(`--side canary: ${base.installation} is blue/green; use --side idle or production`);
    // Preflight judges production (the idle colour is what changes); verify the idle colour unless told otherwise.
    const side: Side = opts.side ?? (opts.phase === 'pre' ? 'production' : 'idle');
    const colour = side === 'idle' ? otherColour(prod) : prod;
    const app = colours(cr)[colour];
    return {
      ...scope, strategy: 'bluegreen', side, colour, productionColour: prod, workload: app.name,
      ...(side === 'idle' ? { url: hostUrl(app.ingressName, opts.hosts ?? {}) } : {}),
    };
  }
  const side: Side = opts.side ?? (opts.phase === 'pre' ? 'production' : 'canary');
  if (side === 'idle') throw new ScopeError(`--side idle: ${base.installation} runs a canary, not blue/green; use --side canary or production`);
  return side === 'canary' && isClusterInstallation(cr)
    ? { ...scope, strategy: 'canary', side, workload: canaryOf(cr).name, cookie: CANARY_COOKIE }
    : { ...scope, strategy: 'canary', side };
}

/** One line for reports: the kind, and for blue/green or canary which side was judged. */
export function describeScope(scope: Scope): string {
  const kind = scope.kind ?? 'Mattermost';
  if (scope.strategy === 'bluegreen') return `${kind} ${scope.installation}, blue/green: ${scope.side} colour ${scope.colour} (Deployment ${scope.workload}; production is ${scope.productionColour})`;
  if (scope.strategy === 'canary') return `${kind} ${scope.installation}, canary: ${scope.side === 'canary' ? `canary Deployment ${scope.workload} (cookie ${scope.cookie})` : 'stable side'}`;
  return `${kind} ${scope.installation}`;
}

/** The version a Deployment's pod template runs (its mattermost container's image tag). */
export function deploymentVersion(d: KubeDeployment | undefined): string | undefined {
  const c = d?.spec?.template?.spec?.containers.find((x) => x.name === APP_CONTAINER) ?? d?.spec?.template?.spec?.containers[0];
  const v = c ? imageVersion(c.image) : undefined;
  return v ? formatVersion(v) : undefined;
}

/** The answers' versions, counted (`{ "11.7.1": 6, "10.11.4": 2 }`), and the failed answers. */
export function answerVersions(probe: RoutingProbe): { versions: Record<string, number>; failed: string[] } {
  const versions: Record<string, number> = {};
  const failed: string[] = [];
  for (const a of probe.answers) {
    if (a.version && a.status !== undefined && a.status < 500) versions[a.version] = (versions[a.version] ?? 0) + 1;
    else failed.push(a.error ?? `HTTP ${a.status ?? '?'}${a.versionId ? '' : ', no X-Version-Id'}`);
  }
  return { versions, failed };
}

export const versionsText = (versions: Record<string, number>): string =>
  Object.entries(versions).map(([v, n]) => `${v} ×${n}`).join(', ') || 'none';

/** The backend Service of the Ingress that serves `host` (the non-canary one). */
export function ingressBackend(ingresses: readonly KubeIngress[], host: string): { ingress: string; service: string } | undefined {
  for (const i of ingresses) {
    if (i.metadata.annotations?.['nginx.ingress.kubernetes.io/canary'] === 'true') continue;
    const rule = i.spec?.rules?.find((r) => r.host === host);
    const service = rule?.http?.paths?.[0]?.backend?.service?.name;
    if (service) return { ingress: i.metadata.name, service };
  }
  return undefined;
}

/** A canary run's verdict says what to do with the canary. */
export function withStrategyHeadline(v: Verdict, scope: Scope): Verdict {
  if (scope.strategy !== 'canary' || scope.side !== 'canary') return v;
  return { ...v, headline: `${v.promote ? 'promote canary' : 'abort canary'} — ${v.headline}` };
}
