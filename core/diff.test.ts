import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeEntry, diff, flatten, formatPath, isSecretPath, matchesAny, parsePath, pathMatches } from './diff.js';
import { Redactor } from './secrets.js';

describe('core/diff', () => {
  it('flattens by dotted path, keys env-like lists by name and brackets odd keys', () => {
    const flat = flatten({
      spec: {
        replicas: 2,
        mattermostEnv: [{ name: 'MM_A', value: '1' }, { name: 'MM_B', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }],
        args: ['db', 'migrate'],
        ingress: { annotations: { 'nginx.ingress.kubernetes.io/proxy-body-size': '100m' } },
        empty: {}, none: [],
      },
    });
    assert.deepEqual(Object.fromEntries(flat), {
      'spec.replicas': 2,
      'spec.mattermostEnv[MM_A].value': '1',
      'spec.mattermostEnv[MM_B].valueFrom.secretKeyRef.name': 's',
      'spec.mattermostEnv[MM_B].valueFrom.secretKeyRef.key': 'k',
      'spec.args[0]': 'db',
      'spec.args[1]': 'migrate',
      'spec.ingress.annotations[nginx.ingress.kubernetes.io/proxy-body-size]': '100m',
      'spec.empty': {},
      'spec.none': [],
    });
  });

  it('lists with duplicate or missing names fall back to indexes', () => {
    assert.deepEqual([...flatten({ l: [{ name: 'a' }, { name: 'a' }] }).keys()], ['l[0].name', 'l[1].name']);
    assert.deepEqual(Object.fromEntries(flatten({ l: [{ name: 'only' }] })), { 'l[only]': {} });
    assert.deepEqual([...flatten({ l: [{ name: 'a' }, { x: 1 }] }).keys()], ['l[0].name', 'l[1].x']);
  });

  it('diffs: added, removed, changed, sorted; env order does not matter', () => {
    const left = { spec: { replicas: 2, env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }], gone: true } };
    const right = { spec: { replicas: 3, env: [{ name: 'B', value: '2' }, { name: 'A', value: '1' }, { name: 'C', value: '3' }] } };
    assert.deepEqual(diff(left, right), [
      { path: 'spec.env[C].value', kind: 'added', right: '3' },
      { path: 'spec.gone', kind: 'removed', left: true },
      { path: 'spec.replicas', kind: 'changed', left: 2, right: 3 },
    ]);
    assert.deepEqual(diff({ a: [] }, { a: [] }), []);
    assert.deepEqual(diff({ a: 1, b: 2 }, { a: 1, b: 2 }), []);
  });

  it('ignores paths and their descendants', () => {
    assert.deepEqual(diff({ spec: { version: '1', image: 'a', x: 1 } }, { spec: { version: '2', image: 'b', x: 1 } }, { ignore: ['spec.version', 'spec.image'] }), []);
    assert.equal(diff({ spec: { ingress: { host: 'a', tls: 'x' } } }, { spec: { ingress: { host: 'b', tls: 'y' } } }, { ignore: ['spec.ingress'] }).length, 0);
  });

  it('matches patterns: exact, prefix, * one segment, ** any, brackets optional', () => {
    assert.ok(pathMatches('spec.ingress', 'spec.ingress.host'));
    assert.ok(!pathMatches('spec.ingress.host', 'spec.ingress'));
    assert.ok(!pathMatches('spec.ingres', 'spec.ingress.host'));
    assert.ok(pathMatches('spec.mattermostEnv[*].value', 'spec.mattermostEnv[MM_A].value'));
    assert.ok(pathMatches('spec.mattermostEnv.*.value', 'spec.mattermostEnv[MM_A].value'));
    assert.ok(!pathMatches('spec.*.value', 'spec.mattermostEnv[MM_A].value'));
    assert.ok(pathMatches('**.value', 'spec.mattermostEnv[MM_A].value'));
    assert.ok(pathMatches('spec.mattermostEnv.MM_A', 'spec.mattermostEnv[MM_A].value'));
    assert.ok(pathMatches('configMaps.x.data[config.json]', 'configMaps.x.data[config.json]'));
    assert.ok(matchesAny(['a', 'spec.replicas'], 'spec.replicas'));
    assert.deepEqual(parsePath('a.b[c.d].e'), ['a', 'b', '[c.d]', 'e']);
    assert.equal(formatPath(['a', 'b', '[c.d]', 'e']), 'a.b[c.d].e');
  });

  it('masks secret paths, hidden markers and known secret values', () => {
    assert.ok(isSecretPath('spec.mattermostEnv[MM_SQLSETTINGS_DATASOURCE].value'));
    assert.ok(isSecretPath('secrets.mm.data.x'));
    assert.ok(isSecretPath('values.externalDB.password'));
    assert.ok(!isSecretPath('spec.mattermostEnv[MM_SERVICESETTINGS_SITEURL].value'));
    const plain = describeEntry({ path: 'spec.replicas', kind: 'changed', left: 2, right: 3 });
    assert.deepEqual(plain, { hidden: false, left: '2', right: '3' });
    const byName = describeEntry({ path: 'spec.elasticSearch.password', kind: 'changed', left: 'hunter22', right: 'hunter23' });
    assert.deepEqual(byName, { hidden: true, left: '(hidden)', right: '(hidden)' });
    const marker = describeEntry({ path: 'spec.x', kind: 'added', right: 'hidden:abcd' });
    assert.deepEqual(marker, { hidden: true, left: '(absent)', right: '(hidden)' });
    const r = new Redactor();
    r.add('s3cr3t-value');
    const byValue = describeEntry({ path: 'spec.note', kind: 'changed', left: 'x s3cr3t-value', right: 'y' }, (s) => r.redact(s));
    assert.equal(byValue.hidden, true);
    assert.ok(!JSON.stringify(byValue).includes('s3cr3t'));
  });
});
