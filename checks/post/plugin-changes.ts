/**
 * Catches plugins the upgrade took away: a new version can replace, remove or disable prepackaged
 * plugins (and a migration can switch one off), and users lose Calls, Playbooks or an SSO
 * integration while the server looks healthy. The plugin set at verify is compared with the one
 * preflight recorded: a plugin that ran then and is gone or disabled now is a finding; version
 * changes are listed, a major one at the level the options give.
 */
import { z } from 'zod';
import { fromBaseline } from '../../core/baseline.js';
import { defineCheck } from '../../core/check.js';
import { withoutBaseline } from '../../core/identity.js';
import { installationRef } from '../../core/mattermost.js';
import { PLUGIN_STATE, type PluginStatuses } from '../../core/mattermost-types.js';
import { outcomeOf } from '../../core/outcome.js';
import type { Change, Finding } from '../../core/types.js';
import { parseVersion } from '../../core/version.js';

const level = z.enum(['fail', 'warn', 'info']);
type Level = z.infer<typeof level>;

interface PluginView { readonly versions: string; readonly running: boolean; readonly states: string }

const STATE: Record<number, string> = { 0: 'not running', 1: 'starting', 2: 'running', 3: 'failed to start', 4: 'failed to stay running', 5: 'stopping' };

/** Each plugin once: its version(s), whether it runs on some node, and its states across nodes. */
function plugins(p: PluginStatuses): Map<string, PluginView> {
  const out = new Map<string, PluginView>();
  for (const id of new Set(p.statuses.map((s) => s.plugin_id))) {
    const entries = p.statuses.filter((s) => s.plugin_id === id);
    out.set(id, {
      versions: [...new Set(entries.map((e) => e.version || '?'))].sort().join(', '),
      running: entries.some((e) => e.state === PLUGIN_STATE.Running),
      states: [...new Set(entries.map((e) => STATE[e.state] ?? `state ${e.state}`))].sort().join(', '),
    });
  }
  return out;
}

const major = (v: string): number | undefined => parseVersion(v.split(', ')[0])?.major;

export const pluginChangesCheck = defineCheck({
  meta: {
    id: 'plugin-changes',
    phase: 'post',
    title: 'No plugin that ran before the upgrade was removed or disabled',
    failureTitle: 'The upgrade removed or disabled plugins that ran before it',
    description: 'Compares /api/v4/plugins/statuses (admin token) with the plugin set preflight recorded (verify --baseline). A plugin that was running and is now gone or not running (disabled) is judged at `removed`/`disabled`; a major version change at `majorVersion`; per plugin through `plugins`. Every difference is listed in "what changed"; plugins that now fail to start are plugin-health\'s to judge.',
    requires: ['pluginStatuses'],
    baseline: ['pluginStatuses'],
    recommended: 'error',
  },
  options: z.strictObject({
    removed: level.default('fail').describe('A plugin that ran at preflight and is gone now: fail, warn or info (listed only).'),
    disabled: level.default('fail').describe('A plugin that ran at preflight and is installed but not running (disabled) now.'),
    majorVersion: level.default('info').describe('A plugin whose major version changed.'),
    plugins: z.record(z.string().min(1), z.strictObject({ removed: level.optional(), disabled: level.optional(), majorVersion: level.optional() }))
      .default({}).describe('Levels for one plugin id, over the ones above (e.g. { com.mattermost.apps: { removed: info } }).'),
  }),
  evaluate(input, ctx) {
    const subject = installationRef(ctx.scope);
    const base = fromBaseline(input.baseline, 'pluginStatuses');
    if (!base.ok) return withoutBaseline(base, 'plugin set', subject);
    const before = plugins(base.value);
    const after = plugins(input.pluginStatuses);
    const fails: Finding[] = [];
    const warns: Finding[] = [];
    const changes: Change[] = [];
    const levelOf = (id: string, what: 'removed' | 'disabled' | 'majorVersion'): Level => ctx.options.plugins[id]?.[what] ?? ctx.options[what];
    const judge = (id: string, what: 'removed' | 'disabled' | 'majorVersion', f: Finding): Change['judged'] => {
      const l = levelOf(id, what);
      if (l === 'info') return 'info';
      (l === 'fail' ? fails : warns).push(f);
      return 'finding';
    };
    const off = input.pluginStatuses.pluginsDisabled ? ' (plugins are disabled on the server: PluginSettings.Enable is false)' : '';
    for (const [id, b] of before) {
      const a = after.get(id);
      if (!a) {
        const judged = b.running
          ? judge(id, 'removed', { message: `plugin ${id} ${b.versions} ran at preflight and is gone now${off}`, subject, expected: `${id} running, as at preflight`, actual: 'not installed', remediation: `reinstall and enable ${id} (System Console → Plugins, or mmctl plugin add/enable) if it is still needed, or list it under plugins: { ${id}: { removed: info } }` })
          : 'info';
        changes.push({ area: 'plugin', item: id, before: `${b.versions} (${b.states})`, after: '(none)', judged });
        continue;
      }
      let judged: Change['judged'] = 'info';
      if (b.running && !a.running && /not running/.test(a.states)) {
        judged = judge(id, 'disabled', { message: `plugin ${id} ran at preflight and is ${a.states} now (disabled)`, subject, expected: 'running, as at preflight', actual: a.states, remediation: `enable ${id} again (System Console → Plugins → Plugin Management, or mmctl plugin enable ${id}), or list it under plugins: { ${id}: { disabled: info } }` });
      }
      const mb = major(b.versions);
      const ma = major(a.versions);
      if (mb !== undefined && ma !== undefined && mb !== ma) {
        const j = judge(id, 'majorVersion', { message: `plugin ${id} moved from ${b.versions} to ${a.versions}: a new major version`, subject, expected: `major version ${mb}`, actual: a.versions, remediation: `read ${id}'s release notes for the breaking changes, or set plugins: { ${id}: { majorVersion: info } }` });
        if (j === 'finding') judged = 'finding';
      }
      if (b.versions !== a.versions || b.states !== a.states) changes.push({ area: 'plugin', item: id, before: `${b.versions} (${b.states})`, after: `${a.versions} (${a.states})`, judged });
    }
    for (const [id, a] of after) if (!before.has(id)) changes.push({ area: 'plugin', item: id, before: '(none)', after: `${a.versions} (${a.states})`, judged: 'info' });
    return outcomeOf({
      fails, warns, changes,
      summary: `${after.size} plugins now, ${before.size} at preflight; ${changes.length} changed`,
      measured: { pluginsBefore: before.size, pluginsAfter: after.size, changed: changes.length },
    });
  },
});

export default pluginChangesCheck;
