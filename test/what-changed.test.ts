/**
 * What the upgrade changed, end to end on the lab: preflight records the identity and metrics
 * baseline (licence, cluster view, plugins, masked configuration, serverMetrics) because verify's
 * checks declare them (the baseline contract), even with preflight's own license and
 * metrics-health checks off; the lab's ordinary upgrade changes a plugin version and a setting, and
 * verify against that baseline lists both in "what changed" while every identity check passes and
 * the metrics checks compare with preflight's numbers. No secret reaches either snapshot. Also: the
 * evicted-old-pod preflight promotes with pod-health's warning about that very pod.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { parse, stringify } from 'yaml';
import type { Baseline } from '../core/baseline.js';
import { FAKE_SETTING, type EffectiveConfig } from '../core/identity.js';
import { isCollectError } from '../core/types.js';
import { startLab } from '../lab/index.js';
import { judge } from './judge.js';

const tmp = mkdtempSync(join(tmpdir(), 'mmgate-what-changed-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

describe('what the upgrade changed, on the lab', () => {
  it('the ordinary upgrade: plugin version and a setting listed, identity and metrics checks compare, no secret recorded', async () => {
    const before = await startLab('healthy', join(tmp, 'before'));
    const baseline = join(tmp, 'preflight.snapshot.json');
    const secrets = ['lab-smtp-password', 'lab-db-password', 'lab-s3-secret', 'lab-public-link-salt', before.secrets.adminToken];
    try {
      // A team that turns preflight's license and metrics-health checks off still gets the baseline verify compares with.
      const doc = parse(readFileSync(before.paths.config, 'utf8')) as Record<string, Record<string, unknown>>;
      const config = join(before.paths.dir, 'checks-off.yaml');
      writeFileSync(config, stringify({ ...doc, checks: { ...doc['checks'], license: 'off', 'metrics-health': 'off' } }));
      const pre = await judge(config, 'pre');
      for (const id of ['license', 'metrics-health']) assert.equal(pre.report.results.find((r) => r.id === id)?.status, 'skipped', id);
      for (const k of ['license', 'clusterStatus', 'pluginStatuses', 'effectiveConfig', 'serverMetrics']) {
        const v = pre.snapshot.data[k as keyof typeof pre.snapshot.data];
        assert.ok(v !== undefined && !isCollectError(v), `preflight recorded ${k}: ${JSON.stringify(v)?.slice(0, 200)}`);
      }
      // The lab's server holds these in its config; Mattermost sanitizes them and mmgate masks by key.
      const text = JSON.stringify(pre.snapshot);
      for (const secret of secrets) assert.doesNotMatch(text, new RegExp(secret));
      assert.equal((pre.snapshot.data.effectiveConfig as EffectiveConfig).settings['EmailSettings.SMTPPassword'], FAKE_SETTING);
      writeFileSync(baseline, JSON.stringify(pre.snapshot));
    } finally {
      await before.close();
    }
    const lab = await startLab('upgraded', join(tmp, 'after'));
    try {
      const { report, snapshot } = await judge(lab.paths.config, 'post', baseline);
      assert.equal(report.verdict.promote, true, report.verdict.headline);
      for (const id of ['license-unchanged', 'cluster-membership', 'plugin-changes', 'config-changes', 'api-latency', 'error-rate']) assert.equal(report.results.find((r) => r.id === id)?.status, 'pass', id);
      // The metrics checks compared with preflight's numbers, not only with their ceilings.
      for (const [id, k] of [['api-latency', 'baselineP99Ms'], ['error-rate', 'baselineErrorRatio']] as const) {
        assert.equal(typeof report.results.find((r) => r.id === id)?.measured?.[k], 'number', `${id} measured ${k}`);
      }
      // verify keeps the declared keys of the baseline, still masked; no top-level copy of them.
      const kept = snapshot.data.baseline as Baseline;
      for (const k of ['license', 'clusterStatus', 'pluginStatuses', 'effectiveConfig', 'serverMetrics']) assert.ok(k in kept.data, `verify kept the baseline's ${k}`);
      assert.deepEqual(Object.keys(snapshot.data).filter((k) => k.startsWith('baseline')), ['baseline']);
      assert.equal((kept.data.effectiveConfig as EffectiveConfig).settings['EmailSettings.SMTPPassword'], FAKE_SETTING);
      const verifyText = JSON.stringify(snapshot);
      for (const secret of secrets) assert.doesNotMatch(verifyText, new RegExp(secret));
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
