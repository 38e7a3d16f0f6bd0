/**
 * What the upgrade changed, end to end on the lab: preflight records the identity baseline
 * (licence, cluster view, plugins, masked configuration), the lab's ordinary upgrade changes a
 * plugin version and a setting, and verify against that baseline lists both in "what changed"
 * while every identity check passes (they compared something: none is not-applicable). Also: the
 * evicted-old-pod preflight promotes with pod-health's warning about that very pod.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { startLab } from '../lab/index.js';
import { judge } from './judge.js';

const tmp = mkdtempSync(join(tmpdir(), 'mmgate-what-changed-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

describe('what the upgrade changed, on the lab', () => {
  it('the ordinary upgrade: plugin version and a setting listed, identity checks pass, no secret recorded', async () => {
    const before = await startLab('healthy', join(tmp, 'before'));
    const baseline = join(tmp, 'preflight.snapshot.json');
    try {
      const pre = await judge(before.paths.config, 'pre');
      assert.equal(pre.report.results.find((r) => r.id === 'license')?.status, 'pass');
      for (const k of ['license', 'clusterStatus', 'pluginStatuses', 'effectiveConfig']) assert.ok(k in pre.snapshot.data, `preflight recorded ${k}`);
      const text = JSON.stringify(pre.snapshot);
      // The lab's server holds these in its config; Mattermost sanitizes them and mmgate masks by key.
      for (const secret of ['lab-smtp-password', 'lab-db-password', 'lab-s3-secret', 'lab-public-link-salt', before.secrets.adminToken]) assert.doesNotMatch(text, new RegExp(secret));
      writeFileSync(baseline, JSON.stringify(pre.snapshot));
    } finally {
      await before.close();
    }
    const lab = await startLab('upgraded', join(tmp, 'after'));
    try {
      const { report } = await judge(lab.paths.config, 'post', baseline);
      assert.equal(report.verdict.promote, true, report.verdict.headline);
      for (const id of ['license-unchanged', 'cluster-membership', 'plugin-changes', 'config-changes']) assert.equal(report.results.find((r) => r.id === id)?.status, 'pass', id);
      const changes = report.changes ?? [];
      assert.deepEqual(changes.find((c) => c.item === 'playbooks'), { check: 'plugin-changes', area: 'plugin', item: 'playbooks', before: '2.4.1 (running)', after: '2.5.0 (running)', judged: 'info' });
      assert.deepEqual(changes.find((c) => c.item === 'TeamSettings.MaxUsersPerTeam'), { check: 'config-changes', area: 'config', item: 'TeamSettings.MaxUsersPerTeam', before: '50', after: '100', judged: 'info' });
      assert.deepEqual(changes.find((c) => c.area === 'cluster' && c.item === 'version'), { check: 'cluster-membership', area: 'cluster', item: 'version', before: '10.11.4', after: '11.7.1', judged: 'info' });
      assert.ok(!changes.some((c) => c.judged === 'finding'), 'nothing judged');
    } finally {
      await lab.close();
    }
  });

  it('evicted-old-pod: preflight promotes with a pod-health warning naming the evicted pod and its fix', async () => {
    const lab = await startLab('evicted-old-pod', join(tmp, 'evicted'));
    try {
      const { report } = await judge(lab.paths.config, 'pre');
      assert.equal(report.verdict.promote, true, report.verdict.headline);
      const ph = report.results.find((r) => r.id === 'pod-health');
      assert.equal(ph?.status, 'warn');
      assert.deepEqual(ph?.findings.map((f) => f.subject?.name), ['mm-7c9d8b6f5d-ev1ct']);
      assert.match(ph?.findings[0]?.message ?? '', /failed \(Evicted\) and is history: Deployment mm has 3\/3 ready replicas/);
      assert.match(ph?.findings[0]?.remediation ?? '', /^kubectl -n mattermost delete pod mm-7c9d8b6f5d-ev1ct/);
    } finally {
      await lab.close();
    }
  });
});
