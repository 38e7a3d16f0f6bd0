/**
 * Resolves a run's scope before it collects: reads the custom resource once (either kind) and
 * lets core/strategy.ts say which Deployment, host and cookie the run judges. The resolved scope
 * is recorded in the snapshot, so `mmgate evaluate` replays the same judgement offline.
 * Could-not-look keeps the configured scope: the installation collector then fails the same way
 * and every check that needs it is an error (fail closed).
 */
import type { CollectEnv } from '../../core/collector.js';
import type { MmgateConfig } from '../../core/config/schema.js';
import { UsageError } from '../../core/errors.js';
import type { Redactor } from '../../core/secrets.js';
import { ScopeError, scopeFor } from '../../core/strategy.js';
import type { Phase, Scope, Side } from '../../core/types.js';
import { installationCollector } from '../kube/collectors.js';

export async function resolveScope(base: Scope, config: MmgateConfig, configDir: string, redactor: Redactor, opts: { phase: Phase; side?: Side }): Promise<Scope> {
  const clients = new Map<string, Promise<unknown>>();
  const env = {
    config, configDir, phase: opts.phase, scope: base, target: {}, redactor, now: () => new Date(),
    signal: AbortSignal.timeout(10_000),
    need: () => Promise.reject(new Error('not available while resolving the scope')),
    shared: <T>(name: string, create: () => Promise<T>) => {
      if (!clients.has(name)) clients.set(name, create());
      return clients.get(name) as Promise<T>;
    },
  } as CollectEnv;
  let cr;
  try {
    cr = await installationCollector.collect(env);
  } catch {
    return base;
  }
  try {
    return scopeFor(cr, base, { phase: opts.phase, ...(opts.side ? { side: opts.side } : {}), hosts: config.mattermost?.hosts ?? {} });
  } catch (err) {
    if (err instanceof ScopeError) throw new UsageError(err.message, 'see docs/strategies.md for the sides of each strategy');
    throw err;
  }
}
