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

/** The pod with these containers in this order. */
const withContainers = (p: ReturnType<typeof pod>, containers: { name: string; image: string }[]) => ({ ...p, spec: { ...p.spec, containers } });

/** Before any ESR from 8.1 on reached its end of support, so the table judges the path alone. */
const BEFORE_EOS = new Date('2024-01-01T12:00:00Z');

/**
 * The documents' own examples and the edge cases. `cites` names the sentence (docs/upgrade-path.md)
 * the row follows; `decidedBy` is the one the finding must name.
 */
const paths: { from: string; to: string; cites: string; cls: 'fully supported and tested' | 'supported, but not tested' | 'not supported'; decidedBy: string; skips?: string; route?: string }[] = [
  { from: '8.1.4', to: '9.5.3', cites: 'esr-example "from the v8.1 ESR, upgrade to the v9.5 ESR" + esr-next', cls: 'fully supported and tested', decidedBy: 'esr-next' },
  { from: '8.1.4', to: '9.11.6', cites: 'esr-example "… or the v9.11 ESR", overruled by last-esr "extends to only the last ESR version" (9.5 is skipped)', cls: 'supported, but not tested', decidedBy: 'last-esr', skips: '9.5', route: '8.1.4 → 9.5.x → 9.11.6' },
  { from: '9.11.6', to: '10.11.4', cites: 'last-esr: the 10.5 ESR is skipped (the release policy read by major version would call 9 → 10 major_next)', cls: 'supported, but not tested', decidedBy: 'last-esr', skips: '10.5', route: '9.11.6 → 10.5.x → 10.11.4' },
  { from: '10.5.2', to: '10.11.4', cites: 'esr-next "ESR-to-ESR (major -> major_next) is fully supported and tested"', cls: 'fully supported and tested', decidedBy: 'esr-next' },
  { from: '10.11.4', to: '11.7.1', cites: 'esr-next', cls: 'fully supported and tested', decidedBy: 'esr-next' },
  { from: '9.5.3', to: '11.7.1', cites: 'esr-skip "(major to major+2) is supported, but not tested"', cls: 'supported, but not tested', decidedBy: 'esr-skip', skips: '9.11, 10.5, 10.11', route: '9.5.3 → 9.11.x → 10.5.x → 10.11.x → 11.7.1' },
  { from: '10.7.1', to: '10.11.4', cites: 'last-esr: 10.11 keeps compatibility back to the 10.5 ESR, and 10.7 is after it (a feature release to the next ESR)', cls: 'fully supported and tested', decidedBy: 'last-esr' },
  { from: '9.3.0', to: '9.11.6', cites: 'last-esr: a feature release before the 9.5 ESR jumping past it', cls: 'supported, but not tested', decidedBy: 'last-esr', skips: '9.5', route: '9.3.0 → 9.5.x → 9.11.6' },
  { from: '11.7.0', to: '11.7.1', cites: 'last-esr: a patch-only upgrade stays on one line', cls: 'fully supported and tested', decidedBy: 'last-esr' },
  { from: '11.7.1', to: '10.11.5', cites: 'restore "restore the database and previous version if you need to revert an upgrade": a downgrade', cls: 'not supported', decidedBy: 'restore' },
  { from: '6.3.0', to: '7.8.0', cites: 'minimum-7.1 "prior to v7.1 … you must upgrade to v7.1 ESR at a minimum"', cls: 'not supported', decidedBy: 'minimum-7.1', route: '6.3.0 → 7.1.x → 7.8.0' },
  { from: '6.3.0', to: '7.1.3', cites: 'minimum-7.1: landing on 7.1 is the required first step', cls: 'fully supported and tested', decidedBy: 'last-esr' },
];

describe('upgrade-path: the documents\' examples, each row citing its sentence', () => {
  for (const p of paths) {
    for (const allowSkipEsr of [false, true]) {
      it(`${p.from} → ${p.to} is ${p.cls}${allowSkipEsr ? ' (allowSkipEsr)' : ''} — ${p.cites}`, async () => {
        const r = await runCheck(upgradePath, { data: running(p.from), target: { version: p.to }, options: { allowSkipEsr }, now: BEFORE_EOS });
        const want = p.cls === 'fully supported and tested' ? 'pass' : p.cls === 'not supported' ? 'fail' : allowSkipEsr ? 'warn' : 'fail';
        assert.equal(r.status, want, JSON.stringify(r.findings));
        assert.equal(r.measured?.['pathClass'], p.cls);
        assert.equal(r.measured?.['decidedBy'], p.decidedBy);
        const f = r.findings[0];
        if (p.cls === 'fully supported and tested') { assert.equal(r.findings.length, 0); return; }
        assert.match(f?.message ?? '', new RegExp(p.cls.replace(/[,.]/g, '.')));
        if (p.skips) assert.match(f?.actual ?? '', new RegExp(`\\(${p.skips}\\)`));
        if (p.route) assert.ok(f?.remediation?.includes(p.route), f?.remediation);
        if (p.decidedBy !== 'restore') assert.match(f?.message ?? '', /Decided by /);
      });
    }
  }

  it('a stricter reading names the sentence it overruled', async () => {
    const r = await runCheck(upgradePath, { data: running('8.1.4'), target: { version: '9.11.6' }, now: BEFORE_EOS });
    const msg = r.findings[0]?.message ?? '';
    assert.match(msg, /Decided by prepare to upgrade: "This backwards compatibility guarantee extends to only the last ESR version\."/);
    assert.match(msg, /stricter reading: release policy: "if you're upgrading from the v8\.1 ESR, upgrade to the v9\.5 ESR or the v9\.11 ESR" reads it as fully supported/);
    assert.match(r.findings[0]?.remediation ?? '', /Or set allowSkipEsr/);
  });
});

describe('upgrade-path: an ESR past its end of support', () => {
  it('warns with the end date when the running 10.5 ESR is out of support', async () => {
    const r = await runCheck(upgradePath, { data: running('10.5.2'), target: { version: '10.11.4' }, now: new Date('2025-12-01T00:00:00Z') });
    assert.equal(r.status, 'warn');
    assert.equal(r.findings.length, 1);
    assert.equal(r.findings[0]?.message, '10.5.2 is on the 10.5 ESR, whose support ended on 2025-11-15: it gets no more security fixes');
    assert.equal(r.findings[0]?.actual, '10.5 ESR, support ended 2025-11-15');
  });
  it('does not warn on the last day of support', async () => {
    const r = await runCheck(upgradePath, { data: running('10.5.2'), target: { version: '10.11.4' }, now: new Date('2025-11-15T23:00:00Z') });
    assert.equal(r.status, 'pass', JSON.stringify(r.findings));
  });
  it('does not warn for a feature release (only ESRs have a support end in the table)', async () => {
    const r = await runCheck(upgradePath, { data: running('10.7.1'), target: { version: '10.11.4' }, now: new Date('2026-11-20T00:00:00Z') });
    assert.equal(r.status, 'pass', JSON.stringify(r.findings));
  });
  it('keeps the warning next to a failing path', async () => {
    const r = await runCheck(upgradePath, { data: running('9.5.3') });
    assert.equal(r.status, 'fail');
    assert.deepEqual(r.findings.map((f) => f.actual).sort(), ['3 ESRs skipped (9.11, 10.5, 10.11): supported, but not tested', '9.5 ESR, support ended 2024-11-15']);
  });
});

const cases: { name: string; input: CheckCase<Options>; status: CheckResult['status']; then?: (r: CheckResult) => void }[] = [
  {
    name: 'ESR to next ESR passes, and says its class',
    input: { data: running('10.11.2', '10.11.2'), now: BEFORE_EOS },
    status: 'pass',
    then: (r) => {
      assert.equal(r.summary, '10.11.2 → 11.7.1: fully supported and tested');
      assert.deepEqual(r.measured, { runningVersion: '10.11.2', targetVersion: '11.7.1', mixed: false, runningVersions: '10.11.2 on 2 pods', esrsCrossed: 0, pathClass: 'fully supported and tested', decidedBy: 'esr-next' });
    },
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
      assert.equal(f?.message, 'Target 10.11.5 is older than the running 11.7.1: a downgrade, not supported');
      assert.deepEqual(f?.subject, { kind: 'Mattermost', namespace: 'mattermost', name: 'mm' });
      assert.equal(f?.actual, '11.7.1 → 10.11.5');
      assert.match(f?.remediation ?? '', /restored/);
    },
  },
  {
    name: 'a mixed cluster is judged from the lowest version and says so',
    // From 9.11.2 the jump would skip one ESR; from the lowest, 9.5.3, it skips two.
    input: { data: running('9.11.2', '9.5.3', '9.11.2'), target: { version: '10.11.4' }, now: BEFORE_EOS },
    status: 'fail',
    then: (r) => {
      assert.equal(r.summary, '9.5.3 → 10.11.4: supported, but not tested (skips ESR 9.11, 10.5); the cluster is mixed (9.5.3 on 1 pod, 9.11.2 on 2 pods); judged from the lowest, 9.5.3');
      assert.equal(r.measured?.['mixed'], true);
      assert.equal(r.findings[0]?.actual, '2 ESRs skipped (9.11, 10.5): supported, but not tested');
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
    input: { data: running('10.11.2'), target: { image: `${MM_IMAGE}:11.7.1` }, now: BEFORE_EOS },
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
    input: { data: running('10.11.2'), options: { maxMinorJump: 3 }, now: BEFORE_EOS },
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
    name: 'a target version that is not a version fails closed, quoting it',
    input: { data: running('10.11.2'), target: { version: 'eleven' } },
    status: 'fail',
    then: (r) => {
      assert.equal(r.findings[0]?.message, 'Target version "eleven" is not a version: the upgrade path cannot be judged');
      assert.equal(r.findings[0]?.actual, 'eleven');
    },
  },
  {
    name: 'the Mattermost container gives the running version, not a sidecar listed before it',
    input: { data: { ...running(), pods: [withContainers(pod({ name: 'mm-7d9c6b5f4-pod0', nodeName: 'n1' }), [
      { name: 'istio-proxy', image: 'istio/proxyv2:1.20.0' }, { name: 'mattermost', image: `${MM_IMAGE}:10.11.2` }])] }, now: BEFORE_EOS },
    status: 'pass',
    then: (r) => assert.equal(r.measured?.['runningVersion'], '10.11.2'),
  },
  {
    name: 'a pod read without containers or without spec runs no image: the running version cannot be told',
    input: { data: { ...running(), pods: [withContainers(pod({ name: 'mm-7d9c6b5f4-pod0', nodeName: 'n1' }), []), { ...pod({ name: 'mm-7d9c6b5f4-pod1', nodeName: 'n1' }), spec: undefined }] } },
    status: 'fail',
    then: (r) => assert.deepEqual(r.findings.map((f) => [f.subject?.name, f.actual]), [['mm-7d9c6b5f4-pod0', 'no image'], ['mm-7d9c6b5f4-pod1', 'no image']]),
  },
  ...([['no Mattermost resource', null], ['a Mattermost resource without status', { ...mattermost(), status: undefined }]] as const).map(([what, installation]) => ({
    name: `no Mattermost pods and ${what}: fails with 0 pods and no version named`,
    input: { data: { pods: [], installation } },
    status: 'fail' as const,
    then: (r: CheckResult) => assert.equal(r.findings[0]?.actual, '0 pods'),
  })),
  {
    name: 'a jump of exactly maxMinorJump minor releases passes',
    input: { data: running('10.6.0'), target: { version: '10.8.0' }, options: { maxMinorJump: 2 }, now: BEFORE_EOS },
    status: 'pass',
    then: (r) => { assert.equal(r.findings.length, 0); assert.equal(r.summary, '10.6.0 → 10.8.0: fully supported and tested'); },
  },
  {
    name: 'one skipped ESR is counted in the singular',
    input: { data: running('8.1.4'), target: { version: '9.11.6' }, now: BEFORE_EOS },
    status: 'fail',
    then: (r) => assert.equal(r.findings[0]?.actual, '1 ESR skipped (9.5): supported, but not tested'),
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
