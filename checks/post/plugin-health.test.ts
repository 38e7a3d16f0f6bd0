import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PluginStatusEntry } from '../../core/mattermost-types.js';
import { runCheck } from '../../core/testing.js';
import { collectError } from '../../test/fixtures/post-upgrade.js';
import check from './plugin-health.js';

const st = (plugin_id: string, cluster_id: string, state: number, o: Partial<PluginStatusEntry> = {}): PluginStatusEntry => ({ plugin_id, cluster_id, state, version: '1.2.0', ...o });
const statuses = (...s: PluginStatusEntry[]) => ({ url: 'https://chat.example.com', statuses: s });
const node = (id: string, hostname: string) => ({ id, hostname, version: '11.7.1', schema_version: '1', config_hash: 'a', ipaddress: '' });
const CALLS = 'com.mattermost.calls';

describe('plugin-health', () => {
  it('passes when the expected plugin runs on every node', async () => {
    const r = await runCheck(check, { data: { pluginStatuses: statuses(st(CALLS, 'n1', 2), st(CALLS, 'n2', 2)) }, options: { expect: [{ id: CALLS, minVersion: '1.0.0' }] } });
    assert.equal(r.status, 'pass');
    assert.equal(r.measured?.['nodes'], 2);
  });

  it('passes with nothing expected and nothing failed (disabled plugins are fine)', async () => {
    const r = await runCheck(check, { data: { pluginStatuses: statuses(st('com.example.off', '', 0)) } });
    assert.equal(r.status, 'pass');
    assert.equal(r.measured?.['failedEntries'], 0);
  });

  it('fails on a failed plugin with its error text, naming the node by hostname', async () => {
    const r = await runCheck(check, {
      data: { pluginStatuses: statuses(st(CALLS, 'n1', 2), st(CALLS, 'n2', 3, { error: 'plugin requires Mattermost 12.0.0' })), clusterStatus: { url: 'x', nodes: [node('n1', 'mm-a'), node('n2', 'mm-b')] } },
      options: { expect: [{ id: CALLS }] },
    });
    assert.equal(r.status, 'fail');
    assert.match(r.findings[0]?.message ?? '', /com\.mattermost\.calls 1\.2\.0 is failed to start \(state 3\) on mm-b: plugin requires Mattermost 12\.0\.0/);
    assert.deepEqual(r.findings[0]?.evidence, ['plugin requires Mattermost 12.0.0']);
    assert.equal(r.findings[0]?.actual, 'failed to start (state 3)');
    assert.match(r.findings[0]?.remediation ?? '', /^the plugin failed on the new server: upgrade com\.mattermost\.calls to a version built for this Mattermost release/);
    assert.equal(r.findings.length, 1, 'an expected plugin that failed is reported once, not again as a failed plugin');
  });

  it('fails when an expected plugin is missing on a node the cluster lists', async () => {
    const r = await runCheck(check, {
      data: { pluginStatuses: statuses(st(CALLS, 'n1', 2)), clusterStatus: { url: 'x', nodes: [node('n1', 'mm-a'), node('n2', 'mm-b')] } },
      options: { expect: [{ id: CALLS }] },
    });
    assert.equal(r.status, 'fail');
    assert.match(r.findings[0]?.message ?? '', /not installed on mm-b/);
  });

  it('fails when an expected plugin is not installed at all', async () => {
    const r = await runCheck(check, { data: { pluginStatuses: statuses() }, options: { expect: [{ id: 'playbooks' }] } });
    assert.equal(r.status, 'fail');
    assert.match(r.findings[0]?.message ?? '', /playbooks is not installed on the server/);
  });

  it('fails below minVersion', async () => {
    const r = await runCheck(check, { data: { pluginStatuses: statuses(st(CALLS, '', 2, { version: '0.9.0' })) }, options: { expect: [{ id: CALLS, minVersion: '1.0.0' }] } });
    assert.equal(r.status, 'fail');
    assert.equal(r.findings[0]?.expected, '≥ 1.0.0');
    assert.equal(r.findings[0]?.actual, '0.9.0');
  });

  it('fails on any failed plugin (state 4), unless allowed', async () => {
    const data = { pluginStatuses: statuses(st('com.example.x', '', 4, { error: 'crashed' })) };
    const r = await runCheck(check, { data });
    assert.equal(r.status, 'fail');
    assert.equal(r.findings[0]?.message, 'plugin com.example.x 1.2.0 failed to stay running (state 4) on the server: crashed');
    assert.equal(r.findings[0]?.actual, 'failed to stay running (state 4)');
    assert.deepEqual(r.findings[0]?.evidence, ['crashed']);
    assert.equal((await runCheck(check, { data, options: { allowFailed: ['com.example.x'] } })).status, 'pass');
  });

  it('fails an expected but disabled plugin', async () => {
    const r = await runCheck(check, { data: { pluginStatuses: statuses(st(CALLS, '', 0)) }, options: { expect: [{ id: CALLS }] } });
    assert.equal(r.status, 'fail');
    assert.match(r.findings[0]?.message ?? '', /com\.mattermost\.calls .*is not running \(state 0\)/);
    assert.equal(r.findings[0]?.expected, 'running (state 2)');
    assert.match(r.findings[0]?.remediation ?? '', /^enable com\.mattermost\.calls \(System Console/);
  });

  it('is not applicable when plugins are disabled and none is expected; fails when one is', async () => {
    const data = { pluginStatuses: { url: 'x', statuses: [], pluginsDisabled: true } };
    const na = await runCheck(check, { data });
    assert.equal(na.status, 'not-applicable');
    assert.match(na.reason ?? '', /PluginSettings\.Enable/);
    const r = await runCheck(check, { data, options: { expect: [{ id: CALLS }] } });
    assert.equal(r.status, 'fail');
    assert.equal(r.findings[0]?.message, 'plugins are disabled on the server, so com.mattermost.calls cannot run');
    assert.deepEqual(r.measured, { plugins: 0, nodes: 0 });
  });

  it('errors without plugin statuses', async () => {
    const r = await runCheck(check, { data: { pluginStatuses: collectError('pluginStatuses', 'no admin token to ask /api/v4/plugins/statuses: set mattermost.admin.token') } });
    assert.equal(r.status, 'error');
    assert.match(r.error?.message ?? '', /mattermost\.admin\.token/);
  });

  it('rejects a bad minVersion in the options', () => {
    assert.throws(() => check.options.parse({ expect: [{ id: CALLS, minVersion: 'latest' }] }));
  });
  it('fails an unexpected plugin that failed to start (state 3)', async () => {
    const r = await runCheck(check, { data: { pluginStatuses: statuses(st('com.example.y', '', 3)) } });
    assert.equal(r.status, 'fail');
    assert.equal(r.findings[0]?.actual, 'failed to start (state 3)');
    assert.equal(r.findings[0]?.evidence, undefined);
  });

  it('fails when an expected plugin is missing on a third node the cluster lists', async () => {
    const r = await runCheck(check, {
      data: { pluginStatuses: statuses(st(CALLS, 'n1', 2), st(CALLS, 'n2', 2)), clusterStatus: { url: 'x', nodes: [node('n1', 'mm-a'), node('n2', 'mm-b'), node('n3', 'mm-c')] } },
      options: { expect: [{ id: CALLS }] },
    });
    assert.equal(r.status, 'fail');
    assert.deepEqual(r.findings.map((f) => f.message), ['plugin com.mattermost.calls is not installed on mm-c']);
  });

  it('does not add the cluster\'s nodes when they use other ids than the plugin statuses', async () => {
    const r = await runCheck(check, {
      data: { pluginStatuses: statuses(st(CALLS, 'abc', 2)), clusterStatus: { url: 'x', nodes: [node('xyz', 'mm-a')] } },
      options: { expect: [{ id: CALLS }] },
    });
    assert.equal(r.status, 'pass', JSON.stringify(r.findings));
    assert.equal(r.measured?.['nodes'], 1);
  });

  it('names a node the cluster does not list by its id', async () => {
    const r = await runCheck(check, {
      data: { pluginStatuses: statuses(st(CALLS, 'n1', 2), st('com.example.x', 'n9', 4)), clusterStatus: { url: 'x', nodes: [node('n1', 'mm-a')] } },
    });
    assert.equal(r.status, 'fail');
    assert.match(r.findings[0]?.message ?? '', / on node n9$/);
  });

  it('fails an expected plugin that is not installed though other plugins are', async () => {
    const r = await runCheck(check, { data: { pluginStatuses: statuses(st('com.example.other', '', 2)) }, options: { expect: [{ id: 'playbooks' }] } });
    assert.equal(r.status, 'fail');
    assert.equal(r.findings[0]?.message, 'plugin playbooks is not installed on the server');
  });

  it('passes a plugin at exactly its minVersion', async () => {
    const r = await runCheck(check, { data: { pluginStatuses: statuses(st(CALLS, '', 2, { version: '1.0.0' })) }, options: { expect: [{ id: CALLS, minVersion: '1.0.0' }] } });
    assert.equal(r.status, 'pass');
  });

  it('fails a running plugin without a version when a minVersion is required', async () => {
    const r = await runCheck(check, { data: { pluginStatuses: statuses(st(CALLS, '', 2, { version: '' })) }, options: { expect: [{ id: CALLS, minVersion: '1.0.0' }] } });
    assert.equal(r.status, 'fail');
    assert.equal(r.findings[0]?.message, 'plugin com.mattermost.calls runs an unknown version on the server, older than 1.0.0');
    assert.equal(r.findings[0]?.actual, 'unknown');
  });

  it('counts plugins, running and failed entries, and names the expected plugins in the summary', async () => {
    const r = await runCheck(check, {
      data: { pluginStatuses: statuses(st(CALLS, 'n1', 2), st(CALLS, 'n2', 2), st('com.example.x', 'n1', 3), st('com.example.y', 'n1', 4), st('com.example.off', 'n1', 0)) },
      options: { expect: [{ id: CALLS }], allowFailed: ['com.example.x', 'com.example.y'] },
    });
    assert.equal(r.status, 'pass');
    assert.deepEqual(r.measured, { plugins: 4, nodes: 2, runningEntries: 2, failedEntries: 2 });
    assert.equal(r.summary, '4 plugins on 2 node(s); 2 running entries; expected: com.mattermost.calls');
  });

  it('accepts the version forms a minVersion may take and rejects others', () => {
    for (const v of ['1.2', 'v10.20.30', '1.0.0-rc.1', '2.0.0-beta1']) assert.doesNotThrow(() => check.options.parse({ expect: [{ id: CALLS, minVersion: v }] }), v);
    for (const v of ['x1.0.0', '1.0.0x', '1', '1.0.0-', '1.0.0-rc_1']) assert.throws(() => check.options.parse({ expect: [{ id: CALLS, minVersion: v }] }), v);
  });
});
