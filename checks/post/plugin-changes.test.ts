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
  it('a major version change is listed as information by default, judged a finding at warn or fail', async () => {
    const now = set([['playbooks', '3.0.0', 2], ['com.mattermost.calls', '1.9.2', 2], ['com.mattermost.nps', '1.3.0', 0]]);
    const r = await runCheck(pluginChangesCheck, { data: { pluginStatuses: now, baseline: before } });
    assert.equal(r.status, 'pass');
    assert.deepEqual(r.changes, [{ area: 'plugin', item: 'playbooks', before: '2.4.1 (running)', after: '3.0.0 (running)', judged: 'info' }]);
    const warned = await runCheck(pluginChangesCheck, { data: { pluginStatuses: now, baseline: before }, options: { majorVersion: 'warn' } });
    assert.equal(warned.changes?.[0]?.judged, 'finding');
    assert.equal(warned.findings[0]!.expected, 'major version 2');
  });
  it('a version that cannot be read, before or after, is listed but never a major change', async () => {
    for (const [b, a] of [['', '3.0.0'], ['2.4.1', 'nightly']]) {
      const r = await runCheck(pluginChangesCheck, { data: { pluginStatuses: set([['playbooks', a!, 2]]), baseline: base(set([['playbooks', b!, 2]])) }, options: { majorVersion: 'fail' } });
      assert.equal(r.status, 'pass', `${b} → ${a}: ${JSON.stringify(r.findings)}`);
      assert.deepEqual(r.changes?.map((c) => [c.before, c.after, c.judged]), [[`${b || '?'} (running)`, `${a} (running)`, 'info']]);
    }
    const same = await runCheck(pluginChangesCheck, { data: { pluginStatuses: set([['playbooks', '2.5.0', 2]]), baseline: base(set([['playbooks', '2.4.1', 2]])) }, options: { majorVersion: 'fail' } });
    assert.equal(same.status, 'pass', 'same major');
  });
  it('a plugin that ran on one node counts as running: gone now, it fails', async () => {
    const oneNode: PluginStatuses = { url: 'https://chat.example.com', statuses: [
      { plugin_id: 'com.mattermost.calls', cluster_id: 'n1', version: '1.9.2', state: 3 },
      { plugin_id: 'com.mattermost.calls', cluster_id: 'n2', version: '1.9.2', state: 2 },
    ] };
    const r = await runCheck(pluginChangesCheck, { data: { pluginStatuses: set([]), baseline: base(oneNode) } });
    assert.equal(r.status, 'fail');
    assert.deepEqual(r.changes, [{ area: 'plugin', item: 'com.mattermost.calls', before: '1.9.2 (failed to start, running)', after: '(none)', judged: 'finding' }]);
  });
  it('nodes on different versions or states are listed sorted, each once', async () => {
    const mixed: PluginStatuses = { url: 'https://chat.example.com', statuses: [
      { plugin_id: 'playbooks', cluster_id: 'n1', version: '2.5.0', state: 1 },
      { plugin_id: 'playbooks', cluster_id: 'n2', version: '2.4.1', state: 2 },
      { plugin_id: 'playbooks', cluster_id: 'n3', version: '2.5.0', state: 2 },
    ] };
    const r = await runCheck(pluginChangesCheck, { data: { pluginStatuses: mixed, baseline: base(set([['playbooks', '2.4.1', 2]])) } });
    assert.deepEqual(r.changes?.map((c) => c.after), ['2.4.1, 2.5.0 (running, starting)']);
  });
  it('a plugin that now fails to start is listed, not judged here (plugin-health judges it); a new plugin is listed', async () => {
    const r = await runCheck(pluginChangesCheck, { data: { pluginStatuses: set([['playbooks', '2.4.1', 2], ['com.mattermost.calls', '1.9.2', 3], ['com.mattermost.nps', '1.3.0', 0], ['focalboard', '8.0.0', 2]]), baseline: before } });
    assert.equal(r.status, 'pass', JSON.stringify(r.findings));
    assert.deepEqual(r.changes, [
      { area: 'plugin', item: 'com.mattermost.calls', before: '1.9.2 (running)', after: '1.9.2 (failed to start)', judged: 'info' },
      { area: 'plugin', item: 'focalboard', before: '(none)', after: '8.0.0 (running)', judged: 'info' },
    ]);
    assert.deepEqual(r.measured, { pluginsBefore: 3, pluginsAfter: 4, changed: 2 });
    assert.equal(r.summary, '4 plugins now, 3 at preflight; 2 changed');
  });
  it('no --baseline is an error (NO_BASELINE): nothing compared is never a pass', async () => {
    const r = await runCheck(pluginChangesCheck, { data: { pluginStatuses: set([]), baseline: null } });
    assert.equal(r.status, 'error');
    assert.equal(r.error?.code, 'NO_BASELINE');
  });
});
