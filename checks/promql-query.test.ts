import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { promqlQuery, type PromqlQuery } from '../core/config/metrics-section.js';
import { runCheck } from '../core/testing.js';
import type { PromqlAnswer } from './promql-query.js';
import { promqlCheck, promqlCheckId } from './promql-query.js';

const EXPR = 'sum by (pod) (up{job="mattermost"})';
const query = (q: Partial<PromqlQuery> = {}): PromqlQuery => promqlQuery.parse({ name: 'pods-up', expr: EXPR, comparison: '>=', threshold: 1, ...q });
const answer = (...values: number[]): PromqlAnswer => ({ expr: EXPR, samples: values.map((value, i) => ({ metric: { pod: `mm-${i}` }, value })) });
const run = (q: PromqlQuery, a: PromqlAnswer | undefined) => runCheck(promqlCheck(q), { data: { promqlResults: a ? { [q.name]: a } : {} } });
/** The status of one sample of `value` held to `comparison threshold`. */
const verdict = async (comparison: PromqlQuery['comparison'], value: number, threshold = 5) => (await run(query({ comparison, threshold }), answer(value))).status;

describe('promql-query (metrics.queries)', () => {
  it('is the check promql-<name> of the query\'s phase, at the query\'s level', () => {
    const c = promqlCheck(query({ phase: 'during', level: 'warn' }));
    assert.equal(c.meta.id, 'promql-pods-up');
    assert.equal(promqlCheckId({ name: 'pods-up' }), 'promql-pods-up');
    assert.equal(c.meta.phase, 'during');
    assert.equal(c.meta.recommended, 'warn');
    assert.deepEqual(c.meta.requires, ['promqlResults']);
  });

  it('passes when every sample holds, reporting the count, the smallest and the largest value', async () => {
    const r = await run(query(), answer(3, 1, 2));
    assert.equal(r.status, 'pass', JSON.stringify(r.findings));
    assert.deepEqual(r.measured, { samples: 3, min: 1, max: 3, judged: 3, inconclusive: false, noData: 'error' });
    assert.match(r.summary ?? '', /^3 sample\(s\) of `sum by \(pod\) \(up\{job="mattermost"\}\)` held to >= 1$/);
  });

  it('fails each sample that breaks the threshold, naming its series and value', async () => {
    const r = await run(query(), { expr: EXPR, samples: [{ metric: { pod: 'mm-a', job: 'mattermost' }, value: 0 }, { metric: { pod: 'mm-b' }, value: 1 }, { metric: {}, value: 0.5 }] });
    assert.equal(r.status, 'fail');
    assert.deepEqual(r.findings.map((f) => f.message), ['{pod="mm-a", job="mattermost"} = 0, not >= 1', '{} = 0.5, not >= 1']);
    assert.deepEqual(r.findings[0]!.subject, { kind: 'PromQL', name: 'pods-up' });
    assert.equal(r.findings[0]!.expected, '>= 1');
    assert.equal(r.findings[0]!.actual, '0');
    assert.match(r.findings[0]!.remediation ?? '', /Look into what `sum by \(pod\) \(up\{job="mattermost"\}\)` measures for \{pod="mm-a", job="mattermost"\}/);
  });

  it('the query\'s description is the remediation of a failing sample', async () => {
    const r = await run(query({ description: 'Every pod must be scraped: restart Prometheus\'s target discovery.' }), answer(0));
    assert.equal(r.findings[0]!.remediation, 'Every pod must be scraped: restart Prometheus\'s target discovery.');
  });

  it('holds each comparison at its edge: equal to the threshold passes <=, >=, == and fails <, >, !=', async () => {
    const at = { '<': 'fail', '<=': 'pass', '>': 'fail', '>=': 'pass', '==': 'pass', '!=': 'fail' } as const;
    const below = { '<': 'pass', '<=': 'pass', '>': 'fail', '>=': 'fail', '==': 'fail', '!=': 'pass' } as const;
    const above = { '<': 'fail', '<=': 'fail', '>': 'pass', '>=': 'pass', '==': 'fail', '!=': 'pass' } as const;
    for (const c of Object.keys(at) as (keyof typeof at)[]) {
      assert.equal(await verdict(c, 5), at[c], `5 ${c} 5`);
      assert.equal(await verdict(c, 4.9), below[c], `4.9 ${c} 5`);
      assert.equal(await verdict(c, 5.1), above[c], `5.1 ${c} 5`);
    }
  });

  it('a value that is not a number (NaN, ±Inf) fails whatever the comparison, and is left out of min and max', async () => {
    assert.equal(await verdict('!=', Number.NaN), 'fail', 'NaN != 5 is true in JavaScript; it is still no number');
    assert.equal(await verdict('>', Number.POSITIVE_INFINITY), 'fail');
    assert.equal(await verdict('<', Number.NEGATIVE_INFINITY), 'fail');
    const r = await run(query(), answer(2, Number.NaN, 4));
    assert.equal(r.status, 'fail');
    assert.deepEqual(r.findings.map((f) => f.actual), ['NaN']);
    assert.deepEqual([r.measured?.['min'], r.measured?.['max'], r.measured?.['samples']], [2, 4, 3]);
    const none = await run(query(), answer(Number.NaN));
    assert.equal('min' in (none.measured ?? {}) || 'max' in (none.measured ?? {}), false);
  });

  it('an empty answer is no data: inconclusive, never a pass, blocking by default', async () => {
    for (const a of [answer(), undefined]) {
      const r = await run(query(), a);
      assert.equal(r.status, 'error', JSON.stringify(a));
      assert.equal(r.error?.code, 'NO_DATA');
      assert.equal(r.findings.length, 1);
      const f = r.findings[0]!;
      assert.deepEqual(f.subject, { kind: 'PromQL', name: 'pods-up' });
      assert.equal(f.expected, 'samples >= 1');
      assert.equal(f.actual, 'no data');
      assert.match(f.remediation ?? '', /namespace mattermost/);
      assert.deepEqual(r.measured, { samples: 0, judged: 0, inconclusive: true, noData: 'error' });
    }
  });

  it('with noData: warn an empty answer only warns', async () => {
    const r = await run(query({ noData: 'warn' }), answer());
    assert.equal(r.status, 'warn');
    assert.equal(r.findings[0]!.actual, 'no data');
    assert.match(r.summary ?? '', /^0 sample\(s\) .* noData is warn, so it only warns$/);
  });

  it('no promqlResults collected at all cannot pass', async () => {
    const r = await runCheck(promqlCheck(query()), { data: {} });
    assert.equal(r.status, 'error');
    assert.equal(r.error?.code, 'COLLECTOR_FAILED');
  });
});
