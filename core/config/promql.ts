/**
 * metrics.queries become checks (promql-<name>), and every PromQL of the config (those checks, site
 * drains, the replication lag query) is parsed before a run with
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

/** Every PromQL expression of the config (checks, site drains, replication lag), with its key. */
function expressions(config: MmgateConfig): { path: string; expr: string }[] {
  return [
    ...config.metrics.queries.map((q, i) => ({ path: `metrics.queries[${i}].expr`, expr: q.expr })),
    ...(config.sites ?? []).flatMap((s, i) => (s.drain?.query ? [{ path: `sites[${i}].drain.query`, expr: s.drain.query }] : [])),
    ...(config.database?.replication.query ? [{ path: 'database.replication.query', expr: config.database.replication.query }] : []),
  ];
}

/** The PromQL of the config that does not parse, or needs a Prometheus that is not configured. */
async function promqlIssues(config: MmgateConfig): Promise<ConfigIssue[]> {
  const issues: ConfigIssue[] = [];
  const all = expressions(config);
  if (all.length && !config.prometheus) issues.push({ path: all[0]!.path, message: 'PromQL needs Prometheus', fix: `set prometheus.url (and its auth), or remove ${all.map((e) => e.path).join(', ')}` });
  for (const { path, expr } of all) {
    const at = await promqlSyntaxError(expr);
    if (at !== undefined) issues.push({ path, message: `not valid PromQL near character ${at + 1}: ${expr.slice(0, at)}⟨here⟩${expr.slice(at)}`, fix: 'fix the expression (try it in Prometheus\'s UI first)' });
  }
  return issues;
}

/** The registry with one check per metrics.queries entry; every problem of the config's PromQL is one ConfigError (exit 2). */
export async function withQueryChecks(registry: Registry, config: MmgateConfig, source: string): Promise<Registry> {
  const queries = config.metrics.queries;
  const issues = await promqlIssues(config);
  for (const [i, q] of queries.entries()) {
    if (registry.checks.some((c) => c.meta.id === promqlCheckId(q))) issues.push({ path: `metrics.queries[${i}].name`, message: `check id "${promqlCheckId(q)}" is already taken`, fix: 'rename the query' });
  }
  if (issues.length) throw new ConfigError(source, issues);
  if (queries.length === 0) return registry;
  const added = queries.map(promqlCheck);
  const origin = new Map(registry.origin);
  queries.forEach((q, i) => origin.set(promqlCheckId(q), `metrics.queries[${i}]`));
  return { ...registry, checks: [...registry.checks, ...added].sort((a, b) => a.meta.id.localeCompare(b.meta.id)), origin };
}
