import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError } from '../errors.js';
import { loadConfig } from './load.js';
import { tempDirSync } from '../../test/temp.js';

const write = (text: string): string => {
  const dir = tempDirSync('mmgate-config-');
  const p = join(dir, 'mmgate.yaml');
  writeFileSync(p, text);
  return p;
};
const issuesOf = (fn: () => unknown): { path: string; message: string; fix?: string }[] => {
  try { fn(); } catch (err) { assert.ok(err instanceof ConfigError, `expected ConfigError, got ${String(err)}`); return [...err.issues]; }
  assert.fail('expected a ConfigError');
};

describe('config loading', () => {
  it('runs on defaults without a file', () => {
    const { config, path } = loadConfig(undefined, { cwd: tempDirSync('mmgate-empty-') });
    assert.equal(path, undefined);
    assert.equal(config.kube.namespace, 'mattermost');
    assert.deepEqual(config.reports.formats, ['console', 'json', 'junit', 'markdown']);
  });

  it('a misspelt key names its dotted path and suggests the right one', () => {
    const issues = issuesOf(() => loadConfig(write('kube:\n  namespce: prod\n')));
    assert.equal(issues[0]!.path, 'kube.namespce');
    assert.match(issues[0]!.message, /unknown key "namespce"/);
    assert.match(issues[0]!.fix!, /did you mean "namespace"/);
  });

  it('a right key in the wrong place says where it belongs', () => {
    const issues = issuesOf(() => loadConfig(write('metrics:\n  prometheus:\n    url: http://prometheus:9090\n')));
    assert.equal(issues[0]!.path, 'metrics.prometheus');
    assert.equal(issues[0]!.fix, '"prometheus" is not read here; mmgate reads it at prometheus: move it there');
  });

  it('a misspelt top-level key is reported too', () => {
    const issues = issuesOf(() => loadConfig(write('chekcs: {}\n')));
    assert.equal(issues[0]!.path, 'chekcs');
    assert.match(issues[0]!.fix!, /"checks"/);
  });

  it('a wrong type names the key, what was expected and what was given', () => {
    const issues = issuesOf(() => loadConfig(write('mattermost:\n  podPort: "eighty"\n')));
    assert.equal(issues[0]!.path, 'mattermost.podPort');
    assert.match(issues[0]!.message, /expected number, got string "eighty"/);
  });

  it('bad YAML says where', () => {
    const issues = issuesOf(() => loadConfig(write('kube:\n  namespace: [a\n')));
    assert.match(issues[0]!.message, /not valid YAML at line \d+/);
  });

  it('resolves ${env:} and ${file:} and registers the values as secrets', () => {
    const p = write('mattermost:\n  admin: { token: "${env:MMGATE_TEST_TOKEN}" }\n  smoke: { username: s, password: "${file:pw}", team: ops }\n');
    writeFileSync(join(p, '..', 'pw'), 'file-secret-value\n');
    const { config, redactor } = loadConfig(p, { env: { MMGATE_TEST_TOKEN: 'env-secret-value' } });
    assert.equal(config.mattermost?.admin?.token, 'env-secret-value');
    assert.equal(config.mattermost?.smoke?.password, 'file-secret-value');
    assert.equal(redactor.redact('a env-secret-value b file-secret-value'), 'a *** b ***');
  });

  it('values read from env at non-secret keys (a namespace) are not masked everywhere', () => {
    const { config, redactor } = loadConfig(write('kube: { namespace: "${env:NS}" }\n'), { env: { NS: 'mattermost-prod' } });
    assert.equal(config.kube.namespace, 'mattermost-prod');
    assert.equal(redactor.redact('namespace mattermost-prod'), 'namespace mattermost-prod');
  });

  it('a missing env var is a config error at the key, without the value', () => {
    const issues = issuesOf(() => loadConfig(write('mattermost:\n  admin: { token: "${env:NOPE_NOT_SET}" }\n'), { env: {} }));
    assert.equal(issues[0]!.path, 'mattermost.admin.token');
    assert.match(issues[0]!.message, /NOPE_NOT_SET is not set/);
  });

  it('waivers need a reason and an ISO date', () => {
    const issues = issuesOf(() => loadConfig(write('waivers:\n  - { check: pod-health, reason: x, expires: 31/12/2026 }\n')));
    assert.deepEqual(issues.map((i) => i.path).sort(), ['waivers[0].expires', 'waivers[0].reason']);
  });

});
