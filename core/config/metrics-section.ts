/**
 * The `metrics:` config section: where the Mattermost servers' metrics come from, the window they
 * cover, how handlers group, and the user's own PromQL checks. The PromQL syntax of those checks
 * is checked before a run (core/config/promql.ts), so a typo exits 2 naming the key.
 */
import { z } from 'zod';
import { DURATION_PATTERN } from '../duration.js';

const duration = z.string().regex(DURATION_PATTERN, 'a duration such as 30s, 15m, 24h or 7d');

export const COMPARISONS = ['<', '<=', '>', '>=', '==', '!='] as const;
export type Comparison = (typeof COMPARISONS)[number];

export const promqlQuery = z.strictObject({
  name: z.string().regex(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/, 'kebab-case, such as p99-posts').describe('Its check id is promql-<name>.'),
  expr: z.string().min(1).describe('A PromQL expression; every sample of its answer is held to the threshold.'),
  comparison: z.enum(COMPARISONS).describe('How each value must compare with threshold to pass.'),
  threshold: z.number().refine(Number.isFinite, 'a finite number').describe('The limit, in the unit of expr.'),
  phase: z.enum(['pre', 'during', 'post']).default('post').describe('Run in preflight (pre), watch (during) or verify (post).'),
  level: z.enum(['off', 'warn', 'error']).default('error').describe('Its level when it fails.'),
  noData: z.enum(['error', 'warn']).default('error').describe('An empty answer is inconclusive: blocks (error) or warns.'),
  description: z.string().min(1).optional().describe('Why it matters, for the report.'),
});
export type PromqlQuery = z.output<typeof promqlQuery>;

export const metricsSection = z.strictObject({
  source: z.enum(['auto', 'prometheus', 'scrape']).default('auto').describe('auto: Prometheus when prometheus.url is set, else a direct scrape of each pod\'s /metrics (mattermost.metricsPort) through the pod proxy.'),
  window: duration.default('5m').describe('Prometheus: the metrics checks judge increase() over this window, ending now.'),
  scrapeInterval: duration.default('30s').describe('Direct scrape: time between the two scrapes of each pod; the checks judge what the pods served in between.'),
  minRequests: z.number().int().positive().default(50).describe('A handler group with fewer requests in the window is not judged (too few to tell); a pod under it over all handlers, or a rollout under it, is no data. A check\'s own minRequests option overrides it.'),
  traffic: z.boolean().default(false).describe('verify --traffic: send light read-only traffic through the smoke user\'s session while the metrics window runs (quiet hours still give data); logged out after.'),
  trafficRate: z.number().positive().max(50).default(5).describe('Requests a second --traffic sends through the front door.'),
  handlerGroups: z.record(z.string().min(1), z.string().min(1).refine((p) => { try { new RegExp(p); return true; } catch { return false; } }, 'a regular expression'))
    .default({}).describe('Handler groups judged together: name → regular expression over mattermost_api_time\'s handler label (whole match). A handler in no group is its own group; every pod is also judged over all handlers (*).'),
  queries: z.array(promqlQuery).default([]).refine((qs) => new Set(qs.map((q) => q.name)).size === qs.length, 'query names must be unique')
    .describe('Your own PromQL checks (need prometheus.url): each becomes the check promql-<name>.'),
}).default({ source: 'auto', window: '5m', scrapeInterval: '30s', minRequests: 50, traffic: false, trafficRate: 5, handlerGroups: {}, queries: [] }).describe('The Mattermost servers\' own metrics (metrics-health, error-rate, api-latency, your PromQL checks).');
