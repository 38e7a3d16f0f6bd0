/**
 * Where checks and collectors come from: the built-ins (checks/index.ts, collectors/index.ts) and
 * the user's plugin modules listed under `plugins:`. A plugin check runs exactly like a built-in.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Collector } from './collector.js';
import { ConfigError, errorMessage, type ConfigIssue } from './errors.js';
import { PHASES, type Check } from './types.js';

export interface Registry {
  readonly checks: readonly Check[];
  readonly collectors: ReadonlyMap<string, Collector>;
  /** Where each check came from: 'built-in' or the plugin path. */
  readonly origin: ReadonlyMap<string, string>;
}

const ID = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/** What a plugin module may export: `checks` and `collectors` arrays (named, or on a default export). */
interface PluginModule { checks?: unknown; collectors?: unknown; default?: { checks?: unknown; collectors?: unknown } }

export async function loadRegistry(pluginPaths: readonly string[], configDir: string): Promise<Registry> {
  const [{ builtinChecks }, { builtinCollectors }] = await Promise.all([import('../checks/index.js'), import('../collectors/index.js')]);
  const checks = new Map<string, Check>();
  const origin = new Map<string, string>();
  const collectors = new Map<string, Collector>();
  for (const c of builtinChecks) { checks.set(c.meta.id, c); origin.set(c.meta.id, 'built-in'); }
  for (const c of builtinCollectors) collectors.set(c.key, c);

  const issues: ConfigIssue[] = [];
  for (const [i, p] of pluginPaths.entries()) {
    const where = `plugins[${i}]`;
    const file = resolve(configDir, p);
    let mod: PluginModule;
    try {
      mod = (await import(pathToFileURL(file).href)) as PluginModule;
    } catch (err) {
      issues.push({ path: where, message: `cannot load ${file}: ${errorMessage(err).split('\n')[0]}`, fix: 'give a path (relative to the config file) to a compiled .js/.mjs module' });
      continue;
    }
    const pluginChecks = mod.checks ?? mod.default?.checks;
    const pluginCollectors = mod.collectors ?? mod.default?.collectors ?? [];
    if (!Array.isArray(pluginChecks) || pluginChecks.length === 0) {
      issues.push({ path: where, message: `${file} exports no checks`, fix: 'export const checks = [defineCheck({...})] (import defineCheck from "mmgate")' });
      continue;
    }
    for (const c of pluginChecks as Check[]) {
      const problem = checkShapeProblem(c);
      if (problem) { issues.push({ path: where, message: problem }); continue; }
      if (checks.has(c.meta.id)) { issues.push({ path: where, message: `check id "${c.meta.id}" is already defined by ${origin.get(c.meta.id)}`, fix: 'give the plugin check its own id' }); continue; }
      checks.set(c.meta.id, c);
      origin.set(c.meta.id, p);
    }
    if (Array.isArray(pluginCollectors)) {
      for (const col of pluginCollectors as Collector[]) {
        if (!col || typeof col.key !== 'string' || typeof col.collect !== 'function') { issues.push({ path: where, message: 'a collector needs a key and a collect(env) function' }); continue; }
        if (collectors.has(col.key)) { issues.push({ path: where, message: `collector key "${col.key}" already exists`, fix: 'prefix plugin keys, e.g. "acme.sso"' }); continue; }
        collectors.set(col.key, col);
      }
    }
  }
  if (issues.length) throw new ConfigError('plugins', issues);
  return { checks: [...checks.values()].sort((a, b) => a.meta.id.localeCompare(b.meta.id)), collectors, origin };
}

function checkShapeProblem(c: Check): string | undefined {
  const m = c?.meta;
  if (!m || typeof c.evaluate !== 'function') return 'a check must be made with defineCheck({ meta, options?, evaluate })';
  if (typeof m.id !== 'string' || !ID.test(m.id)) return `check id ${JSON.stringify(m.id)} must be kebab-case`;
  for (const f of ['title', 'failureTitle', 'description'] as const) if (typeof m[f] !== 'string' || !m[f]) return `check "${m.id}" has no ${f}`;
  if (!(PHASES as readonly string[]).includes(m.phase)) return `check "${m.id}" needs phase ${PHASES.map((p) => `"${p}"`).join(', ')}`;
  if (!Array.isArray(m.requires)) return `check "${m.id}" needs requires: [...]`;
  return undefined;
}
