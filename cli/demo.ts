/**
 * `mmgate demo`: the whole night of an upgrade on the embedded lab, with every report written.
 *
 * - rolling (default): preflight, the operator's rolling upgrade while watch probes the front
 *   door, verify against the preflight baseline;
 * - bluegreen: preflight (production healthy, names the idle colour) → the operator rolls the idle
 *   colour → verify the idle colour through its own host → switch production → verify
 *   `--side production`.
 *
 * A scenario whose chain upgrades (e.g. bluegreen-idle-broken) starts from the state before its
 * upgrade, and the demo plays that upgrade live: a blocked run ends with its rollback plan.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse, stringify } from 'yaml';
import { DEFAULT_CHROMIUM } from '../collectors/smoke/browser.js';
import { UsageError } from '../core/errors.js';
import { otherColour, productionColour } from '../core/installation.js';
import type { ClusterInstallationCR } from '../core/kube-types.js';
import { startLab, type Lab } from '../lab/index.js';
import type { UpgradeSpec } from '../lab/operator.js';
import { preUpgradeScenario, scenarioUpgrade } from '../lab/scenario.js';
import { runPhaseCommand, type GateFlags } from './gate.js';

const STRATEGIES = ['rolling', 'bluegreen'] as const;
const say = (s: string) => process.stdout.write(`\n== ${s}\n`);

export async function demoCommand(opts: { scenario?: string; strategy?: string; reportDir: string; color?: boolean }): Promise<number> {
  if (opts.strategy !== undefined && !(STRATEGIES as readonly string[]).includes(opts.strategy)) throw new UsageError(`--strategy ${opts.strategy}: not a strategy the demo plays`, `use ${STRATEGIES.join(' or ')}`);
  const scenario = opts.scenario ?? (opts.strategy === 'bluegreen' ? 'bluegreen' : 'healthy');
  const planned: UpgradeSpec | undefined = scenarioUpgrade(scenario);
  const out = await mkdtemp(join(tmpdir(), 'mmgate-demo-'));
  const reportDir = resolve(opts.reportDir);
  const lab = await startLab(planned ? preUpgradeScenario(scenario) ?? scenario : scenario, out);
  try {
    say(`lab: scenario ${lab.scenario.name} — ${lab.scenario.description}${planned ? ` (the demo plays ${scenario}'s upgrade live)` : ''}`);
    await enableBrowser(lab);
    // A blue/green world plays the blue/green night unless told otherwise.
    const strategy = opts.strategy ?? (blueGreenOf(lab) ? 'bluegreen' : 'rolling');
    // The demo prints the operator's steps between the gate's lines: keep them all on screen.
    const common: GateFlags = { config: lab.paths.config, reportDir, keepProgress: true, ...(opts.color === false ? { color: false } : {}) };
    const up: UpgradeSpec = { ...(planned ?? { version: lab.scenario.target.version }), ...(strategy === 'bluegreen' ? { side: 'idle' as const } : {}) };
    return strategy === 'bluegreen' ? await blueGreenNight(lab, common, up, reportDir) : await rollingNight(lab, common, up, reportDir);
  } finally {
    await lab.close();
    await rm(out, { recursive: true, force: true });
  }
}

/** The browser journeys need Chromium; the demo runs them when this machine has it. */
async function enableBrowser(lab: Lab): Promise<void> {
  const browser = existsSync(DEFAULT_CHROMIUM);
  if (browser) {
    const config = parse(await readFile(lab.paths.config, 'utf8')) as { mattermost: Record<string, unknown> };
    config.mattermost['browser'] = { enabled: true };
    await writeFile(lab.paths.config, stringify(config));
  }
  process.stdout.write(`   browser journeys (Playwright + Chromium): ${browser ? 'on' : `off — no Chromium at ${DEFAULT_CHROMIUM}`}\n`);
}

const operatorSays = (s: string) => process.stdout.write(`   operator: ${s}\n`);

async function rollingNight(lab: Lab, common: GateFlags, up: UpgradeSpec, reportDir: string): Promise<number> {
  say(`preflight: may ${lab.installation} go to ${up.version}?`);
  const pre = await runPhaseCommand('pre', common);
  if (pre !== 0) {
    say(`preflight did not promote (exit ${pre}): the upgrade is not started. Reports: ${reportDir}`);
    return pre;
  }
  say(`upgrade + watch: the operator rolls ${lab.installation} to ${up.version} (maxSurge 1, maxUnavailable 0) while mmgate watch probes the front door`);
  // watch starts first and follows the whole rollout, as it would on the night.
  const probesBefore = lab.requestCounts().mattermost;
  const watching = runPhaseCommand('during', common);
  // The version changes once watch's first probe reached the front door (`mmgate watch &`, then the patch).
  for (let waited = 0; lab.requestCounts().mattermost === probesBefore && waited < 10_000; waited += 20) await new Promise((r) => setTimeout(r, 20));
  await lab.upgrade(up, { stepMs: 400, onStep: operatorSays });
  const during = await watching;
  if (during !== 0) {
    say(`watch did not promote (exit ${during}): roll back (the plan is in the report). Reports: ${reportDir}`);
    return during;
  }
  say('verify: is every pod on the new version, and does Mattermost work?');
  const post = await runPhaseCommand('post', { ...common, baseline: join(reportDir, 'preflight.snapshot.json') });
  say(`${post === 0 ? 'done: promote' : `verify did not promote (exit ${post}): roll back with the plan above`}. Reports: ${reportDir}`);
  return post;
}

/** The lab's production colour, when its installation is a blue/green ClusterInstallation. */
function blueGreenOf(lab: Lab): 'blue' | 'green' | undefined {
  const cr = lab.scenario.store.get('mattermost.com/v1alpha1', 'ClusterInstallation', lab.namespace, lab.installation) as ClusterInstallationCR | undefined;
  return cr?.spec?.blueGreen?.enable ? productionColour(cr) : undefined;
}

async function blueGreenNight(lab: Lab, common: GateFlags, up: UpgradeSpec, reportDir: string): Promise<number> {
  const prod = blueGreenOf(lab);
  if (!prod) throw new UsageError(`--strategy bluegreen: scenario ${lab.scenario.name} has no blue/green ClusterInstallation`, 'use --scenario bluegreen (or one that extends it)');
  const idle = otherColour(prod);
  const baseline = join(reportDir, 'preflight.snapshot.json');
  say(`preflight: production is ${prod}; may the idle colour ${idle} go to ${up.version}?`);
  const pre = await runPhaseCommand('pre', common);
  if (pre !== 0) {
    say(`preflight did not promote (exit ${pre}): the idle colour is not upgraded. Reports: ${reportDir}`);
    return pre;
  }
  say(`upgrade the idle colour: the operator rolls ${idle} to ${up.version}; production (${prod}) keeps serving`);
  await lab.upgrade(up, { stepMs: 200, onStep: operatorSays });
  say(`verify the idle colour ${idle}: its pods, and every journey through its own host`);
  const idleDir = join(reportDir, 'idle');
  const idleRun = await runPhaseCommand('post', { ...common, reportDir: idleDir, baseline });
  if (idleRun !== 0) {
    say(`verify of the idle colour did not promote (exit ${idleRun}): do not switch; production (${prod}) was never touched. Roll the idle colour back with the plan above. Reports: ${idleDir}`);
    return idleRun;
  }
  say(`switch: productionDeployment → ${idle}`);
  lab.switchProduction(idle, operatorSays);
  say(`verify production: is ${idle} what users reach now?`);
  const prodDir = join(reportDir, 'production');
  const prodRun = await runPhaseCommand('post', { ...common, reportDir: prodDir, baseline, side: 'production' });
  say(`${prodRun === 0 ? `done: production is ${idle} on ${up.version}` : `verify of production did not promote (exit ${prodRun}): switch back with the plan above`}. Reports: ${reportDir}`);
  return prodRun;
}
