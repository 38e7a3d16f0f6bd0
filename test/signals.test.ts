/**
 * Signals from mmgate's first instruction: SIGTERM and SIGINT at several moments of a preflight
 * against the lab, from 0 ms on, each give exit 3 (never death by the signal) and a JSON report
 * marked partial. A CI system cancels a job at any moment, also while the clients load.
 *
 * 0 ms is the moment mmgate's handlers are in place (the entry's first statement installs them),
 * which an observing preload (test/fixtures/signal-probe.mjs) prints on stderr. Before it, the
 * Node runtime boots and no JavaScript runs at all: Node resets signal dispositions at start and
 * dies by SIGINT/SIGTERM until a program listens, so that window is measured and printed here,
 * not asserted.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startLab, type Lab } from '../lab/index.js';

const CLI = fileURLToPath(new URL('../cli/main.js', import.meta.url));
const PROBE = fileURLToPath(new URL('../../test/fixtures/signal-probe.mjs', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'mmgate-signals-'));
after(() => rmSync(work, { recursive: true, force: true }));

interface Outcome { code: number | null; signal: NodeJS.Signals | null; stderr: string; bootMs: number; sent: boolean }

async function runAndCut(lab: Lab, dir: string, sig: NodeJS.Signals | undefined, afterMs: number): Promise<Outcome> {
  const t0 = performance.now();
  const child: ChildProcess = spawn(process.execPath, ['--import', PROBE, CLI, 'preflight', '-c', lab.paths.config, '--report-dir', dir, '--format', 'json,junit'], { env: { ...process.env, NO_COLOR: '1', GITHUB_STEP_SUMMARY: '' }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  let installed: () => void = () => undefined;
  const handlers = new Promise<void>((resolve) => { installed = resolve; });
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
    if (/signal-probe: handlers installed/.test(stderr)) installed();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  let done = false;
  void exited.then(() => { done = true; installed(); });
  // The handlers in place: 0 ms of mmgate's run.
  await handlers;
  assert.match(stderr, /signal-probe: handlers installed/, 'mmgate installed its signal handlers');
  const bootMs = Math.round(performance.now() - t0);
  let sent = false;
  if (sig) {
    if (afterMs > 0) await new Promise((r) => setTimeout(r, afterMs));
    sent = !done && child.kill(sig);
  }
  const r = await exited;
  return { ...r, stderr, bootMs, sent };
}

describe('signals from the first millisecond', () => {
  let lab: Lab;
  let fullRunMs = 0;
  before(async () => {
    lab = await startLab('healthy', join(work, 'lab'));
    const t0 = performance.now();
    const r = await runAndCut(lab, join(work, 'uncut'), undefined, 0);
    fullRunMs = Math.round(performance.now() - t0) - r.bootMs;
    assert.equal(r.code, 0, `an uncut preflight promotes: ${r.stderr}`);
    process.stdout.write(`# uncut preflight: runtime boot ${r.bootMs} ms, then ${fullRunMs} ms of mmgate\n`);
  });
  after(async () => { await lab?.close(); });

  const moments: readonly [NodeJS.Signals, number | ((full: number) => number)][] = [
    ['SIGTERM', 0], ['SIGINT', 0], ['SIGTERM', 5], ['SIGINT', 15], ['SIGTERM', 40], ['SIGINT', 100],
    ['SIGTERM', 250], ['SIGINT', 500], ['SIGTERM', (f) => Math.round(f * 0.5)], ['SIGINT', (f) => Math.round(f * 0.85)],
  ];
  it('every signal at every moment gives exit 3 and a partial report', async () => {
    const hits: string[] = [];
    const missed: string[] = [];
    for (const [i, [sig, when]] of moments.entries()) {
      const ms = typeof when === 'number' ? when : when(fullRunMs);
      const dir = join(work, `cut-${i}`);
      const r = await runAndCut(lab, dir, sig, ms);
      const label = `${sig} at ${ms} ms`;
      if (!r.sent) {
        // The run ended before the signal could be sent: it must then be a whole, promoting run.
        assert.equal(r.code, 0, `${label}: the run ended on its own, so it must have promoted (${r.stderr})`);
        missed.push(label);
        continue;
      }
      assert.equal(r.signal, null, `${label}: mmgate died by the signal instead of handling it`);
      assert.equal(r.code, 3, `${label}: exit ${r.code}, stderr: ${r.stderr}`);
      const jsonPath = join(dir, 'preflight.json');
      assert.ok(existsSync(jsonPath), `${label}: no preflight.json`);
      const report = JSON.parse(readFileSync(jsonPath, 'utf8')) as { partial: boolean; verdict: { exitCode: number; headline: string }; notes: string[] };
      assert.equal(report.partial, true, `${label}: report not marked partial`);
      assert.equal(report.verdict.exitCode, 3, label);
      assert.match(report.notes.join('\n'), new RegExp(`interrupted by ${sig}`), `${label}: the report names the signal`);
      assert.match(readFileSync(join(dir, 'preflight.junit.xml'), 'utf8'), /INCOMPLETE/, `${label}: JUnit says INCOMPLETE`);
      hits.push(`${label}${/before anything was collected/.test(report.notes.join(' ')) ? ' (cut before collecting)' : ''}`);
    }
    process.stdout.write(`# signals handled: ${hits.join('; ')}${missed.length ? `\n# after the run had ended (not counted): ${missed.join('; ')}` : ''}\n`);
    // The early moments always fall inside the run; only the late ones may race its end.
    assert.ok(hits.length >= moments.length - 2, `only ${hits.length} of ${moments.length} moments reached the run`);
    assert.ok(hits.some((h) => /cut before collecting/.test(h)), 'some signal came before anything was collected');
  });
});
