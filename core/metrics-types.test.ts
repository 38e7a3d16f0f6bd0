import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ALL_HANDLERS, groupOf, histogramQuantile, summarise, type ApiSeries } from './metrics-types.js';

const inf = Infinity;

describe('histogramQuantile (Prometheus bucketQuantile)', () => {
  it('interpolates inside the bucket the rank falls in', () => {
    // 100 observations: 50 ≤ 0.1, 90 ≤ 0.25, 100 ≤ 0.5. p50 = 0.1 exactly, p99 in (0.25, 0.5].
    const b = [[0.1, 50], [0.25, 90], [0.5, 100], [inf, 100]] as const;
    assert.equal(histogramQuantile(0.5, b), 0.1);
    assert.ok(Math.abs(histogramQuantile(0.99, b)! - (0.25 + 0.25 * (99 - 90) / 10)) < 1e-12);
    // The lowest bucket starts at 0.
    assert.equal(histogramQuantile(0.25, b), 0.05);
  });
  it('answers the highest finite bound for a rank in +Inf, null without observations or +Inf', () => {
    assert.equal(histogramQuantile(0.99, [[0.1, 1], [1, 2], [inf, 10]]), 1);
    assert.equal(histogramQuantile(0.99, [[0.1, 0], [inf, 0]]), null);
    assert.equal(histogramQuantile(0.99, [[0.1, 3], [1, 4]]), null);
  });
  it('makes counts monotonic first, as Prometheus does', () => {
    assert.equal(histogramQuantile(0.5, [[0.1, 6], [0.25, 5], [inf, 10]]), histogramQuantile(0.5, [[0.1, 6], [0.25, 6], [inf, 10]]));
  });
});

describe('summarise', () => {
  const s = (handler: string, statusCode: string, fast: number, slow: number): ApiSeries =>
    ({ pod: 'p', handler, statusCode, buckets: [[0.05, fast], [0.5, fast + slow], [inf, fast + slow]] });
  it('counts 5xx (not 4xx) per handler group and over all handlers', () => {
    const g = summarise([s('createPost', '201', 90, 0), s('createPost', '500', 5, 5), s('getPost', '404', 10, 0)], { posts: 'createPost|getPost' });
    assert.deepEqual([g['posts']?.requests, g['posts']?.errors], [110, 10]);
    assert.equal(g[ALL_HANDLERS]?.ratio, 10 / 110);
    assert.equal(g['createPost'], undefined);
  });
  it('p99 in ms from the merged buckets', () => {
    const g = summarise([s('getPing', '200', 98, 2)], {});
    assert.equal(g['getPing']?.p99Ms, 275);
    assert.equal(g['getPing']?.p50Ms, 25.5);
  });
  it('a handler in no group is its own group; patterns match whole names', () => {
    assert.equal(groupOf('getPosts', { posts: 'getPost' }), 'getPosts');
    assert.equal(groupOf('getPost', { posts: 'getPost' }), 'posts');
  });
});
