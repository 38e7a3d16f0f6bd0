/**
 * `mmgate serve` driven the way Flagger and Argo Rollouts drive it: Flagger's exact webhook
 * payloads for every hook type through a whole canary night on the lab (confirm-rollout →
 * rollout → confirm-promotion → post-rollout), an Argo Rollouts web-metric call, concurrent and
 * slow callers, the bearer token, and SIGTERM. No answer carries a secret.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startLab, type Lab } from '../lab/index.js';
import { CLI } from './run-cli.js';

const work = mkdtempSync(join(tmpdir(), 'mmgate-serve-'));
after(() => rmSync(work, { recursive: true, force: true }));
const TOKEN = 'serve-token-0123456789abcdef';

interface Server { child: ChildProcess; url: string; logs: () => string; exited: Promise<number | null> }

async function serve(lab: Lab, name: string, serveConfig: string): Promise<Server> {
  // Beside the lab's own config, so its relative paths (kubeconfig, secrets, backups) hold.
  const config = join(lab.paths.dir, 'serve.yaml');
  writeFileSync(config, `${readFileSync(lab.paths.config, 'utf8')}reports: { dir: ${join(work, `${name}-reports`)}, formats: [json] }\nserve: { token: "\${env:MMGATE_SERVE_TOKEN}", ${serveConfig} }\n`);
  const child = spawn(process.execPath, [CLI, 'serve', '-c', config, '--listen', '127.0.0.1:0'], { cwd: work, env: { ...process.env, MMGATE_SERVE_TOKEN: TOKEN } });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => { stderr += d.toString(); });
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => { out += d.toString(); const m = /listening on (http:\/\/\S+)/.exec(out); if (m) resolve(m[1]!); });
    void exited.then((code) => reject(new Error(`serve exited ${code}: ${stderr}`)));
  });
  logs.push(() => stderr);
  return { child, url, logs: () => stderr, exited };
}

const seen: string[] = [];
/** Every serve's stderr, and every secret of every lab started here: none may reach an answer or a log. */
const logs: (() => string)[] = [];
const labSecrets: string[] = [];
async function labFor(scenario: string, dir: string): Promise<Lab> {
  const lab = await startLab(scenario, join(work, dir));
  labSecrets.push(...Object.values(lab.secrets));
  return lab;
}
async function call(s: Server, path: string, init: { body?: unknown; token?: string | null } = {}) {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (init.token !== null) headers['Authorization'] = `Bearer ${init.token ?? TOKEN}`;
  const res = await fetch(`${s.url}${path}`, { method: init.body ? 'POST' : 'GET', headers, ...(init.body ? { body: JSON.stringify(init.body) } : {}) });
  const text = await res.text();
  seen.push(text);
  return { status: res.status, headers: res.headers, text, json: () => JSON.parse(text) as Record<string, unknown> };
}

/** Flagger's webhook payload (pkg/controller/webhook.go: CanaryWebhookPayload). */
const flagger = (checksum: string, phase = 'Progressing') => ({ name: 'mm', namespace: 'mattermost', phase, checksum, metadata: { team: 'platform' } });

describe('mmgate serve through a canary night', () => {
  let lab: Lab;
  let s: Server;
  before(async () => {
    lab = await labFor('healthy', 'night-lab');
    s = await serve(lab, 'night', 'answerWithin: 60s, sampleWindow: 3s');
  });
  after(async () => { s?.child.kill('SIGTERM'); await s?.exited; await lab?.close(); });

  it('answers 401 without the token, and /healthz without it', async () => {
    assert.equal((await call(s, '/v1/verdict?phase=preflight', { token: null })).status, 401);
    assert.equal((await call(s, '/v1/verdict?phase=preflight', { token: 'wrong-token-0123456789' })).status, 401);
    const h = await call(s, '/healthz', { token: null });
    assert.equal(h.status, 200);
    assert.equal(h.json()['status'], 'ok');
  });

  it('Flagger sends no Authorization header: without metadata.token 401, with it the hook runs', async () => {
    const refused = await call(s, '/flagger/post-rollout', { body: flagger('85d557f47b', 'Succeeded'), token: null });
    assert.equal(refused.status, 401);
    const wrong = await call(s, '/flagger/post-rollout', { body: { ...flagger('85d557f47b', 'Succeeded'), metadata: { token: 'wrong-token-0123456789' } }, token: null });
    assert.equal(wrong.status, 401);
    assert.equal((await call(s, '/flagger/post-rollout', { body: 'not json', token: null })).status, 401, 'a body that is not a JSON object carries no token');
    const accepted = await call(s, '/flagger/post-rollout', { body: { ...flagger('85d557f47b', 'Succeeded'), metadata: { team: 'platform', token: TOKEN } }, token: null });
    assert.equal(accepted.status, 200, accepted.text);
    assert.equal(accepted.json()['recorded'], true);
    // The payload token opens the Flagger routes only, not the Argo metric or /metrics.
    assert.equal((await call(s, '/v1/verdict?phase=preflight', { token: null })).status, 401);
    assert.doesNotMatch(s.logs(), new RegExp(TOKEN), 'the token is never logged');
  });

  it('confirm-rollout and pre-rollout run preflight: 200 with the verdict; concurrent callers share one run', async () => {
    const [a, b, c] = await Promise.all([
      call(s, '/flagger/confirm-rollout', { body: flagger('85d557f47b', 'Initializing') }),
      call(s, '/flagger/confirm-rollout', { body: flagger('85d557f47b', 'Initializing') }),
      call(s, '/v1/verdict?phase=preflight&installation=mattermost/mm'),
    ]);
    for (const r of [a, b, c]) assert.equal(r.status, 200, r.text);
    assert.equal(a.json()['verdict'], 'pass');
    assert.deepEqual(new Set([a, b, c].map((r) => r.json()['runId'])).size, 1, 'one run for all three');
    const pre = await call(s, '/flagger/pre-rollout', { body: flagger('85d557f47b') });
    assert.equal(pre.status, 200);
    assert.equal(pre.json()['runId'], a.json()['runId'], 'the same checksum gets the same run');
  });

  it('rollout samples the front door while the operator rolls; confirm-promotion verifies against the preflight', async () => {
    const upgrade = lab.upgrade({ version: '11.7.1' }, { stepMs: 200 });
    const sample = await call(s, '/flagger/rollout', { body: { ...flagger('85d557f47b'), metadata: { token: TOKEN } }, token: null });
    await upgrade;
    assert.equal(sample.status, 200, sample.text);
    assert.equal(sample.json()['phase'], 'during');
    // Flagger calls rollout on every analysis iteration with the same checksum: each call is a new
    // sample, over the whole sampleWindow (3s) even once the rollout is complete.
    const asked = Date.now();
    const again = await call(s, '/flagger/rollout', { body: flagger('85d557f47b') });
    assert.equal(again.status, 200, again.text);
    assert.notEqual(again.json()['runId'], sample.json()['runId'], 'a fresh sample, not the first one cached by checksum');
    assert.ok(Date.now() - asked >= 3000, `the sample watched its window (${Date.now() - asked} ms)`);
    const promote = await call(s, '/flagger/confirm-promotion', { body: flagger('85d557f47b', 'Promoting') });
    assert.equal(promote.status, 200, promote.text);
    assert.equal(promote.json()['verdict'], 'pass');
    const post = await call(s, '/flagger/post-rollout', { body: flagger('85d557f47b', 'Succeeded') });
    assert.equal(post.status, 200);
    assert.equal(post.json()['recorded'], true);
  });

  it('a bad payload is 400, an unknown hook or installation 404', async () => {
    assert.equal((await call(s, '/flagger/confirm-rollout', { body: { name: 'mm' } })).status, 400);
    assert.equal((await call(s, '/flagger/not-a-hook', { body: flagger('x') })).status, 404);
    const other = await call(s, '/v1/verdict?phase=verify&installation=chat/other');
    assert.equal(other.status, 404);
    assert.match(String(other.json()['error']), /this server gates mattermost\/mm/);
  });

  it('/metrics counts runs by phase and verdict; one JSON log line per request', async () => {
    const m = await call(s, '/metrics');
    assert.match(m.text, /mmgate_serve_runs_total\{phase="pre",verdict="pass"\} 1/);
    assert.match(m.text, /mmgate_serve_runs_total\{phase="post",verdict="pass"\} 1/);
    const lines = s.logs().trim().split('\n').map((l) => JSON.parse(l) as { msg: string; path: string; status: number });
    assert.ok(lines.some((l) => l.msg === 'request' && l.path === '/flagger/confirm-promotion' && l.status === 200));
  });
});

describe('mmgate serve when the gate says no', () => {
  let lab: Lab;
  let s: Server;
  before(async () => {
    lab = await labFor('node-not-ready', 'blocked-lab');
    s = await serve(lab, 'blocked', 'answerWithin: 60s');
  });
  after(async () => { s?.child.kill('SIGTERM'); await s?.exited; await lab?.close(); });

  it('Flagger gets 409 with the blocking checks and their fixes; Argo gets verdict fail', async () => {
    const r = await call(s, '/flagger/confirm-rollout', { body: flagger('aa11') });
    assert.equal(r.status, 409);
    const blocking = r.json()['blocking'] as { id: string; findings: { fix?: string }[] }[];
    assert.deepEqual(blocking.map((b) => b.id), ['node-readiness']);
    assert.ok(blocking[0]!.findings[0]!.fix);
    const argo = await call(s, '/v1/verdict?phase=preflight');
    assert.equal(argo.status, 200);
    assert.equal(argo.json()['verdict'], 'fail');
  });

  it('a check that could not look makes the Argo verdict inconclusive, not fail and not pass', async () => {
    lab.setKubeFaults([{ path: '/api/v1/nodes', status: 403 }]);
    try {
      const argo = await call(s, '/v1/verdict?phase=preflight');
      assert.equal(argo.json()['verdict'], 'inconclusive', argo.text);
      assert.equal((argo.json()['blocking'] as { status: string }[]).find((b) => b.status === 'error') !== undefined, true);
    } finally {
      lab.setKubeFaults([]);
    }
  });
});

describe('mmgate serve with a slow run', () => {
  let lab: Lab;
  let s: Server;
  before(async () => {
    lab = await labFor('healthy', 'slow-lab');
    s = await serve(lab, 'slow', 'answerWithin: 1s, sampleWindow: 500ms, drainTimeout: 1s');
  });
  after(async () => { await lab?.close(); });

  it('answers 503 with Retry-After while the run goes on, then the same checksum gets its result', async () => {
    lab.setKubeFaults([{ path: '/api/v1/nodes', delayMs: 2500, times: 1 }]);
    const first = await call(s, '/flagger/confirm-rollout', { body: flagger('slow1') });
    assert.equal(first.status, 503);
    assert.equal(first.headers.get('retry-after'), '1');
    // Flagger calls again each interval: 503 while the run goes on, then its result.
    let next = await call(s, '/flagger/confirm-rollout', { body: flagger('slow1') });
    for (let i = 0; i < 60 && next.status === 503; i++) next = await call(s, '/flagger/confirm-rollout', { body: flagger('slow1') });
    assert.equal(next.status, 200, next.text);
    assert.equal(next.json()['runId'], 1, 'the run the first call started, not a new one');
  });

  it('Argo: a run answered 503 goes to the next call even after it ended, rather than a new run', async () => {
    lab.setKubeFaults([{ path: '/api/v1/nodes', delayMs: 2500, times: 1 }]);
    const first = await call(s, '/v1/verdict?phase=preflight');
    assert.equal(first.status, 503);
    await new Promise((r) => setTimeout(r, 4000));
    const next = await call(s, '/v1/verdict?phase=preflight');
    assert.equal(next.status, 200, next.text);
    assert.equal(next.json()['runId'], 2, 'the run the 503 call started');
    assert.equal(next.json()['verdict'], 'pass');
  });

  it('SIGTERM cuts a run that does not finish within drainTimeout: exit 3, its report partial', async () => {
    lab.setKubeFaults([{ path: '/api/v1/nodes', delayMs: 20_000, times: 1 }]);
    const pending = call(s, '/v1/verdict?phase=preflight');
    await new Promise((r) => setTimeout(r, 1500));
    s.child.kill('SIGTERM');
    assert.equal(await s.exited, 3);
    await pending.catch(() => undefined);
    const report = JSON.parse(readFileSync(join(work, 'slow-reports', 'preflight.json'), 'utf8')) as { partial: boolean };
    assert.equal(report.partial, true);
    lab.setKubeFaults([]);
  });
});

describe('mmgate serve config', () => {
  it('refuses serve.sampleWindow not shorter than serve.answerWithin: exit 2 naming both keys', async () => {
    const config = join(work, 'window.yaml');
    writeFileSync(config, 'serve: { token: "0123456789abcdef0123", answerWithin: 8s, sampleWindow: 10s }\n');
    const child = spawn(process.execPath, [CLI, 'serve', '-c', config, '--listen', '127.0.0.1:0'], { cwd: work });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    assert.equal(code, 2, stderr);
    assert.match(stderr, /serve\.sampleWindow \(10s\) must be shorter than serve\.answerWithin \(8s\)/);
    assert.doesNotMatch(stderr, /\n\s+at /, 'no stack');
  });
});

describe('answers carry no secret', () => {
  it('no token, password or lab credential in any body', () => {
    assert.ok(seen.length > 10);
    for (const body of seen) assert.ok(!body.includes(TOKEN), 'the serve token leaked');
    for (const body of seen) assert.doesNotMatch(body, /password|MMAUTHTOKEN/i);
    assert.equal(labSecrets.length, 12, 'four secrets (kube token, admin token, smoke password, smoke token) from each of three labs');
    for (const secret of labSecrets) {
      assert.ok(secret.length >= 8, 'a lab secret long enough not to match by chance');
      for (const body of seen) assert.ok(!body.includes(secret), 'a lab secret leaked into an answer');
      for (const log of logs) assert.ok(!log().includes(secret), 'a lab secret leaked into serve\'s log');
    }
  });
});
