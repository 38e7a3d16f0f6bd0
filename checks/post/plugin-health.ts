/**
 * Prevents promoting a server whose plugins did not survive the upgrade: a plugin built for the
 * old server can fail to start on the new one (a removed API, a min_server_version it no longer
 * meets, a crash on activation) and take Calls, Boards, Playbooks or an SSO integration away from
 * users, while the server itself is healthy. Every expected plugin must be running (state 2) at the
 * minimum version on every node, and no plugin may be failed (state 3 or 4).
 */
import { z } from 'zod';
import { defineCheck } from '../../core/check.js';
import { installationRef } from '../../core/mattermost.js';
import { PLUGIN_STATE, type PluginStatusEntry } from '../../core/mattermost-types.js';
import { outcomeOf } from '../../core/outcome.js';
import { present, type Finding } from '../../core/types.js';
import { compareVersions, parseVersion } from '../../core/version.js';

const STATE_NAME: Record<number, string> = { 0: 'not running', 1: 'starting', 2: 'running', 3: 'failed to start', 4: 'failed to stay running', 5: 'stopping' };
const stateName = (s: number): string => `${STATE_NAME[s] ?? 'unknown'} (state ${s})`;

export const pluginHealthCheck = defineCheck({
  meta: {
    id: 'plugin-health',
    phase: 'post',
    title: 'Expected plugins run on every node and no plugin has failed',
    failureTitle: 'Some plugins are missing, not running, too old, or failed after the upgrade',
    description: 'Reads /api/v4/plugins/statuses at the front door (admin token; one entry per plugin per cluster node): every plugin listed in the options\' expect must be running (state 2) on every node, at its minVersion when given, and no plugin may be in a failed state (3 failed to start, 4 failed to stay running), whose error text is shown.',
    requires: ['pluginStatuses'],
    optional: ['clusterStatus'],
    recommended: 'error',
  },
  options: z.strictObject({
    expect: z.array(z.strictObject({
      id: z.string().min(1).describe('Plugin id, e.g. com.mattermost.calls.'),
      minVersion: z.string().regex(/^v?\d+\.\d+(\.\d+)?(-[0-9A-Za-z.-]+)?$/, 'a version such as 1.0.0').optional().describe('Lowest acceptable version.'),
    })).default([]).describe('Plugins that must be running on every node.'),
    allowFailed: z.array(z.string().min(1)).default([]).describe('Plugin ids whose failed state does not fail the check (known broken, waived elsewhere).'),
  }),
  evaluate(input, ctx) {
    const statuses = input.pluginStatuses.statuses;
    const cluster = present(input.clusterStatus);
    const subject = installationRef(ctx.scope);
    if (input.pluginStatuses.pluginsDisabled) {
      if (ctx.options.expect.length === 0) return { status: 'not-applicable', reason: 'plugins are disabled on the server (PluginSettings.Enable is false) and none is expected' };
      return outcomeOf({
        fails: [{
          message: `plugins are disabled on the server, so ${ctx.options.expect.map((e) => e.id).join(', ')} cannot run`, subject,
          expected: 'plugins enabled, and the expected ones running', actual: 'PluginSettings.Enable is false (plugins/statuses answered 501)',
          remediation: 'set PluginSettings.Enable (MM_PLUGINSETTINGS_ENABLE=true) — did the upgrade change the configuration?',
        }],
        measured: { plugins: 0, nodes: 0 },
      });
    }
    // Nodes: those the plugin statuses name, plus those the cluster lists (a node missing from the statuses has no
    // plugins at all) — the latter only when the two lists are seen to use the same node ids.
    const sameIds = cluster?.nodes.some((n) => statuses.some((s) => s.cluster_id === n.id)) ?? false;
    const nodeIds = [...new Set([...statuses.map((s) => s.cluster_id), ...(sameIds ? cluster!.nodes.map((n) => n.id) : [])])];
    if (nodeIds.length === 0) nodeIds.push('');
    const nodeName = (id: string): string => cluster?.nodes.find((n) => n.id === id)?.hostname || (id ? `node ${id}` : 'the server');
    const fails: Finding[] = [];
    for (const exp of ctx.options.expect) {
      const min = parseVersion(exp.minVersion);
      for (const node of nodeIds) {
        const entry: PluginStatusEntry | undefined = statuses.find((s) => s.plugin_id === exp.id && s.cluster_id === node);
        if (!entry) {
          fails.push({
            message: `plugin ${exp.id} is not installed on ${nodeName(node)}`, subject, expected: `${exp.id} running${exp.minVersion ? ` ≥ ${exp.minVersion}` : ''}`, actual: 'not installed',
            remediation: `install and enable ${exp.id} (System Console → Plugins, or mmctl plugin add/enable); if it is installed, check the plugin directory is shared by every node`,
          });
          continue;
        }
        if (entry.state !== PLUGIN_STATE.Running) {
          fails.push({
            message: `plugin ${exp.id} ${entry.version ? `${entry.version} ` : ''}is ${stateName(entry.state)} on ${nodeName(node)}${entry.error ? `: ${entry.error}` : ''}`,
            subject, expected: 'running (state 2)', actual: stateName(entry.state),
            remediation: entry.state === PLUGIN_STATE.NotRunning
              ? `enable ${exp.id} (System Console → Plugins → Plugin Management)`
              : `the plugin failed on the new server: upgrade ${exp.id} to a version built for this Mattermost release, then re-enable it; see its error in the server log`,
            ...(entry.error ? { evidence: [entry.error] } : {}),
          });
          continue;
        }
        const have = parseVersion(entry.version);
        if (min && (!have || compareVersions(have, min) < 0)) {
          fails.push({
            message: `plugin ${exp.id} runs ${entry.version || 'an unknown version'} on ${nodeName(node)}, older than ${exp.minVersion}`,
            subject, expected: `≥ ${exp.minVersion}`, actual: entry.version || 'unknown',
            remediation: `upgrade ${exp.id} to ${exp.minVersion} or later`,
          });
        }
      }
    }
    const expected = new Set(ctx.options.expect.map((e) => e.id));
    for (const s of statuses) {
      if (expected.has(s.plugin_id) || ctx.options.allowFailed.includes(s.plugin_id)) continue;
      if (s.state === PLUGIN_STATE.FailedToStart || s.state === PLUGIN_STATE.FailedToStayRunning) {
        fails.push({
          message: `plugin ${s.plugin_id} ${s.version} ${stateName(s.state)} on ${nodeName(s.cluster_id)}${s.error ? `: ${s.error}` : ''}`,
          subject, expected: 'running, or disabled', actual: stateName(s.state),
          remediation: `upgrade ${s.plugin_id} to a version built for this Mattermost release, or disable it; list it under allowFailed to accept it`,
          ...(s.error ? { evidence: [s.error] } : {}),
        });
      }
    }
    const plugins = new Set(statuses.map((s) => s.plugin_id)).size;
    const running = statuses.filter((s) => s.state === PLUGIN_STATE.Running).length;
    return outcomeOf({
      fails,
      summary: `${plugins} plugins on ${nodeIds.length} node(s); ${running} running entries${ctx.options.expect.length ? `; expected: ${ctx.options.expect.map((e) => e.id).join(', ')}` : ''}`,
      measured: { plugins, nodes: nodeIds.length, runningEntries: running, failedEntries: statuses.filter((s) => s.state === 3 || s.state === 4).length },
    });
  },
});

export default pluginHealthCheck;
