/**
 * mmgate evaluate is reproducible: a stored preflight snapshot is judged at the time it was
 * collected, not by today's clock, so re-judging it years later gives the verdict it had (a 2-hour
 * old backup stays 2 hours old). A snapshot of another schemaVersion is refused, exit 2.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { prepareRun, readSnapshot } from '../cli/gate.js';
import { parseDuration } from '../core/duration.js';
import { runGate } from '../core/runner.js';
import type { RunReport } from '../core/types.js';

const CLI = fileURLToPath(new URL('../cli/main.js', import.meta.url));
const GOLDEN = fileURLToPath(new URL('../../fixtures/golden/evaluate/preflight.snapshot.json', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'mmgate-evaluate-'));
after(() => rmSync(work, { recursive: true, force: true }));

/**
 * What preflight judged when it collected this snapshot (healthy lab, backups 2 h old), by the
 * checks of that time: checks added since have no data in it, so only these are re-judged. The
 * running 10.11 ESR was past its end of support when the snapshot was taken: upgrade-path warns.
 */
const JUDGED_THEN = {
  'backup-integrity': 'pass', 'backup-recency': 'pass', 'config-drift': 'not-applicable', 'helm-release': 'pass', 'installation-state': 'pass',
  'node-readiness': 'pass', 'operator-health': 'pass', 'pod-health': 'pass', 'replica-count': 'pass', 'replication-health': 'not-applicable',
  'rollout-headroom': 'pass', 'single-writer': 'not-applicable', 'upgrade-path': 'warn',
};
const THEN = Object.keys(JUDGED_THEN);
const statuses = (r: RunReport) => Object.fromEntries(r.results.filter((x) => x.phase === 'pre' && x.status !== 'skipped').map((x) => [x.id, x.status]));

function mmgate(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: work, env: { ...process.env, NO_COLOR: '1', GITHUB_STEP_SUMMARY: '' }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('exit', (code) => resolve({ code, stderr }));
  });
}

describe('mmgate evaluate re-judges a stored snapshot as it was', () => {
  it('through the CLI: the same verdict as when it was collected', async () => {
    const r = await mmgate(['evaluate', GOLDEN, '--only', THEN.join(','), '--report-dir', join(work, 'cli'), '--format', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(readFileSync(join(work, 'cli', 'preflight.json'), 'utf8')) as RunReport;
    assert.deepEqual(statuses(report), JUDGED_THEN);
  });

  it('five years later by the clock, backup-recency still judges the backup at its age then', async () => {
    const snapshot = await readSnapshot(GOLDEN);
    const p = await prepareRun({ reportDir: join(work, 'later') });
    const later = new Date(Date.parse(snapshot.meta.collectedAt) + 5 * 365 * 86_400_000);
    const { report } = await runGate({
      phase: 'pre', checks: p.registry.checks, collectors: p.registry.collectors, config: p.config, configDir: work,
      scope: snapshot.meta.scope, target: snapshot.meta.target, checkOptions: p.checkOptions, snapshot, now: () => later, only: THEN,
      policy: { preset: p.config.extends, checks: p.config.checks, waivers: [], ignore: [], today: later.toISOString().slice(0, 10) },
      timeouts: { collectorMs: 5_000, checkMs: parseDuration(p.config.timeouts.check), overallMs: 30_000 },
    });
    assert.deepEqual(statuses(report), JUDGED_THEN);
    assert.equal(report.verdict.exitCode, 0, report.verdict.headline);
    const recency = report.results.find((r) => r.id === 'backup-recency');
    assert.equal(recency?.measured?.['database.ageSeconds'], 7200, 'the backup age is the one at collection');
  });

  it('refuses a snapshot of another schemaVersion with exit 2, naming both versions', async () => {
    const doc = JSON.parse(readFileSync(GOLDEN, 'utf8')) as { meta: Record<string, unknown> };
    doc.meta['schemaVersion'] = 1;
    const file = join(work, 'v1.snapshot.json');
    writeFileSync(file, JSON.stringify(doc));
    const r = await mmgate(['evaluate', file, '--report-dir', join(work, 'v2')]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /snapshot schemaVersion 1 \(written by mmgate [^)]+\); this mmgate reads schemaVersion 2 only/);
    assert.match(r.stderr, /fix: /);
  });
});
