/**
 * metrics.queries become checks (promql-<name>), and their PromQL is parsed before a run with
 * Prometheus's own grammar (@prometheus-io/lezer-promql): a typo exits 2 naming the key, instead
 * of surfacing as a failed check half an hour into an upgrade night.
 */
import { promqlCheck, promqlCheckId } from '../../checks/promql-query.js';
import { ConfigError, type ConfigIssue } from '../errors.js';
import type { Registry } from '../registry.js';
import type { MmgateConfig } from './schema.js';

/** The position of the first syntax error in a PromQL expression, or undefined when it parses. */
export async function promqlSyntaxError(expr: string): Promise<number | undefined> {
  const { parser } = await import('@prometheus-io/lezer-promql');
  let at: number | undefined;
  parser.parse(expr).iterate({ enter: (n) => { if (n.type.isError && at === undefined) at = n.from; } });
  return at;
}

/** The registry with one check per metrics.queries entry; every problem is one ConfigError (exit 2). */
export async function withQueryChecks(registry: Registry, config: MmgateConfig, source: string): Promise<Registry> {
  const queries = config.metrics.queries;
  if (queries.length === 0) return registry;
  const issues: ConfigIssue[] = [];
  if (!config.prometheus) issues.push({ path: 'metrics.queries', message: 'PromQL checks need Prometheus', fix: 'set prometheus.url (and its auth), or remove metrics.queries' });
  for (const [i, q] of queries.entries()) {
    const at = await promqlSyntaxError(q.expr);
    if (at !== undefined) issues.push({ path: `metrics.queries[${i}].expr`, message: `not valid PromQL near character ${at + 1}: ${q.expr.slice(0, at)}⟨here⟩${q.expr.slice(at)}`, fix: 'fix the expression (try it in Prometheus\'s UI first)' });
    if (registry.checks.some((c) => c.meta.id === promqlCheckId(q))) issues.push({ path: `metrics.queries[${i}].name`, message: `check id "${promqlCheckId(q)}" is already taken`, fix: 'rename the query' });
  }
  if (issues.length) throw new ConfigError(source, issues);
  const added = queries.map(promqlCheck);
  const origin = new Map(registry.origin);
  queries.forEach((q, i) => origin.set(promqlCheckId(q), `metrics.queries[${i}]`));
  return { ...registry, checks: [...registry.checks, ...added].sort((a, b) => a.meta.id.localeCompare(b.meta.id)), origin };
}
