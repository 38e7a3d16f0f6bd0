/**
 * The command line as users and CI meet it: a real child process, its exit code, its stdout and
 * stderr. Usage and config errors are one message with the key or flag and the fix, exit 2, and
 * never a stack trace.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startLab, type Lab } from '../lab/index.js';
import { CLI, noStack, runCli, type Run } from './cli-run.js';

const TRACE = fileURLToPath(new URL('../../test/fixtures/trace-imports.mjs', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'mmgate-cli-'));
after(() => rmSync(work, { recursive: true, force: true }));

const mmgate = (args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; node?: string[] } = {}): Promise<Run> => runCli(args, { cwd: work, ...opts });

describe('mmgate CLI: usage', () => {
  it('--help lists the commands and loads neither Kubernetes nor Mattermost clients', async () => {
    const r = await mmgate(['--help'], { node: ['--import', TRACE] });
    assert.equal(r.code, 0);
    for (const c of ['preflight', 'verify', 'evaluate', 'checks', 'explain', 'config', 'lab', 'demo']) assert.match(r.stdout, new RegExp(`\\b${c}\\b`));
    assert.match(r.stderr, /trace-imports: active/, 'the import tracer ran');
    assert.doesNotMatch(r.stderr, /LOADED .*@kubernetes\/client-node/);
    assert.doesNotMatch(r.stderr, /LOADED .*@mattermost\/client/);
    // The tracer does see the client when a command needs it (else the test above proves nothing).
    const control = await mmgate(['preflight', '--only', 'node-readiness', '--kubeconfig', join(work, 'missing'), '--report-dir', join(work, 'control')], { node: ['--import', TRACE] });
    assert.match(control.stderr, /LOADED .*@kubernetes\/client-node/);
  });

  it('an unknown flag exits 2', async () => {
    const r = await mmgate(['preflight', '--no-such-flag']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /unknown option '--no-such-flag'/);
  });

  it('a misspelt config key exits 2 naming the key and the fix, without a stack', async () => {
    const cfg = join(work, 'typo.yaml');
    writeFileSync(cfg, 'kube:\n  namespce: mattermost\n');
    const r = await mmgate(['preflight', '-c', cfg]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /kube\.namespce: unknown key "namespce"/);
    assert.match(r.stderr, /did you mean "namespace"/);
    noStack(r);
  });

  it('a wrong type exits 2 with the key path', async () => {
    const cfg = join(work, 'type.yaml');
    writeFileSync(cfg, 'timeouts:\n  overall: 10\n');
    const r = await mmgate(['config', 'validate', cfg]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /timeouts\.overall: expected string, got number 10/);
    noStack(r);
  });

  it('an unknown check id in --only exits 2 with a suggestion', async () => {
    const r = await mmgate(['preflight', '--only', 'node-readines']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /did you mean "node-readiness"/);
  });

  it('a check of another phase in --only, an unwritable report dir, or a directory as config exit 2', async () => {
    const phase = await mmgate(['preflight', '--only', 'server-version']);
    assert.equal(phase.code, 2);
    assert.match(phase.stderr, /a check of mmgate verify, not of mmgate preflight/);
    const file = join(work, 'a-file');
    writeFileSync(file, 'x');
    const dir = await mmgate(['preflight', '--report-dir', join(file, 'sub')]);
    assert.equal(dir.code, 2);
    assert.match(dir.stderr, /report directory .*a-file\/sub: ENOTDIR/);
    const cfg = await mmgate(['preflight', '-c', work]);
    assert.equal(cfg.code, 2);
    assert.match(cfg.stderr, /cannot read the file \(EISDIR\)/);
    for (const r of [phase, dir, cfg]) noStack(r);
  });

  it('bad per-check options exit 2 with the option path', async () => {
    const cfg = join(work, 'opts.yaml');
    writeFileSync(cfg, 'checks:\n  replica-count: [error, { minReplicas: "two" }]\n');
    const r = await mmgate(['config', 'validate', cfg]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /checks\.replica-count\[1\]\.minReplicas/);
  });

  it('an unreachable Kubernetes API exits 2 naming the endpoint, and still writes reports', async () => {
    const kubeconfig = join(work, 'dead-kubeconfig');
    writeFileSync(kubeconfig, 'apiVersion: v1\nkind: Config\ncurrent-context: dead\nclusters: [{name: dead, cluster: {server: "https://127.0.0.1:1"}}]\nusers: [{name: u, user: {token: t0k3n-not-shown}}]\ncontexts: [{name: dead, context: {cluster: dead, user: u}}]\n');
    const reports = join(work, 'dead-reports');
    const r = await mmgate(['preflight', '--kubeconfig', kubeconfig, '--report-dir', reports, '--only', 'node-readiness']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /cannot reach the Kubernetes API at https:\/\/127\.0\.0\.1:1/);
    noStack(r);
    const report = JSON.parse(readFileSync(join(reports, 'preflight.json'), 'utf8'));
    assert.equal(report.verdict.promote, false);
    assert.equal(report.results.find((x: { id: string }) => x.id === 'node-readiness').status, 'error');
  });

  it('checks and explain describe the checks', async () => {
    const list = await mmgate(['checks', '--json']);
    assert.equal(list.code, 0);
    const ids = (JSON.parse(list.stdout) as { id: string }[]).map((c) => c.id);
    assert.ok(ids.includes('replica-count') && ids.includes('server-version'));
    const ex = await mmgate(['explain', 'replica-count']);
    assert.equal(ex.code, 0);
    assert.match(ex.stdout, /minReplicas = 2/);
    const bad = await mmgate(['explain', 'replica-cont']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /did you mean "replica-count"/);
  });
});

describe('mmgate lab', () => {
  it('prints one ready line once everything listens, writes its files, and stops cleanly on SIGTERM', async () => {
    const out = join(work, 'lab-cmd');
    const child = spawn(process.execPath, [CLI, 'lab', '--scenario', 'healthy', '--out', out], { cwd: work });
    let stdout = '';
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); if (stdout.includes('\n')) resolve(); });
      child.on('exit', (code) => reject(new Error(`lab exited early (${code})`)));
    });
    assert.match(stdout, /^mmgate lab ready: scenario healthy · kubernetes https:\/\/127\.0\.0\.1:\d+ · mattermost http:\/\/127\.0\.0\.1:\d+/);
    for (const f of ['kubeconfig', 'mmgate.yaml', 'lab.json', 'secrets/admin-token', 'secrets/smoke-password']) assert.ok(existsSync(join(out, f)), f);
    const lab = JSON.parse(readFileSync(join(out, 'lab.json'), 'utf8'));
    assert.equal(lab.scenario, 'healthy');
    assert.doesNotMatch(readFileSync(join(out, 'mmgate.yaml'), 'utf8'), new RegExp(readFileSync(join(out, 'secrets/admin-token'), 'utf8').trim()));
    const pre = await mmgate(['preflight', '-c', join(out, 'mmgate.yaml'), '--report-dir', join(work, 'lab-cmd-reports'), '--format', 'json']);
    assert.equal(pre.code, 0, pre.stdout + pre.stderr);
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    child.kill('SIGTERM');
    assert.equal(await exited, 0);
  });
});

describe('mmgate CLI against the lab', () => {
  let lab: Lab;
  before(async () => { lab = await startLab('healthy', join(work, 'lab')); });
  after(async () => { await lab.close(); });

  it('preflight promotes with exit 0 and writes json, junit, markdown and the snapshot', async () => {
    const reports = join(work, 'ok');
    const r = await mmgate(['preflight', '-c', lab.paths.config, '--report-dir', reports]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /PROMOTE/);
    for (const f of ['preflight.json', 'preflight.junit.xml', 'preflight.md', 'preflight.snapshot.json']) assert.ok(existsSync(join(reports, f)), f);
    const json = JSON.parse(readFileSync(join(reports, 'preflight.json'), 'utf8'));
    assert.equal(json.schemaVersion, 1);
    assert.equal(json.verdict.exitCode, 0);
  });

  it('a blocked verdict names the check with measured vs expected and the fix; evaluate re-judges the snapshot offline', async () => {
    const reports = join(work, 'blocked');
    const cfg = join(work, 'lab', 'strict-replicas.yaml');
    writeFileSync(cfg, `${readFileSync(lab.paths.config, 'utf8')}checks:\n  replica-count: [error, { minReplicas: 4 }]\n`);
    const r = await mmgate(['preflight', '-c', cfg, '--report-dir', reports]);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /BLOCKED by 1 check: replica-count/);
    assert.match(r.stdout, /actual: 3[^\n]*expected: [^\n]*4/);
    assert.match(r.stdout, /fix: /);
    // Offline, with the lab's own config (minReplicas 2), the same snapshot promotes.
    const e = await mmgate(['evaluate', join(reports, 'preflight.snapshot.json'), '-c', lab.paths.config, '--report-dir', join(work, 'eval')]);
    assert.equal(e.code, 0, e.stdout + e.stderr);
  });

  it('secret values of the lab never appear in any output or file', async () => {
    const reports = join(work, 'secrets');
    const r = await mmgate(['preflight', '-c', lab.paths.config, '--report-dir', reports, '--format', 'console,json,junit,markdown,prometheus']);
    assert.equal(r.code, 0, r.stderr);
    const v = await mmgate(['config', 'validate', lab.paths.config]);
    assert.equal(v.code, 0, v.stderr);
    const outputs = [r.stdout, r.stderr, v.stdout, v.stderr, ...['preflight.json', 'preflight.junit.xml', 'preflight.md', 'preflight.prom', 'preflight.snapshot.json'].map((f) => readFileSync(join(reports, f), 'utf8'))];
    for (const secret of Object.values(lab.secrets)) for (const o of outputs) assert.ok(!o.includes(secret), 'a lab secret leaked');
    assert.match(v.stdout, /token: "\*\*\*"|token: \*\*\*/);
  });
});
