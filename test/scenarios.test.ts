/**
 * Every lab scenario folder is served by the real lab and judged by the real gate (config from the
 * file the lab writes, collectors over the network, policy): the verdict, and for each blocking
 * check how it blocks (`fail`: found the problem; `error`: could not look, with its code), must be
 * what its expect.yaml says. A folder without a readable expect.yaml fails, and so does a run that
 * judged fewer scenarios than there are folders.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { stringify } from 'yaml';
import { builtinChecks } from '../checks/index.js';
import type { RunReport } from '../core/types.js';
import { startLab } from '../lab/index.js';
import { BUILTIN_SCENARIOS, buildScenario, preUpgradeScenario } from '../lab/scenario.js';
import { judge } from './judge.js';

const tmp = mkdtempSync(join(tmpdir(), 'mmgate-scenarios-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

const explain = (r: RunReport) => r.results.filter((x) => x.status !== 'pass' && x.status !== 'skipped' && x.status !== 'not-applicable')
  .map((x) => `${x.id}=${x.status}${x.blocking ? '(blocking)' : ''}: ${[...(x.error ? [x.error.message] : []), ...x.findings.map((f) => f.message)].join(' | ')}`).join('\n');

const requires = new Map(builtinChecks.map((c) => [c.meta.id, c.meta.requires as readonly string[]]));

/**
 * How each check blocked: `fail`, or `error:CODE`. A check that could not look because a collector
 * failed carries that collector's code (NOT_CONFIGURED, UNREACHABLE…), which says more than the
 * runner's COLLECTOR_FAILED.
 */
function blockingMap(r: RunReport): Record<string, string> {
  const failed = new Map(r.collectors.filter((c) => c.error).map((c) => [c.key, c.error!.code]));
  return Object.fromEntries(r.results.filter((x) => x.blocking).sort((a, b) => a.id.localeCompare(b.id)).map((x) => {
    if (x.status !== 'error') return [x.id, x.status];
    const collector = x.error?.code === 'COLLECTOR_FAILED' ? (requires.get(x.id) ?? []).map((k) => failed.get(k)).find(Boolean) : undefined;
    return [x.id, `error:${collector ?? x.error?.code ?? 'UNKNOWN'}`];
  }));
}

/** The phase as expect.yaml should say it, ready to paste. */
const asYaml = (phase: string, verdict: string, blocking: Record<string, string>, upgrade?: unknown) =>
  stringify({ [phase]: { verdict, blocking, ...(upgrade ? { upgrade } : {}) } }, { flowCollectionPadding: true });

const folders = readdirSync(BUILTIN_SCENARIOS, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
let judged = 0;

/** Resolves once the front door has served a request (the watch's first probe), or after 20 s. */
async function untilProbed(lab: { requestCounts(): { mattermost: number } }): Promise<void> {
  const deadline = performance.now() + 20_000;
  while (lab.requestCounts().mattermost === 0 && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20));
}

/** A watch that promotes saw no failed probe; one blocked by rollout-availability names its outage. */
function assertWatchTimeline(report: RunReport, name: string): void {
  const r = report.results.find((x) => x.id === 'rollout-availability');
  assert.ok(r?.timeline, `${name} watch: rollout-availability has no time line`);
  if (report.verdict.promote) {
    assert.equal(r.measured?.['failedProbes'], 0, `${name} watch promoted with failed probes:\n${explain(report)}`);
    assert.ok(Number(r.measured?.['probes']) > 10, `${name} watch: only ${r.measured?.['probes']} probes over the rollout`);
  } else if (r.blocking) {
    assert.ok(r.timeline.outages.length > 0, `${name} watch: blocked without an outage on the time line`);
    assert.match(r.findings[0]?.message ?? '', /front-door probes failed in \d+ outages?; the longest lasted/);
  }
}

/** The --side and --site a phase of expect.yaml asks for (blue/green, canary, site by site). */
const sideAndSite = (e: object): { side?: 'idle' | 'production' | 'canary'; site?: string } => {
  const { side, site } = e as { side?: 'idle' | 'production' | 'canary'; site?: string };
  return { ...(side ? { side } : {}), ...(site ? { site } : {}) };
};

// The suite holds every scenario, a few seconds each: only each scenario has the usual limit.
describe('lab scenarios meet their expect.yaml', { timeout: 3_600_000 }, () => {
  for (const name of folders) {
    it(name, { timeout: 300_000 }, async () => {
      assert.ok(existsSync(join(BUILTIN_SCENARIOS, name, 'expect.yaml')), `${name}: no expect.yaml; every scenario says what the gate must decide (see fixtures/scenarios/README.md)`);
      const built = await buildScenario(name);
      const { base, ...byPhase } = built.expect;
      const phases = Object.entries(byPhase);
      if (phases.length === 0) {
        assert.equal(base, true, `${name}/expect.yaml gives no verdict: write preflight:/watch:/verify:, or base: true for a base scenario others extend`);
        judged++;
        return;
      }
      // verify compares with the preflight taken before the upgrade, as on a real upgrade night.
      const baseline = join(tmp, `${name}.preflight.snapshot.json`);
      if (built.expect.verify) {
        const before = await startLab(preUpgradeScenario(name) ?? name, join(tmp, `${name}-before`));
        try {
          writeFileSync(baseline, JSON.stringify((await judge(before.paths.config, 'pre', undefined, built.expect.verify.site ? { site: built.expect.verify.site } : {})).snapshot));
        } finally {
          await before.close();
        }
      }
      const lab = await startLab(name, join(tmp, name));
      try {
        for (const [phase, expected] of phases) {
          const upgrade = phase === 'watch' ? built.expect.watch!.upgrade : undefined;
          const { report } = upgrade
            // watch follows a live upgrade: the lab plays it once the gate watches (its first probe
            // reached the front door), as `mmgate watch &` then the version change would.
            ? (await Promise.all([judge(lab.paths.config, 'during'), untilProbed(lab).then(() => lab.upgrade(upgrade, { stepMs: 300 }))]))[0]
            : await judge(lab.paths.config, phase === 'preflight' ? 'pre' : 'post', phase === 'verify' ? baseline : undefined, sideAndSite(expected));
          const verdict = report.verdict.promote ? 'promote' : 'blocked';
          const actual = blockingMap(report);
          const should = `${name}/expect.yaml would read:\n${asYaml(phase, verdict, actual, upgrade)}\n${explain(report)}`;
          assert.ok(!Array.isArray(expected.blocking), `${name} ${phase}: blocking is a list of ids; give each check's status instead. ${should}`);
          const want = expected.blocking as Record<string, string>;
          // `error` without a code accepts any code; `error:CODE` wants that one.
          const seen = Object.fromEntries(Object.entries(actual).map(([id, s]) => [id, want[id] === 'error' && s.startsWith('error:') ? 'error' : s]));
          assert.equal(verdict, expected.verdict, `${name} ${phase}: ${report.verdict.headline}\n${should}`);
          assert.deepEqual(seen, want, `${name} ${phase}: how each check blocks\n${should}`);
          if (phase === 'watch') assertWatchTimeline(report, name);
          for (const w of (expected as { warnings?: string[] }).warnings ?? []) assert.equal(report.results.find((r) => r.id === w)?.status, 'warn', `${name} ${phase}: ${w} must warn\n${explain(report)}`);
          const smoke = lab.world.smokeLeftovers();
          assert.deepEqual(smoke, { posts: 0, files: 0 }, `${name} ${phase}: smoke data left behind`);
        }
      } finally {
        await lab.close();
      }
      judged++;
    });
  }

  it('judged every scenario folder', () => {
    assert.ok(folders.length >= 2, `no scenarios under ${BUILTIN_SCENARIOS}`);
    assert.equal(judged, folders.length, `${folders.length} scenario folders, ${judged} judged to the end (the failures above say which)`);
  });
});
