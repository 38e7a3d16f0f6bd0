/** The "what changed since preflight" section, in every format (console, Markdown, JSON, JUnit system-out). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RunReport } from '../core/types.js';
import { renderConsoleSummary } from './console.js';
import { buildReport } from './fixtures.js';
import { runReportSchema } from './json-schema.js';
import { renderJson } from './json.js';
import { renderJunit } from './junit.js';
import { renderMarkdown } from './markdown.js';

const changed: RunReport = {
  ...buildReport({ phase: 'post' }),
  changes: [
    { check: 'plugin-changes', area: 'plugin', item: 'playbooks', before: '2.4.1 (running)', after: '2.5.0 (running)', judged: 'info' },
    { check: 'config-changes', area: 'config', item: 'ClusterSettings.Enable', before: 'true', after: 'false', judged: 'finding' },
    { check: 'config-changes', area: 'config', item: 'TeamSettings.MaxUsersPerTeam', before: '50', after: '100', judged: 'allowed' },
  ],
};

describe('what changed since preflight', () => {
  it('console: a section with the judged change first', () => {
    const text = renderConsoleSummary(changed, { color: false });
    const section = text.slice(text.indexOf('What changed since preflight'));
    assert.ok(text.includes('What changed since preflight'));
    const lines = section.split('\n').slice(1, 4).map((l) => l.trim());
    assert.deepEqual(lines, [
      '[judged] config ClusterSettings.Enable: true → false (config-changes)',
      '[allowed] config TeamSettings.MaxUsersPerTeam: 50 → 100 (config-changes)',
      '[changed] plugin playbooks: 2.4.1 (running) → 2.5.0 (running) (plugin-changes)',
    ]);
  });
  it('markdown: a table row per change', () => {
    const md = renderMarkdown(changed);
    assert.match(md, /### What changed since preflight/);
    assert.match(md, /\| judged \| config \| `ClusterSettings.Enable` \| `true` \| `false` \| `config-changes` \|/);
    assert.match(md, /\| changed \| plugin \| `playbooks` \| `2.4.1 \(running\)` \| `2.5.0 \(running\)` \| `plugin-changes` \|/);
  });
  it('JSON: the changes array, valid against the report schema', () => {
    const json = JSON.parse(renderJson(changed)) as RunReport;
    assert.equal(json.changes?.length, 3);
    runReportSchema.parse(json);
  });
  it('JUnit: the suite system-out lists them', () => {
    const xml = renderJunit(changed);
    assert.match(xml, /what changed since preflight:\n {2}\[judged\] config ClusterSettings.Enable: true → false \(config-changes\)/);
  });
  it('a verify that compared and found nothing says so; a report without comparisons has no section', () => {
    assert.match(renderConsoleSummary({ ...changed, changes: [] }, { color: false }), /nothing differs from the preflight baseline/);
    assert.doesNotMatch(renderConsoleSummary(buildReport(), { color: false }), /What changed/);
    assert.doesNotMatch(renderMarkdown(buildReport()), /What changed/);
  });
});
