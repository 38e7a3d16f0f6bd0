import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runCheck } from '../../core/testing.js';
import { collectError, deployment, healthyKube, installation, INST, OLD_HASH, pod, replicaSet } from '../../test/fixtures/post-upgrade.js';
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
