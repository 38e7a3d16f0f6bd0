/**
 * The fault matrix, through the CLI on the lab: for each request the gate makes (Kubernetes API,
 * pod proxy and pod logs, the Mattermost front door, PostgreSQL), each fault (500, 403, 401,
 * connection reset, a malformed body, a truncated body, a slow answer past the timeout, 429 with
 * Retry-After, 410 on a paged list) is injected and the real `mmgate` runs. The rule: no case
 * promotes when the request it broke was needed — exit 1 or 3, never 0 — and the report is written
 * every time. Requests that are truly optional are listed with the reason, and must still end in a
 * report (and never in exit 2). Prometheus is out of scope here (its faults are tested with the metrics collectors).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';
import type { RunReport } from '../core/types.js';
import { startLab, type Lab } from '../lab/index.js';
import type { FaultRule } from '../lab/kube/types.js';

const CLI = fileURLToPath(new URL('../cli/main.js', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'mmgate-faults-'));

type Fault = '500' | '403' | '401' | 'reset' | 'malformed' | 'truncated' | 'slow' | '429' | '410';
const FAULTS: Readonly<Record<Exclude<Fault, '410'>, Omit<FaultRule, 'path'>>> = {
  500: { status: 500 }, 403: { status: 403 }, 401: { status: 401 }, reset: { reset: true },
  malformed: { garbage: true }, truncated: { malformed: true }, slow: { delayMs: 2500 }, 429: { status: 429, retryAfter: 1 },
};

interface Target {
  readonly name: string;
  readonly door: 'kube' | 'front';
  readonly phase: 'preflight' | 'verify';
  /** Regex on method-less path+query, as the lab's fault rules take. */
  readonly path: string;
  readonly method?: string;
  readonly faults: readonly Fault[];
  /** Why a broken answer here may still promote; undefined when the request is needed. */
  readonly optional?: string;
}

const ALL: readonly Fault[] = ['500', '403', '401', 'reset', 'malformed', 'truncated', 'slow', '429'];
const TARGETS: readonly Target[] = [
  { name: 'list nodes', door: 'kube', phase: 'preflight', path: '^/api/v1/nodes\\?', faults: ALL },
  { name: 'list pods in the namespace', door: 'kube', phase: 'preflight', path: '^/api/v1/namespaces/mattermost/pods\\?', faults: ALL },
  { name: 'list pods of the cluster (paged)', door: 'kube', phase: 'preflight', path: '^/api/v1/pods\\?', faults: [...ALL, '410'] },
  { name: 'list deployments', door: 'kube', phase: 'preflight', path: '^/apis/apps/v1/namespaces/mattermost/deployments\\?', faults: ALL },
  { name: 'get the Mattermost CR', door: 'kube', phase: 'preflight', path: '^/apis/installation\\.mattermost\\.com/v1beta1/namespaces/mattermost/mattermosts/', faults: ALL },
  { name: 'get the operator deployment', door: 'kube', phase: 'preflight', path: '^/apis/apps/v1/namespaces/mattermost-operator/deployments/', faults: ALL },
  { name: 'list Helm release secrets', door: 'kube', phase: 'preflight', path: '^/api/v1/namespaces/mattermost-operator/secrets\\?', faults: ALL },
  { name: 'list jobs', door: 'kube', phase: 'preflight', path: '^/apis/batch/v1/namespaces/mattermost/jobs\\?', faults: ['500', '403', 'reset', 'truncated'] },
  {
    name: 'metrics.k8s.io node usage', door: 'kube', phase: 'preflight', path: '^/apis/metrics\\.k8s\\.io/', faults: ['500', '403', 'malformed'],
    optional: 'rollout-headroom judges room by requests; usage only adds a warning above 90% memory, and the report says it was not read',
  },
  { name: 'pod proxy: each pod\'s system/ping', door: 'kube', phase: 'verify', path: '/pods/[^/]+:8065/proxy/api/v4/system/ping', faults: ['500', '403', 'reset', 'malformed', 'truncated', 'slow'] },
  { name: 'pod logs', door: 'kube', phase: 'verify', path: '/pods/[^/]+/log\\?', faults: ['500', '403', '401', 'reset', 'slow'] },
  { name: 'front door: smoke login', door: 'front', phase: 'verify', method: 'POST', path: '^/api/v4/users/login', faults: ['500', '401', 'reset', 'malformed', 'truncated', '429'] },
  { name: 'front door: smoke post', door: 'front', phase: 'verify', method: 'POST', path: '^/api/v4/posts', faults: ['500', '403', 'reset', 'truncated'] },
  { name: 'front door: file upload', door: 'front', phase: 'verify', method: 'POST', path: '^/api/v4/files', faults: ['500', 'reset'] },
  { name: 'front door: admin row counts', door: 'front', phase: 'verify', path: '^/api/v4/analytics/old', faults: ['500', '403', 'malformed'] },
  { name: 'front door: plugin statuses', door: 'front', phase: 'verify', path: '^/api/v4/plugins/statuses', faults: ['500', 'reset'] },
];

/** PostgreSQL (database.dsn for the row counts verify compares): a TCP peer that misbehaves. */
const PG_FAULTS = ['reset', 'malformed', 'slow', 'refused'] as const;

interface Case { name: string; phase: 'preflight' | 'verify'; optional?: string; arm: (lab: Lab) => void; config?: (c: Record<string, unknown>) => void }

const cases: Case[] = [];
for (const t of TARGETS) {
  for (const f of t.faults) {
    const rule: FaultRule = f === '410' ? { path: t.path, goneOnContinue: true } : { path: t.path, ...FAULTS[f], ...(t.method ? { method: t.method } : {}) };
    cases.push({
      name: `${t.door === 'kube' ? 'Kubernetes API' : 'Mattermost'} ${t.name}: ${f}`, phase: t.phase, ...(t.optional ? { optional: t.optional } : {}),
      arm: (lab) => (t.door === 'kube' ? lab.setKubeFaults([rule]) : lab.setFrontDoorFaults([rule])),
      // Past the timeout: requests time out at 1s, the fault answers after 2.5s.
      ...(f === 'slow' ? { config: (c: Record<string, unknown>) => { (c['kube'] as Record<string, unknown>)['requestTimeout'] = '1s'; (c['mattermost'] as Record<string, unknown>)['requestTimeout'] = '1s'; } } : {}),
    });
  }
}

let pgPorts: Record<(typeof PG_FAULTS)[number], number>;
const pgStops: (() => Promise<void>)[] = [];
for (const f of PG_FAULTS) {
  cases.push({
    name: `PostgreSQL database.dsn (row counts): ${f}`, phase: 'verify', arm: () => undefined,
    config: (c) => {
      c['database'] = { dsn: `postgres://mmgate:pw@127.0.0.1:${pgPorts[f]}/mattermost?connect_timeout=2` };
      c['timeouts'] = { ...(c['timeouts'] as object), collector: '8s' };
    },
  });
}

async function misbehavingPeer(f: (typeof PG_FAULTS)[number]): Promise<number> {
  const sockets = new Set<Socket>();
  const server = createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => undefined);
    if (f === 'reset') s.resetAndDestroy();
    else if (f === 'malformed') s.end('HTTP/1.1 400 Bad Request\r\n\r\nnot postgres');
    // slow: accept and never answer.
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  // Held connections (the slow peer) are dropped first, or close() would wait on them forever.
  const stop = () => new Promise<void>((r) => { for (const s of sockets) s.destroy(); server.close(() => r()); });
  if (f === 'refused') await stop();
  else pgStops.push(stop);
  return port;
}

function run(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: work, env: { ...process.env, NO_COLOR: '1', GITHUB_STEP_SUMMARY: '' }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('exit', (code) => resolve({ code, stderr }));
  });
}

/** The lab's config with a case's changes, written beside it (its relative paths stay valid). */
function caseConfig(lab: Lab, name: string, change?: (c: Record<string, unknown>) => void): string {
  const c = parse(readFileSync(lab.paths.config, 'utf8')) as Record<string, unknown>;
  c['mattermost'] = { ...(c['mattermost'] as object) };
  c['kube'] = { ...(c['kube'] as object) };
  change?.(c);
  const file = join(lab.paths.dir, `${name}.yaml`);
  writeFileSync(file, stringify(c));
  return file;
}

const results: { name: string; code: number | null; optional?: string; falsePass: boolean }[] = [];

describe('fault matrix: no broken request that was needed lets a run promote', { concurrency: 1, timeout: 3_600_000 }, () => {
  const labs: Partial<Record<'preflight' | 'verify', Lab>> = {};
  let baseline = '';
  before(async () => {
    pgPorts = Object.fromEntries(await Promise.all(PG_FAULTS.map(async (f) => [f, await misbehavingPeer(f)]))) as typeof pgPorts;
    // Enough pods that the cluster-wide list is paged (500 a page), so a 410 on a continued page is real.
    labs.preflight = await startLab('healthy', join(work, 'pre'), { world: { nodes: 20, podsPerNode: 30 } });
    labs.verify = await startLab('upgraded', join(work, 'post'));
    const base = await run(['preflight', '-c', labs.verify.paths.config, '--report-dir', join(work, 'baseline'), '--format', 'json']);
    baseline = join(work, 'baseline', 'preflight.snapshot.json');
    assert.ok(existsSync(baseline), `the baseline preflight wrote no snapshot (exit ${base.code}): ${base.stderr}`);
  });
  after(async () => {
    await Promise.all([labs.preflight?.close(), labs.verify?.close(), ...pgStops.map((stop) => stop())]);
    const falsePasses = results.filter((r) => r.falsePass);
    process.stdout.write(`# fault matrix: ${results.length} cases, ${falsePasses.length} false passes, ${results.filter((r) => r.optional).length} on optional requests\n`);
    rmSync(work, { recursive: true, force: true });
  });

  it(`has at least 60 cases (${cases.length})`, () => assert.ok(cases.length >= 60));

  // A clean run on each lab promotes: the faults, not the labs, make the cases below block.
  for (const phase of ['preflight', 'verify'] as const) {
    it(`without a fault, ${phase} promotes`, async () => {
      const lab = labs[phase]!;
      lab.setKubeFaults([]); lab.setFrontDoorFaults([]);
      const r = await run([phase, '-c', lab.paths.config, '--report-dir', join(work, `clean-${phase}`), '--format', 'json', ...(phase === 'verify' ? ['--skip', 'browser-journey', '--baseline', baseline] : [])]);
      assert.equal(r.code, 0, r.stderr);
    });
  }

  for (const [i, c] of cases.entries()) {
    it(c.name, async () => {
      const lab = labs[c.phase]!;
      const dir = join(work, `case-${i}`);
      mkdirSync(dir);
      lab.setKubeFaults([]); lab.setFrontDoorFaults([]);
      const config = caseConfig(lab, `case-${i}`, c.config);
      c.arm(lab);
      try {
        const r = await run([c.phase, '-c', config, '--report-dir', dir, '--format', 'json',
          ...(c.phase === 'verify' ? ['--skip', 'browser-journey', '--baseline', baseline] : [])]);
        const reportFile = join(dir, `${c.phase}.json`);
        assert.ok(existsSync(reportFile), `no report written (exit ${r.code}): ${r.stderr}`);
        const report = JSON.parse(readFileSync(reportFile, 'utf8')) as RunReport;
        const falsePass = !c.optional && (r.code === 0 || report.verdict.promote);
        results.push({ name: c.name, code: r.code, ...(c.optional ? { optional: c.optional } : {}), falsePass });
        if (c.optional) assert.notEqual(r.code, 2, `an optional request's fault is judged, never a usage error: ${r.stderr}`);
        else assert.ok(r.code === 1 || r.code === 3, `exit ${r.code}, expected 1 or 3: ${report.verdict.headline}\n${r.stderr}`);
        assert.doesNotMatch(JSON.stringify(report), new RegExp(lab.secrets.adminToken), 'the admin token leaked');
      } finally {
        lab.setKubeFaults([]); lab.setFrontDoorFaults([]);
      }
    });
  }
});
