/**
 * A CollectEnv for calling one collector directly in a test: config parsed by the real schema,
 * `need` runs the other given collectors (once each), `shared` memoises like the runner.
 */
import type { Collector, CollectEnv } from '../core/collector.js';
import { configSchema, type MmgateConfigInput } from '../core/config/schema.js';
import { Redactor } from '../core/secrets.js';
import type { SnapshotKey } from '../core/types.js';

export interface TestEnvOptions {
  readonly config: MmgateConfigInput;
  readonly configDir?: string;
  readonly baselinePath?: string;
  readonly now?: Date;
  readonly collectors?: readonly Collector[];
  readonly redactor?: Redactor;
  readonly signal?: AbortSignal;
}

export function testEnv(o: TestEnvOptions): CollectEnv & { readonly redactor: Redactor } {
  const config = configSchema.parse(o.config);
  const shared = new Map<string, Promise<unknown>>();
  const results = new Map<string, Promise<unknown>>();
  const redactor = o.redactor ?? new Redactor();
  const env: CollectEnv & { readonly redactor: Redactor } = {
    config, configDir: o.configDir ?? process.cwd(), phase: 'pre',
    scope: { namespace: config.kube.namespace, installation: config.kube.installation, ...(config.kube.context ? { context: config.kube.context } : {}) },
    target: { version: '11.7.1' }, signal: o.signal ?? new AbortController().signal,
    now: () => o.now ?? new Date(), redactor,
    ...(o.baselinePath ? { baselinePath: o.baselinePath } : {}),
    need: async <K extends SnapshotKey>(key: K) => {
      const c = o.collectors?.find((x) => x.key === key);
      if (!c) throw new Error(`test env has no collector for ${key}`);
      if (!results.has(key)) results.set(key, c.collect(env));
      return results.get(key) as never;
    },
    shared: <T>(name: string, create: () => Promise<T>) => {
      if (!shared.has(name)) shared.set(name, create());
      return shared.get(name) as Promise<T>;
    },
  };
  return env;
}
