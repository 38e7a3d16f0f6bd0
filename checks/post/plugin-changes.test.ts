import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PluginStatuses } from '../../core/mattermost-types.js';
import { runCheck } from '../../core/testing.js';
import { preflightBaseline } from '../fixtures.js';
import { pluginChangesCheck } from './plugin-changes.js';

const set = (plugins: [string, string, number][]): PluginStatuses => ({
  url: 'https://chat.example.com',
  statuses: ['n1', 'n2'].flatMap((node) => plugins.map(([plugin_id, version, state]) => ({ plugin_id, cluster_id: node, version, state }))),
});
const base = (value: PluginStatuses) => preflightBaseline({ pluginStatuses: value });
const before = base(set([['playbooks', '2.4.1', 2], ['com.mattermost.calls', '1.9.2', 2], ['com.mattermost.nps', '1.3.0', 0]]));

describe('plugin-changes', () => {
  it('a version bump passes and is listed', async () => {
    const r = await runCheck(pluginChangesCheck, { data: { pluginStatuses: set([['playbooks', '2.5.0', 2], ['com.mattermost.calls', '1.9.2', 2], ['com.mattermost.nps', '1.3.0', 0]]), baseline: before } });
    assert.equal(r.status, 'pass');
    assert.deepEqual(r.changes, [{ area: 'plugin', item: 'playbooks', before: '2.4.1 (running)', after: '2.5.0 (running)', judged: 'info' }]);
  });
  it('a running plugin that is gone fails; one that was disabled before is only listed', async () => {
    const r = await runCheck(pluginChangesCheck, { data: { pluginStatuses: set([['playbooks', '2.4.1', 2]]), baseline: before } });
    assert.equal(r.status, 'fail');
    assert.deepEqual(r.findings.map((f) => f.message), ['plugin com.mattermost.calls 1.9.2 ran at preflight and is gone now']);
    assert.deepEqual(r.changes?.map((c) => `${c.item}:${c.judged}`), ['com.mattermost.calls:finding', 'com.mattermost.nps:info']);
  });
  it('a running plugin that is disabled now fails', async () => {
    const r = await runCheck(pluginChangesCheck, { data: { pluginStatuses: set([['playbooks', '2.4.1', 2], ['com.mattermost.calls', '1.9.2', 0], ['com.mattermost.nps', '1.3.0', 0]]), baseline: before } });
    assert.equal(r.status, 'fail');
    assert.match(r.findings[0]!.message, /com.mattermost.calls ran at preflight and is not running now \(disabled\)/);
  });
  it('levels per plugin: a removal listed as info, a major version at warn', async () => {
    const r = await runCheck(pluginChangesCheck, {
      data: { pluginStatuses: set([['playbooks', '3.0.0', 2], ['com.mattermost.nps', '1.3.0', 0]]), baseline: before },
      options: { majorVersion: 'warn', plugins: { 'com.mattermost.calls': { removed: 'info' } } },
    });
    assert.equal(r.status, 'warn');
    assert.match(r.findings[0]!.message, /playbooks moved from 2.4.1 to 3.0.0: a new major version/);
    assert.equal(r.changes?.find((c) => c.item === 'com.mattermost.calls')?.judged, 'info');
  });
  it('no --baseline is an error (NO_BASELINE): nothing compared is never a pass', async () => {
    const r = await runCheck(pluginChangesCheck, { data: { pluginStatuses: set([]), baseline: null } });
    assert.equal(r.status, 'error');
    assert.equal(r.error?.code, 'NO_BASELINE');
  });
});
