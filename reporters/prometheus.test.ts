import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { register } from 'prom-client';
import { writeReports } from './index.js';
import { blockedPreflight, buildReport, nastyReport, preflightResults, promotedVerify } from './fixtures.js';
import { PrometheusReporter, pushMetrics, renderPrometheus } from './prometheus.js';
import { Capture, parsePrometheusText, requireTool, run, sampleValue, tempDir } from './test-helpers.js';
import type { ReportContext } from './types.js';

const ctx = (dir: string, pushgateway?: string): ReportContext => ({
  dir, name: 'preflight', stdout: new Capture(), isTTY: false, color: false, env: {}, ...(pushgateway ? { pushgateway } : {}),
});

describe('renderPrometheus', () => {
  it('emits every series of the run with the right values', async () => {
    const s = parsePrometheusText(await renderPrometheus(blockedPreflight()));
    const phase = 'preflight';
    assert.equal(sampleValue(s, 'mmgate_check_status', { check: 'replica-count', phase, status: 'fail', level: 'error' }), 1);
    assert.equal(sampleValue(s, 'mmgate_check_status', { check: 'pod-health', phase, status: 'fail', level: 'warn' }), 1);
    assert.equal(s.filter((x) => x.name === 'mmgate_check_status').length, 10, 'one series per check: its status');
    assert.equal(sampleValue(s, 'mmgate_check_duration_seconds', { check: 'backup-recency', phase }), 0.014);
    assert.equal(sampleValue(s, 'mmgate_check_blocking', { check: 'replica-count', phase }), 1);
    assert.equal(sampleValue(s, 'mmgate_check_blocking', { check: 'pod-health', phase }), 0);
    assert.equal(sampleValue(s, 'mmgate_check_measured', { check: 'replica-count', phase, name: 'replicas' }), 1);
    assert.equal(sampleValue(s, 'mmgate_check_measured', { check: 'backup-recency', phase, name: 'newestBackupAgeHours' }), 74);
    assert.equal(sampleValue(s, 'mmgate_verdict_promote', { phase }), 0);
    assert.equal(sampleValue(s, 'mmgate_run_exit_code', { phase }), 1);
    assert.equal(sampleValue(s, 'mmgate_run_duration_seconds', { phase }), 7.412);
    assert.equal(sampleValue(s, 'mmgate_run_timestamp_seconds', { phase }), Date.parse('2026-11-20T12:00:07.412Z') / 1000);
    assert.equal(sampleValue(s, 'mmgate_collector_up', { collector: 'postgres', phase }), 0);
    assert.equal(sampleValue(s, 'mmgate_collector_up', { collector: 'nodes', phase }), 1);

    const ok = parsePrometheusText(await renderPrometheus(promotedVerify()));
    assert.equal(sampleValue(ok, 'mmgate_verdict_promote', { phase: 'verify' }), 1);
    assert.equal(sampleValue(ok, 'mmgate_run_exit_code', { phase: 'verify' }), 0);
  });

  it('keeps numeric and boolean measured values only (strings stay in the JSON)', async () => {
    const s = parsePrometheusText(await renderPrometheus(nastyReport()));
    const measured = s.filter((x) => x.name === 'mmgate_check_measured' && x.labels['check'] === 'odd-pass');
    assert.deepEqual(measured.map((x) => [x.labels['name'], x.value]), [['count', 2], ['ok', 1]]);
  });

  it('escapes odd label values so the text still parses', async () => {
    const text = await renderPrometheus(nastyReport());
    const s = parsePrometheusText(text);
    assert.ok(s.some((x) => x.labels['collector']?.startsWith('collector a<b & c>d "q"')));
  });

  it('uses a fresh registry: the global one stays untouched and renders do not collide', async () => {
    const before = register.getMetricsAsArray().length;
    const a = await renderPrometheus(blockedPreflight());
    const b = await renderPrometheus(blockedPreflight());
    assert.equal(a, b);
    assert.equal(register.getMetricsAsArray().length, before);
  });

  for (const [label, report] of [['blocked', blockedPreflight()], ['odd characters', nastyReport()], ['no checks', buildReport({ results: [], collectors: [] })]] as const) {
    it(`promtool accepts the ${label} exposition`, async (t) => {
      const promtool = requireTool(t, '/usr/bin/promtool', 'Debian package prometheus');
      if (!promtool) return;
      const r = run(promtool, ['check', 'metrics'], await renderPrometheus(report));
      assert.equal(r.status, 0, r.stdout + r.stderr);
      // promtool prints lint problems (naming, help) even with status 0: we want none.
      assert.equal((r.stdout + r.stderr).trim(), '');
    });
  }
});

describe('PrometheusReporter with a real Pushgateway', () => {
  const BIN = '/usr/bin/prometheus-pushgateway';
  let gateway: ChildProcess | undefined;
  let url = '';

  const freePort = (): Promise<number> => new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });

  const metrics = async (): Promise<ReturnType<typeof parsePrometheusText>> => {
    const res = await fetch(`${url}/metrics`);
    assert.equal(res.status, 200);
    // The Pushgateway's own page mixes in its go_* and pushgateway_* series; ours are parsed the same.
    return parsePrometheusText(await res.text());
  };

  before(async () => {
    if (!existsSync(BIN)) return;
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    // Debian's default persistence file is under /var/lib: turned off, the test leaves nothing behind.
    gateway = spawn(BIN, [`--web.listen-address=127.0.0.1:${port}`, '--persistence.file=', '--log.level=error'], { stdio: 'ignore' });
    for (let i = 0; i < 100; i++) {
      const ready = await fetch(`${url}/-/ready`).then((r) => r.ok, () => false);
      if (ready) return;
      if (gateway.exitCode !== null) throw new Error(`pushgateway exited with ${gateway.exitCode}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`pushgateway did not become ready on ${url}`);
  });

  after(async () => {
    if (!gateway || gateway.exitCode !== null) return;
    const exited = new Promise((r) => gateway?.once('exit', r));
    gateway.kill('SIGTERM');
    await exited;
  });

  it('writes <name>.prom and pushes it, grouped by job, phase, namespace and installation', async (t) => {
    if (!requireTool(t, BIN, 'Debian package prometheus-pushgateway')) return;
    const dir = await tempDir();
    const files = await new PrometheusReporter().onRunEnd(blockedPreflight(), ctx(dir, url));
    assert.deepEqual(files, [join(dir, 'preflight.prom')]);
    assert.equal(await readFile(join(dir, 'preflight.prom'), 'utf8'), await renderPrometheus(blockedPreflight()));

    const s = await metrics();
    const group = { job: 'mmgate', phase: 'preflight', namespace: 'mattermost', installation: 'mm' };
    assert.equal(sampleValue(s, 'mmgate_verdict_promote', group), 0);
    assert.equal(sampleValue(s, 'mmgate_run_exit_code', group), 1);
    assert.equal(sampleValue(s, 'mmgate_check_status', { ...group, check: 'replica-count', status: 'fail', level: 'error' }), 1);
    assert.equal(sampleValue(s, 'mmgate_check_measured', { ...group, check: 'replica-count', name: 'replicas' }), 1);
    assert.equal(sampleValue(s, 'mmgate_collector_up', { ...group, collector: 'postgres' }), 0);
    assert.ok(s.some((x) => x.name === 'push_time_seconds' && x.labels['job'] === 'mmgate' && x.labels['installation'] === 'mm'));
  });

  it('a second push replaces the group: a check gone from the run does not linger', async (t) => {
    if (!requireTool(t, BIN, 'Debian package prometheus-pushgateway')) return;
    const fewer = buildReport({ results: preflightResults().filter((r) => r.id !== 'replica-count') });
    await pushMetrics(fewer, url);
    const s = await metrics();
    const group = { job: 'mmgate', phase: 'preflight', installation: 'mm' };
    assert.equal(sampleValue(s, 'mmgate_check_blocking', { ...group, check: 'replica-count' }), undefined);
    assert.equal(sampleValue(s, 'mmgate_check_blocking', { ...group, check: 'backup-recency' }), 1);
  });

  it('another phase is another group', async (t) => {
    if (!requireTool(t, BIN, 'Debian package prometheus-pushgateway')) return;
    await pushMetrics(promotedVerify(), url);
    const s = await metrics();
    assert.equal(sampleValue(s, 'mmgate_verdict_promote', { job: 'mmgate', phase: 'verify', installation: 'mm' }), 1);
    assert.equal(sampleValue(s, 'mmgate_verdict_promote', { job: 'mmgate', phase: 'preflight', installation: 'mm' }), 0);
  });
});

describe('PrometheusReporter when the push fails', () => {
  it('keeps the file, reports the failure without credentials, and the other reporters still run', async () => {
    const dir = await tempDir();
    // A port nothing listens on: bind one, note it, close it.
    const port = await new Promise<number>((resolve) => {
      const srv = createServer().listen(0, '127.0.0.1', () => {
        const a = srv.address();
        srv.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
      });
    });
    const { files, failures } = await writeReports(blockedPreflight(), [new PrometheusReporter(), { name: 'after', onRunEnd: async () => { await writeFile(join(dir, 'after.txt'), 'x'); return [join(dir, 'after.txt')]; } }], ctx(dir, `http://user:s3cretpw@127.0.0.1:${port}`));
    assert.deepEqual(files, [join(dir, 'preflight.prom'), join(dir, 'after.txt')]);
    assert.equal(failures.length, 1);
    assert.equal(failures[0]?.reporter, 'prometheus');
    assert.match(failures[0]?.message ?? '', new RegExp(`push to the Pushgateway http://127\\.0\\.0\\.1:${port}/ failed: .*ECONNREFUSED`));
    assert.doesNotMatch(failures[0]?.message ?? '', /s3cretpw/);
  });
});
