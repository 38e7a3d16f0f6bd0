/**
 * Secrets never leak, end to end: known values are planted in Kubernetes Secrets of two sites, in
 * the Mattermost CR's mattermostEnv, and in the config (an ${env:} token); the real CLI runs
 * preflight and verify against the lab with every report format, and none of the values may appear
 * in stdout, stderr, any report file, the snapshots or the GitHub step summary — while the drift
 * they cause is still reported (with its values hidden).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startLab, type Lab } from '../lab/index.js';
import { BUILTIN_SCENARIOS } from '../lab/scenario.js';

const CLI = fileURLToPath(new URL('../cli/main.js', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'mmgate-secrets-'));

const PLANTED = {
  envDsn: 'PLANTED-env-dsn-pw-5c1e',
  sitePassword: 'PLANTED-site-secret-77aa',
};

function run(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: work, env: { ...process.env, NO_COLOR: '1', ...env } });
    let out = '';
    child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { out += d.toString(); });
    child.on('exit', (code) => resolve({ code, out }));
  });
}

describe('no secret value in any output', () => {
  let lab: Lab;
  const reports = join(work, 'reports');
  const summary = join(work, 'step-summary.md');
  before(async () => {
    // A scenario of our own on top of the built-in two-site one, with more planted values.
    const dir = join(work, 'planted');
    mkdirSync(join(dir, 'sites'), { recursive: true });
    const us = readFileSync(join(BUILTIN_SCENARIOS, 'secret-drift', 'sites', 'us.yaml'), 'utf8');
    writeFileSync(join(dir, 'sites', 'us.yaml'), `${us}\n---\napiVersion: v1\nkind: Secret\nmetadata: { name: mm-smtp, namespace: mattermost }\ntype: Opaque\nstringData: { password: ${PLANTED.sitePassword} }\n`);
    writeFileSync(join(dir, 'cluster.yaml'), 'apiVersion: v1\nkind: Secret\nmetadata: { name: mm-smtp, namespace: mattermost }\ntype: Opaque\nstringData: { password: other-value-on-eu }\n');
    writeFileSync(join(dir, 'scenario.yaml'), [
      'description: secret-drift with more secret values planted',
      `extends: ${join(BUILTIN_SCENARIOS, 'secret-drift')}`,
      'patches:',
      `  - { kind: Mattermost, namespace: mattermost, name: mm, merge: { spec: { mattermostEnv: [{ name: MM_SQLSETTINGS_DATASOURCE, value: "postgres://mmuser:${PLANTED.envDsn}@db:5432/mattermost" }] } } }`,
      'config:',
      '  drift: { secrets: [mm-database, mm-filestore, mm-smtp] }',
      '  mattermost: { admin: { token: "${env:MMGATE_PLANTED_ADMIN}" } }',
      '',
    ].join('\n'));
    lab = await startLab(dir, join(work, 'lab'));
  });
  after(async () => {
    await lab?.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('preflight and verify with every format leak none of them', async () => {
    const env = { MMGATE_PLANTED_ADMIN: lab.secrets.adminToken, GITHUB_STEP_SUMMARY: summary };
    const formats = ['--format', 'console,json,junit,markdown,prometheus'];
    const pre = await run(['preflight', '-c', lab.paths.config, '--report-dir', reports, ...formats], env);
    // The planted differences are found (so the values were really read) …
    assert.equal(pre.code, 1, pre.out);
    assert.match(pre.out, /config-drift/);
    assert.match(pre.out, /values hidden/);
    const post = await run(['verify', '-c', lab.paths.config, '--report-dir', reports, ...formats, '--baseline', join(reports, 'preflight.snapshot.json')], env);
    assert.ok(post.code !== null, post.out);
    const valid = await run(['config', 'validate', lab.paths.config], env);
    assert.equal(valid.code, 0, valid.out);

    const outputs: [string, string][] = [['preflight output', pre.out], ['verify output', post.out], ['config validate', valid.out], ['step summary', readFileSync(summary, 'utf8')]];
    for (const f of readdirSync(reports)) if (!f.startsWith('browser')) outputs.push([f, readFileSync(join(reports, f), 'utf8')]);
    assert.ok(outputs.length >= 14, `expected every report file, got ${outputs.map(([n]) => n).join(', ')}`);
    // … and never shown: planted values, the lab's credentials, and the eu database password of the healthy cluster.
    const secrets = [...Object.values(PLANTED), ...Object.values(lab.secrets), 'lab-db-password-3f9a', 'lab-s3-secret-8d1c2e'];
    for (const [name, text] of outputs) {
      for (const s of secrets) assert.ok(!text.includes(s), `${name} contains a secret value (${s.slice(0, 8)}…) near: ${text.slice(Math.max(0, text.indexOf(s) - 200), text.indexOf(s)).replace(/\s+/g, ' ')}`);
    }
  });
});
