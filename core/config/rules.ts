/**
 * Rules that need the registry (so they run after plugins load): every id in `checks:` and
 * `waivers:` must exist, and per-check options must match that check's schema.
 */
import { ConfigError, dottedPath, UsageError, type ConfigIssue } from '../errors.js';
import { PHASE_COMMAND, type Check, type Phase } from '../types.js';
import { suggest } from './load.js';
import type { MmgateConfig } from './schema.js';

export function resolveCheckOptions(config: MmgateConfig, checks: readonly Check[], source: string): Map<string, unknown> {
  const byId = new Map(checks.map((c) => [c.meta.id, c]));
  const issues: ConfigIssue[] = [];
  const unknown = (path: string, id: string): void => {
    const s = suggest(id, byId.keys());
    issues.push({ path, message: `unknown check "${id}"`, fix: s ? `did you mean "${s}"? (mmgate checks lists them)` : 'run `mmgate checks` for the list of ids' });
  };
  const options = new Map<string, unknown>();
  for (const [id, entry] of Object.entries(config.checks)) {
    const check = byId.get(id);
    if (!check) { unknown(`checks.${id}`, id); continue; }
    const given = Array.isArray(entry) && entry.length === 2 ? entry[1] : {};
    const parsed = check.options.safeParse(given);
    if (parsed.success) options.set(id, parsed.data);
    else for (const i of parsed.error.issues) {
      const extra = i.code === 'unrecognized_keys' ? `unknown option ${i.keys.map((k) => `"${k}"`).join(', ')}` : i.message;
      issues.push({ path: `checks.${id}[1]${i.path.length ? `.${dottedPath(i.path)}` : ''}`, message: extra, fix: `see \`mmgate explain ${id}\` for its options` });
    }
  }
  for (const c of checks) {
    if (options.has(c.meta.id)) continue;
    // A check (from a plugin) whose options have no defaults needs them in config.
    const parsed = c.options.safeParse({});
    if (parsed.success) options.set(c.meta.id, parsed.data);
    else issues.push({ path: `checks.${c.meta.id}`, message: `needs options: ${parsed.error.issues.map((i) => `${dottedPath(i.path)} ${i.message}`).join('; ')}`, fix: `give them: checks: { ${c.meta.id}: [error, { … }] }` });
  }
  config.waivers.forEach((w, i) => { if (!byId.has(w.check)) unknown(`waivers[${i}].check`, w.check); });
  if (issues.length) throw new ConfigError(source, issues);
  return options;
}

/** --only, --skip and --ignore name checks too: a typo there must not silently widen the gate. */
export function assertKnownIds(flag: string, ids: readonly string[], checks: readonly Check[], phase?: Phase): void {
  const known = checks.map((c) => c.meta.id);
  for (const id of ids) {
    const check = checks.find((c) => c.meta.id === id);
    if (!check) {
      const s = suggest(id, known);
      throw new UsageError(`${flag} ${id}: no such check`, s ? `did you mean "${s}"? (mmgate checks lists them)` : 'run `mmgate checks` for the list of ids');
    }
    if (phase && check.meta.phase !== phase) {
      throw new UsageError(`${flag} ${id}: a check of mmgate ${PHASE_COMMAND[check.meta.phase]}, not of mmgate ${PHASE_COMMAND[phase]}`, `run it with mmgate ${PHASE_COMMAND[check.meta.phase]}`);
    }
  }
}
