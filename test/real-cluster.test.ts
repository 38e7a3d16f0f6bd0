/**
 * The lab scenarios on a real Kubernetes control plane (lab/real: etcd, kube-apiserver,
 * kube-controller-manager built by scripts/build-control-plane.sh), with mmgate bound to exactly
 * docs/rbac.yaml through a ServiceAccount token. Proves what the simulator can only assume: the
 * verdicts of expect.yaml against the real API server, a rolling update made by the real
 * Deployment controller, the RBAC of docs/rbac.yaml (enough, and every rule needed), and no
 * mutating request by mmgate (the audit log).
 * Needs root (a network namespace for the pods) and the built binaries; without them the suite is
 * skipped with the reason, except under CI, where that is a failure.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { RunReport } from '../core/types.js';
import { startLab, type Lab } from '../lab/index.js';
import { findControlPlane } from '../lab/real/binaries.js';
import { serveOnRealCluster, startRealCluster, type RealCluster, type RealKubeOptions } from '../lab/real/index.js';
import { describeRule, documentedRoles, MMGATE_USER, type RbacRole } from '../lab/real/rbac.js';
import { listScenarios } from '../lab/scenario.js';
import { judge } from './judge.js';
import { checkScenario, explain } from './scenario-runner.js';

const TWO_CLUSTERS = 'two sites need two clusters; the real backend starts one control plane';
const BLUE_GREEN_OR_CANARY = "a ClusterInstallation world whose Ingress hosts are each a front door of the lab's, routed by Service selectors and the canary cookie: the real backend seeds one front door and no v1alpha1 operator (its blue/green and canary rollouts are the simulator's)";

/** Scenarios whose world the real backend cannot hold, and why. Everything else runs. */
export const NOT_ON_REAL_BACKEND: Record<string, string> = {
  'drift-between-sites': TWO_CLUSTERS,
  'replication-lag': TWO_CLUSTERS,
  'secret-drift': TWO_CLUSTERS,
  'two-writers': TWO_CLUSTERS,
  'mixed-versions': 'a rollout stopped after 2 of 3 pods with every new pod ready does not last: the real Deployment controller surges the third pod and scales the old ReplicaSet to 0 (paused or not)',
  'old-replicaset-pods': 'an old-ReplicaSet pod running beside a complete rollout does not last: the real ReplicaSet controller deletes it (its ReplicaSet is scaled to 0)',
  'bluegreen': BLUE_GREEN_OR_CANARY,
  'bluegreen-idle-broken': BLUE_GREEN_OR_CANARY,
  'bluegreen-idle-healthy': BLUE_GREEN_OR_CANARY,
  'bluegreen-ingress-to-production': BLUE_GREEN_OR_CANARY,
  'bluegreen-production-changed': BLUE_GREEN_OR_CANARY,
  'bluegreen-switched': BLUE_GREEN_OR_CANARY,
  'bluegreen-switched-wrong': BLUE_GREEN_OR_CANARY,
  'canary': BLUE_GREEN_OR_CANARY,
  'canary-5xx': BLUE_GREEN_OR_CANARY,
  'canary-errors': BLUE_GREEN_OR_CANARY,
  'canary-healthy': BLUE_GREEN_OR_CANARY,
  'canary-slow': BLUE_GREEN_OR_CANARY,
  'sites': TWO_CLUSTERS,
  'site-not-drained': TWO_CLUSTERS,
  'site-touched-other': TWO_CLUSTERS,
  'site-upgrade-breaks-replication': TWO_CLUSTERS,
  'rollout-blip': 'the front door\'s 503 gap is played by the simulator\'s operator during its rollout; on the real backend the Deployment controller rolls and nothing plays the load balancer\'s gap',
  'evicted-old-pod': 'a Failed (Evicted) pod kept beside its replaced ReplicaSet\'s new pods does not last as seeded: the real controllers adopt or remove it',
};

/**
 * Rules of docs/rbac.yaml whose removal the real backend cannot show, and why. The test of every
 * other rule runs preflight (snapshot-not-ready) and verify (upgraded) without it.
 */
export const RULES_NOT_PROVEN: Record<string, string> = {
  'ClusterRole mmgate-read: metrics.k8s.io [nodes, pods] get,list': 'no metrics server runs on the real backend, and a forbidden metrics API is read as "no metrics server" by design (collectors/kube/collectors.ts)',
  'Role mattermost/mmgate-read: core [secrets] get,list': 'only config-drift across sites reads them, and sites need a second cluster',
  'Role mattermost/mmgate-read: mattermost.com [clusterinstallations] get,list,watch': 'read only when no Mattermost resource carries the name (a ClusterInstallation world), and those worlds do not run on the real backend (NOT_ON_REAL_BACKEND)',
  'Role mattermost/mmgate-read: networking.k8s.io [ingresses] get,list': 'read for blue/green and canary routing, worlds that do not run on the real backend (NOT_ON_REAL_BACKEND)',
};

const found = findControlPlane();
const unavailable = 'missing' in found ? found.missing : process.getuid?.() !== 0 ? 'the real lab needs root (ip netns add)' : undefined;
if (unavailable && process.env['CI']) throw new Error(`real-cluster tests cannot run under CI: ${unavailable}`);

const tmp = mkdtempSync(join(tmpdir(), 'mmgate-real-'));
let cluster: RealCluster | undefined;
const timings: string[] = [];

const onReal = (o: RealKubeOptions = {}) => (scenario: string, out: string): Promise<Lab> =>
  startLab(scenario, out, { kube: (s, world, spec) => serveOnRealCluster(cluster!, s, world, spec, o) });

describe('real control plane', { skip: unavailable ?? false, concurrency: 1, timeout: 3_600_000 }, () => {
  before(async () => {
    cluster = await startRealCluster();
    timings.push(`control plane ready in ${cluster.startMs} ms`);
  });
  after(async () => {
    await cluster?.close();
    rmSync(tmp, { recursive: true, force: true });
    process.stdout.write(`# real backend: ${timings.join('; ')}\n`);
  });

  describe('scenarios meet their expect.yaml on the real backend', () => {
    const started = Date.now();
    after(() => timings.push(`scenario suite ${((Date.now() - started) / 1000).toFixed(1)} s`));
    for (const { name } of listScenarios()) {
      const reason = NOT_ON_REAL_BACKEND[name];
      it(name, reason ? { skip: `not on the real backend: ${reason}` } : {}, async () => { await checkScenario(name, tmp, onReal()); });
    }
    it('the list of scenarios that cannot run names existing scenarios only', () => {
      const names = new Set(listScenarios().map((s) => s.name));
      for (const n of Object.keys(NOT_ON_REAL_BACKEND)) assert.ok(names.has(n), `NOT_ON_REAL_BACKEND names ${n}, which is not a scenario`);
    });
  });

  it('watch judges a rolling update made by the real Deployment controller', async () => {
    const reports = await checkScenario('healthy', tmp, onReal());
    assert.equal(reports['watch']?.verdict.promote, true);
    const api = cluster!.cp.admin;
    const rss = (await api.get<{ items: { spec: { replicas: number }; metadata: { name: string; labels: Record<string, string>; ownerReferences?: { kind: string; name: string }[] } }[] }>('/apis/apps/v1/namespaces/mattermost/replicasets')).items;
    // The controller named the new ReplicaSet after its pod-template-hash and owns it.
    const fresh = rss.find((r) => r.spec.replicas === 3);
    assert.ok(fresh, `no ReplicaSet with 3 replicas: ${rss.map((r) => `${r.metadata.name}=${r.spec.replicas}`).join(', ')}`);
    assert.equal(fresh.metadata.name, `mm-${fresh.metadata.labels['pod-template-hash']}`);
    assert.deepEqual(fresh.metadata.ownerReferences?.map((o) => `${o.kind}/${o.name}`), ['Deployment/mm']);
    const dep = await api.get<{ status: { conditions: { type: string; reason: string }[] } }>('/apis/apps/v1/namespaces/mattermost/deployments/mm');
    assert.equal(dep.status.conditions.find((c) => c.type === 'Progressing')?.reason, 'NewReplicaSetAvailable');
  });

  it('mmgate makes no create, update, patch or delete request in preflight, watch and verify (audit log)', async () => {
    const from = new Date();
    await checkScenario('healthy', tmp, onReal());
    await checkScenario('upgraded', tmp, onReal());
    const events = readFileSync(cluster!.cp.auditLog, 'utf8').split('\n').filter(Boolean)
      .map((l) => JSON.parse(l) as { user: { username: string }; verb: string; requestURI: string; stage: string; requestReceivedTimestamp: string })
      .filter((e) => e.user.username === MMGATE_USER && new Date(e.requestReceivedTimestamp) >= from);
    const verbs = new Set(events.map((e) => e.verb));
    // The log holds mmgate's reads (so an empty filter cannot pass this test) and nothing else.
    assert.ok(verbs.has('list') && verbs.has('get'), `no reads by ${MMGATE_USER} in the audit log: ${[...verbs].join(', ')}`);
    const mutations = events.filter((e) => ['create', 'update', 'patch', 'delete', 'deletecollection'].includes(e.verb));
    assert.deepEqual(mutations.map((e) => `${e.verb} ${e.requestURI}`), []);
  });

  describe('docs/rbac.yaml: enough, and every rule needed', () => {
    const roles = documentedRoles();
    const rules = roles.flatMap((role, r) => role.rules.map((rule, i) => ({ r, i, text: describeRule(role, rule), rule })));
    it('the rules not proven are rules of docs/rbac.yaml', () => {
      for (const t of Object.keys(RULES_NOT_PROVEN)) assert.ok(rules.some((x) => x.text === t), `RULES_NOT_PROVEN names "${t}", which docs/rbac.yaml does not have`);
    });
    for (const { r, i, text, rule } of rules) {
      const reason = RULES_NOT_PROVEN[text];
      it(`without ${text}: a check does not pass, naming the permission`, reason ? { skip: reason } : {}, async () => {
        const without: RbacRole[] = roles.map((role, k) => (k === r ? { ...role, rules: role.rules.filter((_, j) => j !== i) } : role));
        const reports = await runPhases(onReal({ roles: without }));
        const said = (x: RunReport['results'][number]) => [x.error?.message ?? '', ...x.findings.map((f) => `${f.message} ${f.remediation ?? ''}`)].join(' ');
        // A check that could not look says `error` (fail closed), never `fail`: a missing permission is not a problem found.
        const named = reports.flatMap((rep) => rep.results.filter((x) => x.status === 'error'
          && rule.resources.some((res) => said(x).includes(res.split('/').pop()!)) && /forbidden|grant/i.test(said(x))));
        assert.ok(named.length > 0, `no check errored naming ${rule.resources.join(', ')}:\n${reports.map(explain).join('\n')}`);
        const blamed = reports.flatMap((rep) => rep.results.filter((x) => x.status === 'fail' && x.findings.some((f) => /forbidden/i.test(`${f.message} ${f.actual ?? ''}`))));
        assert.deepEqual(blamed.map((x) => x.id), [], `a check said fail for what it was forbidden to read without ${text}:\n${reports.map(explain).join('\n')}`);
        // A check at level error that could not look blocks its phase.
        for (const rep of reports) for (const x of rep.results.filter((y) => named.includes(y) && y.level === 'error')) {
          assert.ok(x.blocking && !rep.verdict.promote, `${rep.phase} promoted though ${x.id} could not look without ${text}`);
        }
      });
    }
  });
});

/** preflight of healthy (with snapshots), verify of upgraded against it: every kind of read mmgate makes. */
async function runPhases(start: (s: string, out: string) => Promise<Lab>): Promise<RunReport[]> {
  const out: RunReport[] = [];
  const pre = await start('snapshot-not-ready', join(tmp, 'rbac-pre'));
  const baseline = join(tmp, 'rbac-baseline.json');
  try {
    const r = await judge(pre.paths.config, 'pre');
    out.push(r.report);
    writeFileSync(baseline, JSON.stringify(r.snapshot));
  } finally { await pre.close(); }
  const post = await start('upgraded', join(tmp, 'rbac-post'));
  try { out.push((await judge(post.paths.config, 'post', baseline)).report); } finally { await post.close(); }
  return out;
}
