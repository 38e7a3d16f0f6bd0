/**
 * The strategy commands as users meet them, through the real CLI on lab worlds: a blocked
 * blue/green verify carries its rollback plan in every report format, `mmgate rollback-plan`
 * prints the plan from a preflight snapshot, and a side the installation does not have is a
 * usage error (exit 2).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startLab } from '../lab/index.js';
import { bluegreenPreflight } from '../reporters/rollback-fixtures.js';

const CLI = fileURLToPath(new URL('../cli/main.js', import.meta.url));
const GOLDEN = fileURLToPath(new URL('../../fixtures/reports/rollback-plan.txt', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'mmgate-strategies-'));
after(() => rmSync(work, { recursive: true, force: true }));

function mmgate(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: work, env: { ...process.env, NO_COLOR: '1', GITHUB_STEP_SUMMARY: '' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('strategies through the CLI', () => {
  it('mmgate rollback-plan prints the plan of a preflight snapshot (the golden)', async () => {
    const snap = join(work, 'pre.snapshot.json');
    writeFileSync(snap, JSON.stringify(bluegreenPreflight()));
    writeFileSync(join(work, 'mmgate.yaml'), 'kube: { helm: { release: mattermost-operator, namespace: mattermost-operator } }\n');
    const r = await mmgate(['rollback-plan', '--baseline', snap]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, readFileSync(GOLDEN, 'utf8'));
  });

  it('mmgate rollback-plan without a preflight snapshot is a usage error', async () => {
    const r = await mmgate(['rollback-plan', '--baseline', join(work, 'missing.json')]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /cannot read a snapshot/);
  });

  it('a blocked verify of the idle colour ends with the way back in every format', async () => {
    const reports = join(work, 'reports');
    const before = await startLab('bluegreen', join(work, 'before'));
    try {
      const wrongSide = await mmgate(['verify', '-c', before.paths.config, '--report-dir', reports, '--side', 'canary']);
      assert.equal(wrongSide.code, 2, wrongSide.stderr);
      assert.match(wrongSide.stderr, /--side canary: mm is blue\/green/);
      const pre = await mmgate(['preflight', '-c', before.paths.config, '--report-dir', reports]);
      assert.equal(pre.code, 0, pre.stdout);
    } finally {
      await before.close();
    }
    const lab = await startLab('bluegreen-idle-broken', join(work, 'after'));
    try {
      const r = await mmgate(['verify', '-c', lab.paths.config, '--report-dir', reports, '--baseline', join(reports, 'preflight.snapshot.json'), '--format', 'console,json,junit,markdown']);
      assert.equal(r.code, 1, r.stdout);
      const restoreGreen = `patch clusterinstallation mm --type merge -p '{"spec":{"blueGreen":{"green":{"version":"10.11.4"}}}}'`;
      assert.match(r.stdout, /Rollback plan/);
      assert.ok(r.stdout.includes(restoreGreen), r.stdout);
      assert.match(r.stdout, /production stays on blue \(10\.11\.4\): do not switch/);
      const json = JSON.parse(readFileSync(join(reports, 'verify.json'), 'utf8')) as { rollbackPlan?: { steps: string[]; warnings: string[] } };
      assert.ok(json.rollbackPlan?.steps.some((s) => s.includes(restoreGreen)));
      assert.match(json.rollbackPlan?.warnings[0] ?? '', /only go forward/);
      assert.match(readFileSync(join(reports, 'verify.junit.xml'), 'utf8'), /Rollback plan[\s\S]*restore the database from/);
      assert.match(readFileSync(join(reports, 'verify.md'), 'utf8'), /### Rollback plan/);
    } finally {
      await lab.close();
    }
  });
});
