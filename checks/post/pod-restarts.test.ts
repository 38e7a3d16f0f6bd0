import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ContainerStatus, KubePod } from '../../core/kube-types.js';
import { runCheck } from '../../core/testing.js';
import { collectError, pod } from '../../test/fixtures/post-upgrade.js';
import check from './pod-restarts.js';

/** The pod with these container statuses, or with no status at all (not scheduled yet). */
const withStatuses = (p: KubePod, statuses?: ContainerStatus[]): KubePod => (statuses ? { ...p, status: { ...p.status, containerStatuses: statuses } } : { metadata: p.metadata, ...(p.spec ? { spec: p.spec } : {}) });
const app = (restartCount: number): ContainerStatus => ({ name: 'mattermost', ready: true, restartCount, image: 'mattermost/mattermost-enterprise-edition:11.7.1' });
const sidecar = (restartCount: number): ContainerStatus => ({ name: 'istio-proxy', ready: true, restartCount, image: 'istio/proxyv2:1.24' });
/** The pod as an older snapshot recorded it: without a uid, maybe in another namespace. */
const noUid = (p: KubePod, namespace = p.metadata.namespace): KubePod => ({ ...p, metadata: { ...p.metadata, uid: undefined, namespace } });
const snapshot = (pods: unknown) => ({ path: 'preflight.snapshot.json', kind: 'snapshot', collectedAt: '2026-11-20T11:00:00Z', harnessVersion: 't', data: { pods } });

describe('pod-restarts', () => {
  it('passes when restarts did not grow since the baseline', async () => {
    const r = await runCheck(check, { data: { pods: [pod('mm-a', { restarts: 2 })], baseline: snapshot([pod('mm-a', { restarts: 2 })]) } });
    assert.equal(r.status, 'pass');
    assert.equal(r.measured?.['restarts'], 2);
    assert.equal(r.measured?.['comparedWithBaseline'], 1);
    assert.equal(r.measured?.['baseline'], true);
    assert.equal(r.summary, '2 restarts across 1 Mattermost pods; 1 containers compared with the baseline');
  });

  it('judges only the Mattermost containers, each against the same container in the baseline', async () => {
    const now = withStatuses(pod('mm-a'), [sidecar(9), app(3)]);
    const then = withStatuses(pod('mm-a'), [sidecar(3), app(2)]);
    const r = await runCheck(check, { data: { pods: [now], baseline: snapshot([then]) } });
    assert.equal(r.status, 'fail');
    assert.deepEqual(r.findings.map((f) => f.message), ['container mattermost of pod mm-a restarted 1 time since the baseline']);
    assert.equal(r.findings[0]?.expected, 'restartCount 2 (as in the baseline)');
    assert.equal(r.measured?.['restarts'], 3, 'the sidecar\'s restarts are not counted');
  });

  it('a pod with no container started, then or now, has nothing to compare', async () => {
    const then = [withStatuses(pod('mm-a')), { ...pod('mm-b'), status: { phase: 'Pending' as const } }, withStatuses(pod('mm-c'), [sidecar(0)])];
    const now = [pod('mm-a'), pod('mm-b'), pod('mm-c'), withStatuses(pod('mm-d'))];
    const r = await runCheck(check, { data: { pods: now, baseline: snapshot(then) } });
    assert.equal(r.status, 'pass', JSON.stringify(r.error ?? r.findings));
    assert.equal(r.measured?.['comparedWithBaseline'], 0);
    assert.equal(r.measured?.['pods'], 4);
  });

  it('matches pods by name and namespace when the baseline has no uids', async () => {
    const then = [noUid(pod('mm-a', { restarts: 2 })), noUid(pod('mm-b'), 'other-namespace')];
    const r = await runCheck(check, { data: { pods: [pod('mm-a', { restarts: 2 }), pod('mm-b', { restarts: 1 }), pod('mm-c')], baseline: snapshot(then) } });
    assert.equal(r.status, 'fail');
    assert.deepEqual(r.findings.map((f) => f.message), ['container mattermost of new pod mm-b restarted 1 time']);
    assert.equal(r.measured?.['comparedWithBaseline'], 1);
  });

  it('a pod recreated under the same name (another uid) is a new pod', async () => {
    const r = await runCheck(check, { data: { pods: [pod('mm-a', { uid: 'uid-2', restarts: 1 })], baseline: snapshot([pod('mm-a', { uid: 'uid-1', restarts: 5 })]) } });
    assert.equal(r.status, 'fail');
    assert.equal(r.findings[0]?.message, 'container mattermost of new pod mm-a restarted 1 time');
    assert.equal(r.measured?.['comparedWithBaseline'], 0);
  });

  it('shows the last termination of a new pod over maxRestarts, as far as Kubernetes recorded it', async () => {
    const crashed: ContainerStatus = { ...app(1), lastState: { terminated: { reason: 'Error', finishedAt: '2026-11-20T11:58:00Z' } } };
    const r = await runCheck(check, { data: { pods: [withStatuses(pod('mm-a'), [crashed])], baseline: null } });
    assert.equal(r.status, 'fail');
    assert.deepEqual(r.findings[0]?.evidence, ['last termination: Error at 2026-11-20T11:58:00Z']);
    assert.match(r.findings[0]?.remediation ?? '', /kubectl -n mattermost logs mm-a -c mattermost --previous/);
  });

  it('fails when a container restarted since the baseline, with the last termination as evidence', async () => {
    const r = await runCheck(check, { data: { pods: [pod('mm-a', { restarts: 3, lastTerminated: { reason: 'OOMKilled', exitCode: 137 } })], baseline: snapshot([pod('mm-a', { restarts: 1 })]) } });
    assert.equal(r.status, 'fail');
    assert.match(r.findings[0]?.message ?? '', /mattermost of pod mm-a restarted 2 times since the baseline/);
    assert.equal(r.findings[0]?.expected, 'restartCount 1 (as in the baseline)');
    assert.match(r.findings[0]?.evidence?.[0] ?? '', /OOMKilled, exit code 137/);
  });

  it('holds new pods to maxRestarts', async () => {
    const data = { pods: [pod('mm-new', { restarts: 1 })], baseline: snapshot([pod('mm-old')]) };
    const r = await runCheck(check, { data });
    assert.equal(r.status, 'fail');
    assert.match(r.findings[0]?.message ?? '', /new pod mm-new restarted 1 time/);
    assert.equal((await runCheck(check, { data, options: { maxRestarts: 1 } })).status, 'pass');
  });

  it('without a baseline judges by maxRestarts and says so', async () => {
    const r = await runCheck(check, { data: { pods: [pod('mm-a'), pod('mm-b')], baseline: null } });
    assert.equal(r.status, 'pass');
    assert.match(r.summary ?? '', /no baseline was given.*maxRestarts only/);
    assert.equal(r.measured?.['baseline'], false);
    const f = await runCheck(check, { data: { pods: [pod('mm-a', { restarts: 1 })] } });
    assert.equal(f.status, 'fail');
    assert.equal(f.findings[0]?.message, 'container mattermost of pod mm-a restarted 1 time');
    assert.equal(f.findings[0]?.expected, '≤ 0 restarts');
    assert.equal(f.findings[0]?.actual, 'restartCount 1');
  });

  it('says so when the baseline has no pods', async () => {
    const r = await runCheck(check, { data: { pods: [pod('mm-a')], baseline: snapshot(collectError('pods')) } });
    assert.equal(r.status, 'pass');
    assert.match(r.summary ?? '', /preflight could not look.*maxRestarts only/);
  });

  it('covers the job server container', async () => {
    const r = await runCheck(check, { data: { pods: [pod('mm-jobserver-x', { app: 'mattermost-jobserver', restarts: 4 })], baseline: null } });
    assert.equal(r.status, 'fail');
    assert.match(r.findings[0]?.message ?? '', /mattermost-jobserver of pod mm-jobserver-x restarted 4 times/);
  });

  it('fails with no Mattermost pods', async () => {
    const r = await runCheck(check, { data: { pods: [], baseline: null } });
    assert.equal(r.status, 'fail');
    assert.equal(r.findings[0]?.message, 'no Mattermost pods of installation mm');
    assert.equal(r.findings[0]?.actual, 'none');
  });

  it('errors without pods', async () => {
    const r = await runCheck(check, { data: { pods: collectError('pods'), baseline: null } });
    assert.equal(r.status, 'error');
    assert.match(r.error?.message ?? '', /pods: boom/);
  });
});
