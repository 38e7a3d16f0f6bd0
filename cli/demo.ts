/**
 * `mmgate demo`: the whole night of an upgrade on the embedded lab — preflight, the operator's
 * rolling upgrade, verify against the preflight baseline — with every report written.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse, stringify } from 'yaml';
import { DEFAULT_CHROMIUM } from '../collectors/smoke/browser.js';
import { startLab } from '../lab/index.js';
import { runPhaseCommand } from './gate.js';

export async function demoCommand(opts: { scenario: string; reportDir: string; color?: boolean }): Promise<number> {
  const out = await mkdtemp(join(tmpdir(), 'mmgate-demo-'));
  const reportDir = resolve(opts.reportDir);
  const say = (s: string) => process.stdout.write(`\n== ${s}\n`);
  const lab = await startLab(opts.scenario, out);
  try {
    say(`lab: scenario ${lab.scenario.name} — ${lab.scenario.description}`);
    // The browser journeys need Chromium; the demo runs them when this machine has it.
    const browser = existsSync(DEFAULT_CHROMIUM);
    if (browser) {
      const config = parse(await readFile(lab.paths.config, 'utf8')) as { mattermost: Record<string, unknown> };
      config.mattermost['browser'] = { enabled: true };
      await writeFile(lab.paths.config, stringify(config));
    }
    process.stdout.write(`   browser journeys (Playwright + Chromium): ${browser ? 'on' : `off — no Chromium at ${DEFAULT_CHROMIUM}`}\n`);
    say(`preflight: may ${lab.installation} go to ${lab.scenario.target.version}?`);
    // The demo prints the operator's steps between the gate's lines: keep them all on screen.
    const common = { config: lab.paths.config, reportDir, keepProgress: true, ...(opts.color === false ? { color: false } : {}) };
    const pre = await runPhaseCommand('pre', common);
    if (pre !== 0) {
      say(`preflight did not promote (exit ${pre}): the upgrade is not started. Reports: ${reportDir}`);
      return pre;
    }
    say(`upgrade + watch: the operator rolls ${lab.installation} to ${lab.scenario.target.version} (maxSurge 1, maxUnavailable 0) while mmgate watch probes the front door`);
    // watch starts first and follows the whole rollout, as it would on the night.
    const probesBefore = lab.requestCounts().mattermost;
    const watching = runPhaseCommand('during', common);
    // The version changes once watch's first probe reached the front door (`mmgate watch &`, then the patch).
    for (let waited = 0; lab.requestCounts().mattermost === probesBefore && waited < 10_000; waited += 20) await new Promise((r) => setTimeout(r, 20));
    await lab.upgrade({ version: lab.scenario.target.version }, { stepMs: 400, onStep: (s) => process.stdout.write(`   operator: ${s}\n`) });
    const during = await watching;
    if (during !== 0) {
      say(`watch did not promote (exit ${during}): roll back. Reports: ${reportDir}`);
      return during;
    }
    say('verify: is every pod on the new version, and does Mattermost work?');
    const post = await runPhaseCommand('post', { ...common, baseline: join(reportDir, 'preflight.snapshot.json') });
    say(`${post === 0 ? 'done: promote' : `verify did not promote (exit ${post})`}. Reports: ${reportDir}`);
    return post;
  } finally {
    await lab.close();
    await rm(out, { recursive: true, force: true });
  }
}
