import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runCheck, type CheckCase } from '../../core/testing.js';
import type { CheckResult } from '../../core/types.js';
import { failed, mattermost, MM_IMAGE, pod } from '../fixtures.js';
import { upgradePath } from './upgrade-path.js';

type Options = { allowSkipEsr: boolean; maxMinorJump?: number };
/** Mattermost app pods running these versions (the default target of runCheck is 11.7.1). */
const running = (...versions: string[]) => ({
  pods: [
    ...versions.map((v, i) => pod({ name: `mm-7d9c6b5f4-pod${i}`, nodeName: 'n1', image: `${MM_IMAGE}:${v}` })),
    pod({ name: 'postgres-0', app: 'postgres', nodeName: 'n1', image: 'postgres:15.8' }),
  ],
  installation: mattermost({ version: versions[0] ?? '10.11.2' }),
});

const cases: { name: string; input: CheckCase<Options>; status: CheckResult['status']; then?: (r: CheckResult) => void }[] = [
  {
    name: 'ESR to next ESR passes',
    input: { data: running('10.11.2', '10.11.2') },
    status: 'pass',
    then: (r) => {
      assert.equal(r.summary, '10.11.2 → 11.7.1');
      assert.deepEqual(r.measured, { runningVersion: '10.11.2', targetVersion: '11.7.1', mixed: false, runningVersions: '10.11.2 on 2 pods', esrsCrossed: 0 });
    },
  },
  {
    name: 'crossing one ESR passes (8.1 → 9.11 per the release policy\'s example path)',
    input: { data: running('8.1.4'), target: { version: '9.11.6' } },
    status: 'pass',
    then: (r) => assert.equal(r.summary, '8.1.4 → 9.11.6, crossing ESR 9.5'),
  },
  {
    name: 'the same version passes: nothing to upgrade',
    input: { data: running('11.7.1', '11.7.1') },
    status: 'pass',
    then: (r) => assert.equal(r.summary, 'already running 11.7.1: nothing to upgrade'),
  },
  {
    name: 'a downgrade fails: migrations only go forward',
    input: { data: running('11.7.1'), target: { version: '10.11.5' } },
    status: 'fail',
    then: (r) => {
      const f = r.findings[0];
      assert.equal(f?.message, 'Target 10.11.5 is older than the running 11.7.1: a downgrade');
      assert.deepEqual(f?.subject, { kind: 'Mattermost', namespace: 'mattermost', name: 'mm' });
      assert.equal(f?.actual, '11.7.1 → 10.11.5');
      assert.match(f?.remediation ?? '', /restored/);
    },
  },
  {
    name: 'skipping ESRs fails with the step-by-step path',
    input: { data: running('9.5.3') },
    status: 'fail',
    then: (r) => {
      const f = r.findings[0];
      assert.equal(f?.actual, '2 ESRs crossed (9.11, 10.11)');
      assert.equal(f?.expected, 'at most one ESR crossed per upgrade');
      assert.match(f?.remediation ?? '', /9\.5\.3 → 9\.11 → 10\.11 → 11\.7\.1/);
    },
  },
  {
    name: 'with allowSkipEsr skipping ESRs only warns: supported, not tested',
    input: { data: running('9.5.3'), options: { allowSkipEsr: true } },
    status: 'warn',
    then: (r) => assert.match(r.findings[0]?.message ?? '', /supported, not tested$/),
  },
  {
    name: 'a release older than 7.1 must go to 7.1 first, whatever allowSkipEsr says',
    input: { data: running('6.3.0'), target: { version: '7.8.0' }, options: { allowSkipEsr: true } },
    status: 'fail',
    then: (r) => {
      assert.equal(r.findings[0]?.message, '6.3.0 is older than the 7.1 ESR: it must upgrade to 7.1 first');
      assert.match(r.findings[0]?.remediation ?? '', /6\.3\.0 → 7\.1 → 7\.8\.0/);
    },
  },
  {
    name: 'a mixed cluster is judged from the lowest version and says so',
    // From 9.11.2 the jump would cross one ESR; from the lowest, 9.5.3, it crosses two.
    input: { data: running('9.11.2', '9.5.3', '9.11.2') },
    status: 'fail',
    then: (r) => {
      assert.equal(r.summary, '9.5.3 → 11.7.1, crossing ESR 9.11, 10.11; the cluster is mixed (9.5.3 on 1 pod, 9.11.2 on 2 pods); judged from the lowest, 9.5.3');
      assert.equal(r.measured?.['mixed'], true);
      assert.equal(r.findings[0]?.actual, '2 ESRs crossed (9.11, 10.11)');
    },
  },
  {
    name: 'a pod already above the target makes it a downgrade for that pod',
    input: { data: running('11.7.1', '11.7.2') },
    status: 'fail',
    then: (r) => assert.equal(r.findings[0]?.actual, '11.7.2 → 11.7.1'),
  },
  {
    name: 'no target version fails closed',
    input: { data: running('10.11.2'), target: {} },
    status: 'fail',
    then: (r) => {
      assert.equal(r.findings[0]?.message, 'No target version configured: the upgrade path cannot be judged');
      assert.match(r.findings[0]?.remediation ?? '', /target\.version/);
    },
  },
  {
    name: 'a digest-only target image is no target version',
    input: { data: running('10.11.2'), target: { image: `${MM_IMAGE}@sha256:9b2f6c1d0e8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c` } },
    status: 'fail',
    then: (r) => assert.match(r.findings[0]?.actual ?? '', /has no version tag/),
  },
  {
    name: 'a target image with a version tag is a target version',
    input: { data: running('10.11.2'), target: { image: `${MM_IMAGE}:11.7.1` } },
    status: 'pass',
    then: (r) => assert.equal(r.measured?.['targetVersion'], '11.7.1'),
  },
  {
    name: 'a pod on :latest fails closed, naming the pod',
    input: { data: running('10.11.2', 'latest') },
    status: 'fail',
    then: (r) => {
      assert.equal(r.findings.length, 1);
      assert.deepEqual(r.findings[0]?.subject, { kind: 'Pod', namespace: 'mattermost', name: 'mm-7d9c6b5f4-pod1' });
      assert.equal(r.findings[0]?.actual, `${MM_IMAGE}:latest`);
    },
  },
  {
    name: 'maxMinorJump limits a jump within a major',
    input: { data: running('11.1.0'), options: { maxMinorJump: 3 } },
    status: 'fail',
    then: (r) => { assert.equal(r.findings[0]?.actual, '6 minor releases'); assert.equal(r.findings[0]?.expected, 'at most 3 minor releases'); },
  },
  {
    name: 'maxMinorJump across a major cannot count, so it warns',
    input: { data: running('10.11.2'), options: { maxMinorJump: 3 } },
    status: 'warn',
    then: (r) => assert.equal(r.findings[0]?.actual, 'major 10 → 11'),
  },
  {
    name: 'no Mattermost pods fails: the running version cannot be read',
    input: { data: { pods: [], installation: mattermost({ version: '10.11.2' }) } },
    status: 'fail',
    then: (r) => assert.equal(r.findings[0]?.actual, '0 pods (the Mattermost resource names 10.11.2, copied from its spec)'),
  },
  {
    name: 'a failed pods collector is an error',
    input: { data: { pods: failed('pods', 'UNREACHABLE') } },
    status: 'error',
    then: (r) => assert.equal(r.error?.code, 'COLLECTOR_FAILED'),
  },
];

describe('upgrade-path', () => {
  for (const c of cases) {
    it(c.name, async () => {
      const r = await runCheck(upgradePath, c.input);
      assert.equal(r.status, c.status, JSON.stringify(r.findings.length ? r.findings : r.error ?? r.summary));
      c.then?.(r);
    });
  }
});
