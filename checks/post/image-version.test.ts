import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runCheck } from '../../core/testing.js';
import type { CheckResult, Finding } from '../../core/types.js';
import { collectError, deployment, healthyKube, IMAGE, installation, INST, NEW_HASH, OLD_HASH, pod, replicaSet } from '../../test/fixtures/post-upgrade.js';
import check from './image-version.js';

const DIGEST = 'sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef';

describe('image-version', () => {
  const cases: { name: string; data: () => Record<string, unknown>; target?: { version?: string; image?: string }; status: string; message?: RegExp; subject?: string; expected?: string; actual?: string }[] = [
    { name: 'passes when every pod runs the target from the newest ReplicaSet', data: healthyKube, status: 'pass' },
    { name: 'passes on a matching image tag', data: healthyKube, target: { image: 'docker.io/mattermost/mattermost-enterprise-edition:11.7.1' }, status: 'pass' },
    {
      name: 'passes on a matching digest (imageID)',
      data: () => ({ ...healthyKube(), pods: [pod('mm-a', { imageID: `docker-pullable://mattermost/mattermost-enterprise-edition@${DIGEST}` })] }),
      target: { image: `mattermost/mattermost-enterprise-edition@${DIGEST}` }, status: 'pass',
    },
    {
      name: 'fails on another digest',
      data: () => ({ ...healthyKube(), pods: [pod('mm-a', { imageID: 'docker-pullable://mattermost/mattermost-enterprise-edition@sha256:ffff' })] }),
      target: { image: `mattermost/mattermost-enterprise-edition@${DIGEST}` }, status: 'fail', message: /digest is sha256:ffff/, subject: 'mm-a',
    },
    {
      name: 'fails and names a pod still on the old version',
      data: () => ({ ...healthyKube(), pods: [pod('mm-a'), pod('mm-b', { version: '11.6.2' })] }),
      status: 'fail', message: /mm-b runs .*:11\.6\.2: version 11\.6\.2, not 11\.7\.1/, subject: 'mm-b', expected: '11.7.1', actual: 'mattermost/mattermost-enterprise-edition:11.6.2',
    },
    {
      name: 'fails on a pod of an old ReplicaSet even with the right image',
      data: () => ({ ...healthyKube(), pods: [pod('mm-a'), pod('mm-old', { hash: OLD_HASH })] }),
      status: 'fail', message: /mm-old belongs to ReplicaSet mm-old5b2a, not the newest ReplicaSet mm-new7f9c/, subject: 'mm-old',
    },
    {
      name: 'fails on a pod whose container is not ready',
      data: () => ({ ...healthyKube(), pods: [pod('mm-a'), pod('mm-b', { ready: false })] }),
      status: 'fail', message: /mm-b is not ready/, subject: 'mm-b',
    },
    {
      name: 'fails when no Mattermost pod exists',
      data: () => ({ ...healthyKube(), pods: [] }),
      status: 'fail', message: /no Mattermost pods/,
    },
    {
      name: 'checks the dedicated job server too',
      data: () => ({
        ...healthyKube(),
        installation: installation({ jobServer: true }),
        deployments: [deployment(), deployment(`${INST}-jobserver`, { replicas: 1 })],
        replicaSets: [replicaSet(INST, 'new7f9c', 4), replicaSet(`${INST}-jobserver`, 'new7f9c', 2)],
        pods: [pod('mm-a'), pod('mm-jobserver-x', { app: 'mattermost-jobserver', version: '11.6.2' })],
      }),
      status: 'fail', message: /job server pod mm-jobserver-x runs .*11\.6\.2/, subject: 'mm-jobserver-x',
    },
    {
      name: 'fails when the job server is enabled but has no pods',
      data: () => ({ ...healthyKube(), installation: installation({ jobServer: true }), deployments: [deployment(), deployment(`${INST}-jobserver`, { replicas: 1 })] }),
      status: 'fail', message: /no job server pods/,
    },
    { name: 'errors without pods data', data: () => ({ ...healthyKube(), pods: collectError('pods') }), status: 'error' },
    { name: 'errors without a target', data: healthyKube, target: {}, status: 'error' },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const r = await runCheck(check, { data: c.data(), ...(c.target ? { target: c.target } : {}) });
      assert.equal(r.status, c.status, JSON.stringify(r, null, 1));
      if (c.message) assert.ok(r.findings.some((f) => c.message!.test(f.message)), r.findings.map((f) => f.message).join('\n'));
      const f = c.message ? r.findings.find((x) => c.message!.test(x.message)) : undefined;
      if (c.subject) assert.equal(f?.subject?.name, c.subject);
      if (c.expected) assert.equal(f?.expected, c.expected);
      if (c.actual) assert.equal(f?.actual, c.actual);
      if (c.status === 'fail') assert.ok(r.findings.every((x) => x.remediation));
    });
  }

  it('measures pods on target', async () => {
    const r = await runCheck(check, { data: healthyKube() });
    assert.equal(r.measured?.['podsOnTarget'], 3);
    assert.match(r.summary ?? '', /3\/3 pods run 11\.7\.1/);
  });

  it('says why a target-less run errors', async () => {
    const r = await runCheck(check, { data: healthyKube(), target: {} });
    assert.match(r.error?.message ?? '', /target\.version/);
  });
});

describe('image-version: what a pod is judged by', () => {
  const run = (data: Record<string, unknown>, target?: { version?: string; image?: string }) =>
    runCheck(check, { data: { ...healthyKube(), ...data }, ...(target ? { target } : {}) });
  const about = (r: CheckResult, name: string, what: RegExp): Finding | undefined =>
    r.findings.find((f) => f.subject?.name === name && what.test(f.message));
  /** A pod whose spec and status say different things, or which has other containers. */
  const withContainers = (name: string, containers: { name: string; image: string }[], statuses: { name: string; image: string; ready: boolean }[]) => {
    const p = pod(name);
    p.spec = { containers };
    p.status = { ...p.status, containerStatuses: statuses.map((s) => ({ ...s, restartCount: 0 })) };
    return p;
  };

  describe('by target.image with a digest', () => {
    const target = { image: `${IMAGE}@${DIGEST}` };
    it('passes a pod whose image reference carries the digest', async () => {
      const r = await run({ pods: [pod('mm-a', { image: `${IMAGE}@${DIGEST}` })] }, target);
      assert.equal(r.status, 'pass', JSON.stringify(r.findings));
    });
    it('names the other digest a pod is pinned to', async () => {
      const r = await run({ pods: [pod('mm-a', { image: `${IMAGE}@sha256:aaaa` })] }, target);
      assert.equal(r.status, 'fail');
      assert.ok(about(r, 'mm-a', new RegExp(`its digest is sha256:aaaa, not ${DIGEST}`)), r.findings.map((f) => f.message).join('\n'));
    });
    it('says the digest is unknown when neither the image nor its imageID has one', async () => {
      const r = await run({ pods: [pod('mm-a', { imageID: 'docker-pullable://mattermost/mattermost-enterprise-edition' })] }, target);
      const f = about(r, 'mm-a', /its digest is unknown/);
      assert.ok(f, r.findings.map((x) => x.message).join('\n'));
      assert.equal(f.expected, target.image);
      assert.deepEqual(f.evidence, ['imageID: docker-pullable://mattermost/mattermost-enterprise-edition']);
    });
  });

  describe('by target.image with a tag', () => {
    for (const registry of ['docker.io/', 'index.docker.io/', 'registry-1.docker.io/']) {
      it(`treats ${registry} as Docker Hub`, async () => {
        const r = await run({}, { image: `${registry}mattermost/mattermost-enterprise-edition:11.7.1` });
        assert.equal(r.status, 'pass', JSON.stringify(r.findings));
      });
    }
    it('treats docker.io/library/x as x', async () => {
      const r = await run({ pods: [pod('mm-a', { image: 'mattermost:11.7.1' })] }, { image: 'docker.io/library/mattermost:11.7.1' });
      assert.equal(r.status, 'pass', JSON.stringify(r.findings));
    });
    it('fails a pod from another registry, even a mirror of Docker Hub', async () => {
      for (const image of ['registry.example.com/mattermost/mattermost-enterprise-edition:11.7.1', 'mirror.example.com/docker.io/mattermost/mattermost-enterprise-edition:11.7.1']) {
        const r = await run({}, { image });
        assert.equal(r.status, 'fail', image);
        const f = about(r, 'mm-a', /repository/);
        assert.equal(f?.message, `Mattermost pod mm-a runs ${IMAGE}:11.7.1: repository ${IMAGE}, not ${image.replace(/:11\.7\.1$/, '')}`);
      }
    });
    it('does not take a docker.io/ or library/ inside a path for Docker Hub\'s (a pull-through mirror is another repository)', async () => {
      const r = await run({ pods: [pod('mm-a', { image: 'acme/library/mattermost:11.7.1' })] }, { image: 'acme/mattermost:11.7.1' });
      assert.ok(about(r, 'mm-a', /repository acme\/library\/mattermost, not acme\/mattermost/), r.findings.map((f) => f.message).join('\n'));
      const m = await run({ pods: [pod('mm-a', { image: 'mirror.example.com/docker.io/mattermost:11.7.1' })] }, { image: 'mirror.example.com/mattermost:11.7.1' });
      assert.ok(about(m, 'mm-a', /repository mirror\.example\.com\/docker\.io\/mattermost, not mirror\.example\.com\/mattermost/), m.findings.map((f) => f.message).join('\n'));
    });
    it('fails a pod on another tag of the same repository', async () => {
      const r = await run({}, { image: `${IMAGE}:11.7.2` });
      assert.equal(r.findings.filter((f) => /: tag 11\.7\.1, not 11\.7\.2$/.test(f.message)).length, 3);
    });
    it('fails a pod pinned by digest alone when the target names a tag', async () => {
      const r = await run({ pods: [pod('mm-a', { image: `${IMAGE}@${DIGEST}` })] }, { image: `${IMAGE}:11.7.1` });
      assert.ok(about(r, 'mm-a', /it is pinned by digest with no tag, not tag 11\.7\.1/), r.findings.map((f) => f.message).join('\n'));
    });
    it('judges the version by target.version when target.image names only a repository', async () => {
      const r = await run({ pods: [pod('mm-a'), pod('mm-b', { version: '11.6.2' })] }, { image: IMAGE, version: '11.7.1' });
      assert.equal(r.status, 'fail');
      assert.deepEqual(r.findings.map((f) => [f.subject?.name, f.message]), [['mm-b', `Mattermost pod mm-b runs ${IMAGE}:11.6.2: version 11.6.2, not 11.7.1`]]);
      const other = await run({ pods: [pod('mm-a', { image: 'acme/mattermost:11.7.1' })] }, { image: IMAGE, version: '11.7.1' });
      assert.ok(about(other, 'mm-a', /repository acme\/mattermost, not/), other.findings.map((f) => f.message).join('\n'));
    });
    it('errors when target.image names only a repository and no target.version says which version', async () => {
      const r = await run({}, { image: IMAGE });
      assert.equal(r.status, 'error');
      assert.match(r.error?.message ?? '', /target\.image mattermost\/mattermost-enterprise-edition names no tag or digest/);
    });
  });

  describe('by target.version', () => {
    it('errors on a target version it cannot read, and on no target even with no pods to judge', async () => {
      const r = await runCheck(check, { data: healthyKube(), target: { version: 'banana' } });
      assert.equal(r.status, 'error');
      assert.match(r.error?.message ?? '', /^image-version needs to know the target: set target\.version/);
      const none = await runCheck(check, { data: { ...healthyKube(), pods: [] }, target: {} });
      assert.equal(none.status, 'error');
    });
    it('fails a pod whose tag carries no version, and says to compare by image', async () => {
      const r = await run({ pods: [pod('mm-a', { image: `${IMAGE}:latest` }), pod('mm-b', { image: `${IMAGE}@${DIGEST}` })] });
      assert.ok(about(r, 'mm-a', /its tag says no version \(latest\); set target\.image/), r.findings.map((f) => f.message).join('\n'));
      assert.ok(about(r, 'mm-b', /its tag says no version \(digest only\)/), r.findings.map((f) => f.message).join('\n'));
    });
  });

  describe('what the pod runs and what its spec asks for', () => {
    it('fails a pod whose spec asks for another version than it runs', async () => {
      const p = withContainers('mm-a', [{ name: 'sidecar', image: 'envoy:1' }, { name: 'mattermost', image: `${IMAGE}:11.6.2` }], [{ name: 'mattermost', image: `${IMAGE}:11.7.1`, ready: true }]);
      const r = await run({ pods: [p] });
      const f = about(r, 'mm-a', /runs/);
      assert.equal(f?.message, `Mattermost pod mm-a runs ${IMAGE}:11.7.1: its spec asks for ${IMAGE}:11.6.2: version 11.6.2, not 11.7.1`);
      assert.equal(r.measured?.['podsOnTarget'], 0);
    });
    it('judges what runs when the spec asks for the target', async () => {
      const p = withContainers('mm-a', [{ name: 'mattermost', image: `${IMAGE}:11.7.1` }], [{ name: 'mattermost', image: `${IMAGE}:11.6.2`, ready: true }]);
      const r = await run({ pods: [p] });
      assert.equal(about(r, 'mm-a', /runs/)?.message, `Mattermost pod mm-a runs ${IMAGE}:11.6.2: version 11.6.2, not 11.7.1`);
    });
    it('judges the only container of a pod whatever its name', async () => {
      const good = withContainers('mm-a', [{ name: 'app', image: `${IMAGE}:11.7.1` }], [{ name: 'app', image: `${IMAGE}:11.7.1`, ready: true }]);
      const old = withContainers('mm-b', [{ name: 'app', image: `${IMAGE}:11.6.2` }], [{ name: 'app', image: `${IMAGE}:11.6.2`, ready: true }]);
      const r = await run({ pods: [good, old] });
      assert.deepEqual(r.findings.map((f) => f.subject?.name), ['mm-b']);
      assert.equal(r.measured?.['podsOnTarget'], 1);
      const starting = withContainers('mm-c', [{ name: 'app', image: `${IMAGE}:11.6.2` }], []);
      const r2 = await run({ pods: [starting] });
      assert.equal(about(r2, 'mm-c', /runs/)?.message, `Mattermost pod mm-c runs ${IMAGE}:11.6.2: version 11.6.2, not 11.7.1`);
    });
    it('judges the status image of a pod whose spec is missing', async () => {
      const p = pod('mm-a', { version: '11.6.2' });
      delete p.spec;
      const r = await run({ pods: [p] });
      assert.equal(about(r, 'mm-a', /runs/)?.message, `Mattermost pod mm-a runs ${IMAGE}:11.6.2: version 11.6.2, not 11.7.1`);
    });
    it('judges the spec image of a pod that has no status yet, and calls it not ready', async () => {
      const p = withContainers('mm-a', [{ name: 'mattermost', image: `${IMAGE}:11.7.1` }], []);
      const r = await run({ pods: [p] });
      assert.equal(r.measured?.['podsOnTarget'], 1);
      const f = about(r, 'mm-a', /not ready/);
      assert.equal(f?.message, 'Mattermost pod mm-a is not ready (no status for container mattermost)');
      assert.equal(f.actual, 'phase Running');
    });
    it('fails a pod without the Mattermost container and lists what it has', async () => {
      const bare = pod('mm-c');
      delete bare.spec;
      delete bare.status;
      const r = await run({ pods: [withContainers('mm-a', [{ name: 'sidecar', image: 'envoy:1' }, { name: 'proxy', image: 'nginx:1' }], []), withContainers('mm-b', [], []), bare] });
      const a = about(r, 'mm-a', /has no mattermost container/);
      assert.equal(a?.actual, 'containers: sidecar, proxy');
      assert.equal(a.expected, 'container mattermost');
      assert.equal(about(r, 'mm-b', /has no mattermost container/)?.actual, 'containers: none');
      assert.equal(about(r, 'mm-c', /has no mattermost container/)?.actual, 'containers: none');
      assert.equal(r.measured?.['pods'], 3);
    });
  });

  describe('the newest ReplicaSet', () => {
    it('orders revisions as numbers (10 is newer than 9)', async () => {
      const r = await run({ replicaSets: [replicaSet(INST, NEW_HASH, 10), replicaSet(INST, OLD_HASH, 9)] });
      assert.equal(r.status, 'pass', JSON.stringify(r.findings));
      const r2 = await run({ replicaSets: [replicaSet(INST, OLD_HASH, 10), replicaSet(INST, NEW_HASH, 9)] });
      assert.equal(r2.measured?.['podsFromOldReplicaSet'], 3);
      assert.equal(r2.summary, '3/3 pods run 11.7.1, 3 from an old ReplicaSet');
    });
    it('ignores a ReplicaSet of an earlier Deployment of the same name (another uid)', async () => {
      const stale = replicaSet(INST, OLD_HASH, 7);
      stale.metadata.ownerReferences = [{ kind: 'Deployment', name: INST, uid: 'uid-deleted', controller: true }];
      const r = await run({ replicaSets: [stale, replicaSet(INST, NEW_HASH, 4)] });
      assert.equal(r.status, 'pass', JSON.stringify(r.findings));
    });
    it('matches owners by name when they carry no uid, and only Deployments', async () => {
      const byName = replicaSet(INST, NEW_HASH, 4);
      byName.metadata.ownerReferences = [{ kind: 'Deployment', name: INST, controller: true }, { kind: 'Application', name: 'argocd-app' }];
      const orphan = replicaSet(INST, OLD_HASH, 12);
      delete orphan.metadata.ownerReferences;
      const other = replicaSet('other', OLD_HASH, 8);
      other.metadata.ownerReferences = [{ kind: 'Deployment', name: 'other', controller: true }];
      const notDeployment = replicaSet(INST, OLD_HASH, 9);
      notDeployment.metadata.ownerReferences = [{ kind: 'StatefulSet', name: INST, uid: 'uid-deploy-mm' }];
      const r = await run({ replicaSets: [other, notDeployment, orphan, byName] });
      assert.equal(r.status, 'pass', JSON.stringify(r.findings));
    });
    it('says which ReplicaSet and revision a pod of an old one should come from', async () => {
      const r = await run({ pods: [pod('mm-a'), pod('mm-old', { hash: OLD_HASH })] });
      const f = about(r, 'mm-old', /belongs to/);
      assert.equal(f?.expected, 'ReplicaSet mm-new7f9c (revision 4)');
      assert.equal(f.actual, 'mm-old5b2a');
      assert.equal(r.measured?.['podsFromOldReplicaSet'], 1);
      assert.equal(r.summary, '2/2 pods run 11.7.1, 1 from an old ReplicaSet');
    });
    it('falls back to the pod-template-hash label for a pod with no owner', async () => {
      const orphan = (name: string, hash?: string) => {
        const p = pod(name, hash ? { hash } : {});
        delete p.metadata.ownerReferences;
        if (!hash) delete p.metadata.labels?.['pod-template-hash'];
        return p;
      };
      const r = await run({ pods: [orphan('mm-a', NEW_HASH), orphan('mm-b', OLD_HASH), orphan('mm-c')] });
      assert.equal(about(r, 'mm-a', /belongs to/), undefined);
      const b = about(r, 'mm-b', /belongs to/);
      assert.equal(b?.message, 'Mattermost pod mm-b belongs to pod-template-hash old5b2a, not the newest ReplicaSet mm-new7f9c');
      assert.equal(b.actual, OLD_HASH);
      const c = about(r, 'mm-c', /belongs to/);
      assert.equal(c?.message, 'Mattermost pod mm-c belongs to pod-template-hash (none), not the newest ReplicaSet mm-new7f9c');
      assert.equal(c.actual, 'no owner');
    });
    it('writes ? for a newest ReplicaSet without a revision, and takes a missing revision for 0', async () => {
      const rs = replicaSet(INST, NEW_HASH, 1);
      delete rs.metadata.annotations;
      const older = replicaSet(INST, 'older', 0);
      delete older.metadata.annotations;
      const r = await run({ replicaSets: [older, rs, replicaSet(INST, OLD_HASH, -1)], pods: [pod('mm-old', { hash: OLD_HASH })] });
      assert.equal(about(r, 'mm-old', /belongs to/)?.expected, 'ReplicaSet mm-older (revision ?)');
    });
    it('does not take an unlabelled pod without an owner for one of an unlabelled ReplicaSet', async () => {
      const rs = replicaSet(INST, NEW_HASH, 4);
      delete rs.metadata.labels;
      const p = pod('mm-a');
      delete p.metadata.ownerReferences;
      delete p.metadata.labels?.['pod-template-hash'];
      const r = await run({ replicaSets: [rs], pods: [p, pod('mm-b')] });
      assert.deepEqual(r.findings.map((f) => [f.subject?.name, f.actual]), [['mm-a', 'no owner']]);
    });
    it('goes by the pod-template-hash of a pod owned by something other than a ReplicaSet', async () => {
      const p = (name: string, hash: string) => {
        const x = pod(name, { hash });
        x.metadata.ownerReferences = [{ kind: 'Node', name: 'node-1' }];
        return x;
      };
      const r = await run({ pods: [p('mm-a', NEW_HASH), p('mm-b', OLD_HASH)] });
      assert.deepEqual(r.findings.map((f) => [f.subject?.name, f.actual]), [['mm-b', OLD_HASH]]);
    });
    it('fails when the Deployment is missing, and judges the images all the same', async () => {
      const r = await run({ deployments: [], pods: [pod('mm-a'), pod('mm-b', { version: '11.6.2' })] });
      assert.equal(r.status, 'fail');
      const f = r.findings.find((x) => x.subject?.kind === 'Deployment');
      assert.equal(f?.message, 'Deployment mm was not found, so the pods\' ReplicaSet cannot be checked');
      assert.equal(f.actual, 'not found');
      assert.ok(about(r, 'mm-b', /version 11\.6\.2/));
      assert.equal(r.measured?.['podsFromOldReplicaSet'], 0);
    });
    it('fails when the Deployment owns no ReplicaSet, without blaming the pods', async () => {
      const r = await run({ replicaSets: [] });
      assert.equal(r.status, 'fail');
      assert.deepEqual(r.findings.map((f) => [f.subject?.kind, f.subject?.name, f.message, f.actual]), [['Deployment', 'mm', 'Deployment mm owns no ReplicaSet', 'none']]);
    });
  });

  describe('readiness', () => {
    it('names the containers not ready, the waiting reason and its message', async () => {
      const r = await run({ pods: [pod('mm-a'), pod('mm-b', { ready: false })] });
      const f = about(r, 'mm-b', /not ready/);
      assert.equal(f?.message, 'Mattermost pod mm-b is not ready (containers not ready: mattermost)');
      assert.equal(f.actual, 'phase Running, mattermost waiting: CrashLoopBackOff');
      assert.deepEqual(f.evidence, ['back-off 5m0s restarting failed container']);
      assert.equal(r.measured?.['podsNotReady'], 1);
      assert.equal(r.summary, '2/2 pods run 11.7.1, 1 not ready');
    });
    it('fails a pod whose Ready condition is false though its containers are ready', async () => {
      const p = pod('mm-a');
      p.status = { ...p.status, conditions: [{ type: 'Ready', status: 'False' }] };
      const r = await run({ pods: [p] });
      assert.equal(about(r, 'mm-a', /not ready/)?.message, 'Mattermost pod mm-a is not ready');
    });
    it('fails a pod whose sidecar is not ready', async () => {
      const p = withContainers('mm-a', [{ name: 'mattermost', image: `${IMAGE}:11.7.1` }, { name: 'sidecar', image: 'envoy:1' }],
        [{ name: 'mattermost', image: `${IMAGE}:11.7.1`, ready: true }, { name: 'sidecar', image: 'envoy:1', ready: false }]);
      const r = await run({ pods: [p] });
      assert.equal(about(r, 'mm-a', /not ready/)?.message, 'Mattermost pod mm-a is not ready (containers not ready: sidecar)');
    });
    it('says the phase is unknown for a pod without status', async () => {
      const p = pod('mm-a');
      delete p.status;
      const r = await run({ pods: [p] });
      const f = about(r, 'mm-a', /not ready/);
      assert.equal(f?.message, 'Mattermost pod mm-a is not ready (no status for container mattermost)');
      assert.equal(f.actual, 'phase unknown');
    });
    it('passes ready pods with no finding', async () => {
      const r = await run({});
      assert.deepEqual(r.findings, []);
      assert.deepEqual(r.measured, { pods: 3, podsOnTarget: 3, podsFromOldReplicaSet: 0, podsNotReady: 0 });
      assert.equal(r.summary, '3/3 pods run 11.7.1');
    });
  });

  describe('the dedicated job server', () => {
    it('judges the Mattermost pods when the custom resource is gone or has no spec', async () => {
      const cr = installation();
      delete cr.spec;
      for (const inst of [null, cr]) {
        const r = await run({ installation: inst });
        assert.equal(r.status, 'pass', JSON.stringify(r));
        assert.equal(r.measured?.['pods'], 3);
      }
    });
    it('points at the job server Deployment and its label when it has no pods', async () => {
      const r = await run({ installation: installation({ jobServer: true }), deployments: [deployment(), deployment(`${INST}-jobserver`, { replicas: 1 })] });
      const f = r.findings.find((x) => /no job server pods/.test(x.message));
      assert.deepEqual(f?.subject, { kind: 'Deployment', namespace: 'mattermost', name: 'mm-jobserver' });
      assert.equal(f.expected, 'job server pods running 11.7.1');
      assert.equal(f.actual, 'no pods');
      assert.match(f.remediation ?? '', /get deploy mm-jobserver .*-l app=mattermost-jobserver:/);
    });
    it('points at the Mattermost Deployment and its label when it has no pods', async () => {
      const r = await run({ pods: [] });
      const f = r.findings[0];
      assert.deepEqual(f?.subject, { kind: 'Deployment', namespace: 'mattermost', name: 'mm' });
      assert.match(f.remediation ?? '', /get deploy mm .*-l app=mattermost:/);
    });
    it('passes a job server on the target from its newest ReplicaSet', async () => {
      const r = await run({
        installation: installation({ jobServer: true }),
        deployments: [deployment(), deployment(`${INST}-jobserver`, { replicas: 1 })],
        replicaSets: [replicaSet(INST, NEW_HASH, 4), replicaSet(`${INST}-jobserver`, NEW_HASH, 2)],
        pods: [pod('mm-a'), pod('mm-jobserver-x', { app: 'mattermost-jobserver' })],
      });
      assert.equal(r.status, 'pass', JSON.stringify(r.findings));
      assert.equal(r.measured?.['pods'], 2);
    });
  });
});
