/**
 * The metrics scenarios judged from both sources — a real Prometheus (the Debian binary, scraping
 * the lab's pods through the pod proxy) and the direct scrape of each pod's /metrics — on the same
 * lab: each source gives the scenario's expected verdict, and both give the same verdict where
 * the scenario does not take one of them away. Prints the metrics phase's wall time per source.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { parse, stringify } from 'yaml';
import type { Phase, RunReport } from '../core/types.js';
import { startLab } from '../lab/index.js';
import { PROMETHEUS_BIN } from '../lab/prometheus.js';
import { buildScenario, preUpgradeScenario, type ScenarioExpect } from '../lab/scenario.js';
import { judge } from './judge.js';

type Source = 'prometheus' | 'scrape';
const SOURCES: readonly Source[] = ['prometheus', 'scrape'];
const SCENARIOS = ['metrics-healthy', 'latency-regression', 'error-rate-one-pod', 'metrics-unlicensed', 'prometheus-no-data'];
/** Where a source sees what the scenario's own config (its default source) does not. */
const BY_SOURCE: Record<string, Partial<Record<Source, ScenarioExpect>>> = {
  // Prometheus lacks the new pods' series; their own /metrics are fine.
  'prometheus-no-data': { scrape: { verify: { verdict: 'promote', blocking: [] } } },
};
const METRICS_CHECKS = new Set(['metrics-health', 'error-rate', 'api-latency']);

const tmp = mkdtempSync(join(tmpdir(), 'mmgate-metrics-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

/** The lab's mmgate.yaml with metrics.source pinned, beside it (relative paths keep working). */
function configFor(labConfig: string, source: Source): string {
  const doc = parse(readFileSync(labConfig, 'utf8')) as Record<string, Record<string, unknown>>;
  doc['metrics'] = { ...doc['metrics'], source };
  const path = labConfig.replace(/\.yaml$/, `.${source}.yaml`);
  writeFileSync(path, stringify(doc));
  return path;
}

const explain = (r: RunReport) => r.results.filter((x) => x.status !== 'pass' && x.status !== 'skipped' && x.status !== 'not-applicable')
  .map((x) => `${x.id}=${x.status}: ${x.error?.message ?? x.findings.map((f) => f.message).join(' | ')}`).join('\n');

describe('metrics scenarios from Prometheus and from the direct scrape', { skip: !existsSync(PROMETHEUS_BIN) && `${PROMETHEUS_BIN} is not installed (apt-get install prometheus)` }, () => {
  for (const name of SCENARIOS) {
    it(name, async (t) => {
      const built = await buildScenario(name);
      const baselines = new Map<Source, string>();
      if (built.expect.verify) {
        const before = await startLab(preUpgradeScenario(name) ?? name, join(tmp, `${name}-before`), { prometheus: true });
        try {
          for (const source of SOURCES) {
            const path = join(tmp, `${name}.${source}.preflight.snapshot.json`);
            writeFileSync(path, JSON.stringify((await judge(configFor(before.paths.config, source), 'pre')).snapshot));
            baselines.set(source, path);
          }
        } finally {
          await before.close();
        }
      }
      const lab = await startLab(name, join(tmp, name), { prometheus: true });
      try {
        for (const [phase, expectedDefault] of Object.entries(built.expect) as [string, { verdict: string; blocking: string[] | Record<string, string> }][]) {
          if (phase === 'watch') continue;
          const verdicts = new Map<Source, string>();
          for (const source of SOURCES) {
            const expected = (BY_SOURCE[name]?.[source] as Record<string, { verdict: string; blocking: string[] | Record<string, string> }> | undefined)?.[phase] ?? expectedDefault;
            const p: Phase = phase === 'preflight' ? 'pre' : 'post';
            const { report } = await judge(configFor(lab.paths.config, source), p, p === 'post' ? baselines.get(source) : undefined);
            const metricsRun = report.collectors.find((c) => c.key === 'serverMetrics');
            t.diagnostic(`${name} ${phase} from ${source}: ${report.verdict.headline}; serverMetrics ${metricsRun?.durationMs} ms, run ${report.durationMs} ms`);
            assert.equal(report.verdict.promote ? 'promote' : 'blocked', expected.verdict, `${name} ${phase} from ${source}: ${report.verdict.headline}\n${explain(report)}`);
            assert.deepEqual([...report.verdict.blocking].sort(), (Array.isArray(expected.blocking) ? [...expected.blocking] : Object.keys(expected.blocking)).sort(), `${name} ${phase} from ${source}\n${explain(report)}`);
            const judged = report.results.filter((r) => METRICS_CHECKS.has(r.id));
            assert.ok(judged.length > 0 && judged.every((r) => r.measured?.['source'] === source), `${name}: the metrics checks read ${source}`);
            verdicts.set(source, judged.map((r) => `${r.id}=${r.status}`).join(','));
          }
          if (!BY_SOURCE[name]) assert.equal(verdicts.get('prometheus'), verdicts.get('scrape'), `${name} ${phase}: PromQL and the direct scrape disagree`);
        }
      } finally {
        await lab.close();
      }
    });
  }
});
