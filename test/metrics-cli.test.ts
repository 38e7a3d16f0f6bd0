/**
 * The metrics checks at the command line: bad input exits 2 naming the key (a Prometheus URL that
 * is not one, PromQL that does not parse, a threshold that is not a number), and verify --traffic
 * gives a quiet installation's metrics checks requests to judge, leaving nothing behind.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { parse, stringify } from 'yaml';
import { startLab, type Lab } from '../lab/index.js';
import type { RunReport } from '../core/types.js';
import { noStack, mmgate as runCli, type Run } from './run-cli.js';
import { judge } from './judge.js';

const work = mkdtempSync(join(tmpdir(), 'mmgate-metrics-cli-'));
after(() => rmSync(work, { recursive: true, force: true }));

const mmgate = (args: string[]): Promise<Run> => runCli(args, { cwd: work });

/** A config file in `work` with the given YAML. */
function config(name: string, yaml: string): string {
  const p = join(work, name);
  writeFileSync(p, yaml);
  return p;
}

describe('metrics config errors exit 2 naming the key', () => {
  it('a Prometheus URL that is not a URL', async () => {
    const r = await mmgate(['preflight', '-c', config('url.yaml', 'prometheus: { url: "prometheus.monitoring:9090" }\n'), '--report-dir', join(work, 'r1')]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /prometheus\.url: .*http\(s\) URL/);
    noStack(r);
  });
  it('PromQL that does not parse, with where', async () => {
    const r = await mmgate(['verify', '-c', config('promql.yaml', [
      'prometheus: { url: "http://127.0.0.1:9" }',
      'metrics:',
      '  queries:',
      '    - { name: posts-p99, expr: "histogram_quantile(0.99, sum by (le) (rate(mattermost_api_time_bucket[5m])", comparison: "<", threshold: 1 }',
      '',
    ].join('\n')), '--report-dir', join(work, 'r2')]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /metrics\.queries\[0\]\.expr: not valid PromQL near character \d+/);
    noStack(r);
  });
  it('a threshold that is not a number, a comparison that does not exist, a bad check option', async () => {
    const r = await mmgate(['verify', '-c', config('threshold.yaml', [
      'prometheus: { url: "http://127.0.0.1:9" }',
      'metrics:',
      '  queries:',
      '    - { name: errors, expr: "sum(up)", comparison: "=<", threshold: high }',
      '',
    ].join('\n')), '--report-dir', join(work, 'r3')]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /metrics\.queries\[0\]\.comparison/);
    assert.match(r.stderr, /metrics\.queries\[0\]\.threshold/);
    const o = await mmgate(['verify', '-c', config('option.yaml', 'checks:\n  api-latency: [error, { factor: 0.5 }]\n'), '--report-dir', join(work, 'r4')]);
    assert.equal(o.code, 2, o.stderr);
    assert.match(o.stderr, /checks\.api-latency\[1\]\.factor/);
    noStack(o);
  });
  it('PromQL checks without prometheus.url', async () => {
    const r = await mmgate(['verify', '-c', config('noprom.yaml', 'metrics:\n  queries:\n    - { name: up, expr: "sum(up)", comparison: ">", threshold: 0 }\n'), '--report-dir', join(work, 'r5')]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /metrics\.queries\[0\]\.expr: PromQL needs Prometheus/);
  });
  it('a site drain query that is not PromQL, named by its key, before anything runs', async () => {
    const yaml = 'prometheus: { url: "http://127.0.0.1:9" }\nsites:\n  - { name: eu, context: eu, drain: { query: "sum(rate(nginx_requests[2m]" } }\n  - { name: us, context: us }\n';
    const r = await mmgate(['preflight', '-c', config('drain.yaml', yaml), '--report-dir', join(work, 'r8')]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /sites\[0\]\.drain\.query: not valid PromQL near character \d+/);
    noStack(r);
  });
});

describe('against the lab', () => {
  let lab: Lab;
  before(async () => {
    // A quiet installation: the lab's users send nothing.
    const dir = join(work, 'quiet');
    mkdirSync(dir);
    writeFileSync(join(dir, 'scenario.yaml'), 'description: upgraded, at night — nobody uses Mattermost\nextends: upgraded\nlab: { traffic: 0 }\n');
    lab = await startLab(dir, join(work, 'quiet-lab'), { prometheus: true });
  });
  after(async () => { await lab?.close(); });

  it('a Prometheus URL that answers but is not Prometheus exits 2 naming prometheus.url', async () => {
    const doc = parse(readFileSync(lab.paths.config, 'utf8')) as Record<string, unknown>;
    doc['prometheus'] = { url: lab.mattermostUrl };
    const cfg = join(lab.paths.dir, 'not-prometheus.yaml');
    writeFileSync(cfg, stringify(doc));
    const r = await mmgate(['preflight', '-c', cfg, '--only', 'metrics-health', '--report-dir', join(work, 'r6')]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /without a Prometheus API answer: prometheus\.url must be Prometheus's base URL/);
    noStack(r);
  });

  it('a Prometheus nobody answers at exits 2 naming prometheus.url and the fix', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const doc = parse(readFileSync(lab.paths.config, 'utf8')) as Record<string, unknown>;
    doc['prometheus'] = { url: `http://127.0.0.1:${port}` };
    const cfg = join(lab.paths.dir, 'prometheus-down.yaml');
    writeFileSync(cfg, stringify(doc));
    const r = await mmgate(['preflight', '-c', cfg, '--only', 'metrics-health', '--report-dir', join(work, 'r7')]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, new RegExp(`cannot reach Prometheus at http://127\\.0\\.0\\.1:${port} \\(ECONNREFUSED\\): check prometheus\\.url`));
    noStack(r);
  });

  it('quiet hours give no data (blocks); verify --traffic fills the window through the smoke user, and cleans up', async () => {
    const metricsOf = (r: RunReport) => r.results.find((x) => x.id === 'metrics-health')!;
    const scrape = join(lab.paths.dir, 'scrape.yaml');
    const base = parse(readFileSync(lab.paths.config, 'utf8')) as Record<string, Record<string, unknown>>;
    writeFileSync(scrape, stringify({ ...base, metrics: { ...base['metrics'], source: 'scrape' } }));
    const quiet = await judge(scrape, 'pre');
    assert.equal(metricsOf(quiet.report).status, 'error');
    assert.equal(metricsOf(quiet.report).error?.code, 'NO_DATA');
    assert.match(metricsOf(quiet.report).findings[0]!.message, /inconclusive: pod .* served 0 API requests/);
    const baseline = join(work, 'quiet-baseline.json');
    writeFileSync(baseline, JSON.stringify(quiet.snapshot));

    const doc = parse(readFileSync(lab.paths.config, 'utf8')) as Record<string, Record<string, unknown>>;
    // minRequests 5: what is judged is that the traffic reaches every pod, not how fast a loaded test machine sends it.
    doc['metrics'] = { ...doc['metrics'], source: 'scrape', traffic: true, trafficRate: 40, scrapeInterval: '2s', minRequests: 5 };
    const cfg = join(lab.paths.dir, 'traffic.yaml');
    writeFileSync(cfg, stringify(doc));
    const before = lab.world.store.loginSessions();
    const { report, snapshot } = await judge(cfg, 'post', baseline);
    const m = snapshot.data.serverMetrics as { traffic?: { requests: number; failed: number }; groups: Record<string, { requests: number }> };
    assert.ok((m.traffic?.requests ?? 0) >= 40, `traffic sent: ${JSON.stringify(m.traffic)}`);
    assert.equal(m.traffic?.failed, 0);
    assert.ok((m.groups['getUser']?.requests ?? 0) > 0, 'the smoke user\'s requests reached the servers\' metrics');
    // The baseline of a quiet night had nothing to compare with: still no pass, but the window has data now.
    const er = report.results.find((x) => x.id === 'error-rate')!;
    assert.ok(er.findings.every((f) => !/served \d+ API requests/.test(f.message)), JSON.stringify(er.findings));
    assert.equal(lab.world.store.loginSessions(), before, 'the traffic session was logged out');
    assert.deepEqual(lab.world.smokeLeftovers(), { posts: 0, files: 0 });
  });
  it('your own PromQL checks run on the lab\'s Prometheus: pass, fail with the series, inconclusive on no data', async () => {
    const doc = parse(readFileSync(lab.paths.config, 'utf8')) as Record<string, Record<string, unknown>>;
    doc['metrics'] = { ...doc['metrics'], queries: [
      { name: 'pods-scraped', expr: 'sum(up{job="mattermost"})', comparison: '>=', threshold: 3, phase: 'pre' },
      { name: 'never-down', expr: 'up{job="mattermost"}', comparison: '<', threshold: 1, phase: 'pre' },
      { name: 'no-such-series', expr: 'mmgate_no_such_metric', comparison: '<', threshold: 1, phase: 'pre', noData: 'warn' },
    ] };
    const cfg = join(lab.paths.dir, 'promql.yaml');
    writeFileSync(cfg, stringify(doc));
    const { report } = await judge(cfg, 'pre');
    const byId = (id: string) => report.results.find((x) => x.id === id)!;
    assert.equal(byId('promql-pods-scraped').status, 'pass', JSON.stringify(byId('promql-pods-scraped')));
    assert.equal(byId('promql-pods-scraped').measured?.['min'], 3);
    const down = byId('promql-never-down');
    assert.equal(down.status, 'fail');
    assert.equal(down.findings.length, 3);
    assert.match(down.findings[0]!.message, /^\{.*pod="mm-[a-z0-9]+-[a-z0-9]+".*\} = 1, not < 1$/);
    const none = byId('promql-no-such-series');
    assert.equal(none.status, 'warn');
    assert.match(none.findings[0]!.message, /inconclusive: `mmgate_no_such_metric` answered no sample/);
    assert.ok(report.verdict.blocking.includes('promql-never-down'));
  });
});
