import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bluegreenPreflight } from '../reporters/rollback-fixtures.js';
import { clusterInstallation } from '../test/fixtures/bluegreen.js';
import { rollbackLines, rollbackPlan } from './rollback.js';
import type { Snapshot } from './types.js';

const helm = { release: 'mattermost-operator', namespace: 'mattermost-operator' };
const after = (data: Snapshot['data'], scope = bluegreenPreflight().meta.scope): Snapshot => ({ meta: { ...bluegreenPreflight().meta, phase: 'post', scope }, data });

describe('rollback plan', () => {
  it('is not made without a preflight snapshot', () => {
    assert.equal(rollbackPlan(null, undefined, helm), undefined);
  });

  it('switches production back when the blocked run followed a switch', () => {
    const plan = rollbackPlan(bluegreenPreflight(), after({ installation: clusterInstallation({ production: 'green', green: '11.7.1' }) }), helm)!;
    assert.match(plan.steps.join('\n'), /patch clusterinstallation mm --type merge -p '\{"spec":\{"blueGreen":\{"productionDeployment":"blue"\}\}\}'/);
    assert.equal(plan.backup?.restoreTested, 'yes');
  });

  it('names helm rollback to the revision deployed at preflight when Helm made a newer one', () => {
    const now = after({ installation: clusterInstallation(), helmReleases: [{ name: 'mattermost-operator', namespace: 'mattermost-operator', revision: 4, status: 'failed', chart: 'mattermost-operator', chartVersion: '1.0.5' }] });
    const plan = rollbackPlan(bluegreenPreflight(), now, helm)!;
    assert.match(plan.steps[0]!, /^helm rollback mattermost-operator 3 -n mattermost-operator .*now 4/);
  });

  it('leaves Helm out when its history did not change, and restores spec.version of an in-place upgrade', () => {
    const pre = bluegreenPreflight();
    const mm = { apiVersion: 'installation.mattermost.com/v1beta1', kind: 'Mattermost', metadata: { name: 'mm', namespace: 'mattermost' }, spec: { version: '10.11.4' } };
    const baseline = { ...pre, meta: { ...pre.meta, scope: { namespace: 'mattermost', installation: 'mm' } }, data: { ...pre.data, installation: mm } } as Snapshot;
    const plan = rollbackPlan(baseline, after({ installation: { ...mm, spec: { version: '11.7.1' } }, helmReleases: pre.data.helmReleases! }), helm)!;
    assert.ok(!plan.steps.some((s) => s.includes('helm rollback')));
    assert.match(plan.steps[0]!, /patch mattermost mm --type merge -p '\{"spec":\{"version":"10\.11\.4"\}\}'/);
  });

  it('warns that migrations are forward-only, and when the backup was never restore-tested', () => {
    const pre = bluegreenPreflight();
    const untested = { ...pre, data: { ...pre.data, restoreTest: null } } as Snapshot;
    const lines = rollbackLines(rollbackPlan(untested, undefined, undefined)!).join('\n');
    assert.match(lines, /Schema migrations only go forward/);
    assert.match(lines, /restore-tested: no/);
    assert.match(lines, /was not proven restorable/);
  });
});
