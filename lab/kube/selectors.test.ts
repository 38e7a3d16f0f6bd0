import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RESOURCES } from './resources.js';
import { checkFieldLabels, matchesFields, matchesLabels, parseFieldSelector, parseLabelSelector, SelectorError } from './selectors.js';
import type { KubeObject } from './types.js';

const labels = { app: 'mattermost', tier: 'web', 'installation.mattermost.com/installation': 'mm' };
const match = (selector: string, l: Record<string, string> = labels): boolean => matchesLabels(l, parseLabelSelector(selector));

describe('label selectors', () => {
  it('supports =, == and != (a missing key satisfies !=)', () => {
    assert.equal(match('app=mattermost'), true);
    assert.equal(match('app==mattermost'), true);
    assert.equal(match('app=other'), false);
    assert.equal(match('app!=other'), true);
    assert.equal(match('app!=mattermost'), false);
    assert.equal(match('missing!=x'), true);
  });

  it('supports exists, !key, in and notin, comma meaning AND', () => {
    assert.equal(match('tier'), true);
    assert.equal(match('!tier'), false);
    assert.equal(match('!canary'), true);
    assert.equal(match('tier in (web, worker)'), true);
    assert.equal(match('tier in (worker)'), false);
    assert.equal(match('tier notin (worker)'), true);
    assert.equal(match('canary notin (true)'), true);
    assert.equal(match('app=mattermost,tier in (worker)'), false);
    assert.equal(match('installation.mattermost.com/installation=mm,!canary'), true);
  });

  it('treats an empty selector as everything and compares gt/lt numerically', () => {
    assert.equal(match(''), true);
    assert.equal(match('rev>9', { rev: '10' }), true);
    assert.equal(match('rev<9', { rev: '10' }), false);
  });

  it('rejects what labels.Parse rejects, with its wording', () => {
    assert.throws(() => parseLabelSelector('a b'), (e: Error) => e instanceof SelectorError && e.message === "found 'b', expected: in, notin, =, ==, !=, gt, lt");
    assert.throws(() => parseLabelSelector('a in ()'), /values set can't be empty/);
    assert.throws(() => parseLabelSelector('a=b=c'), /expected: ',' or 'end of string'/);
    assert.throws(() => parseLabelSelector('-bad=x'), /invalid label key/);
  });
});

const pods = RESOURCES.find((r) => r.kind === 'Pod')!;
const events = RESOURCES.find((r) => r.kind === 'Event')!;
const mm = RESOURCES.find((r) => r.kind === 'Mattermost')!;
const pod: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p1', namespace: 'ns' }, spec: { nodeName: 'node-a' }, status: { phase: 'Running' } };

describe('field selectors', () => {
  it('matches metadata, spec.nodeName and status.phase with =, == and !=', () => {
    const ok = (s: string): boolean => matchesFields(pod, parseFieldSelector(s));
    assert.equal(ok('metadata.name=p1,metadata.namespace=ns'), true);
    assert.equal(ok('spec.nodeName==node-a'), true);
    assert.equal(ok('status.phase!=Running'), false);
    assert.equal(ok('status.phase!=Pending'), true);
  });

  it('reads involvedObject fields of events and defaults booleans like the server', () => {
    const ev: KubeObject = { apiVersion: 'v1', kind: 'Event', metadata: { name: 'e' }, involvedObject: { kind: 'Pod', name: 'p1' } };
    assert.equal(matchesFields(ev, parseFieldSelector('involvedObject.kind=Pod,involvedObject.name=p1')), true);
    const node: KubeObject = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n' } };
    assert.equal(matchesFields(node, parseFieldSelector('spec.unschedulable=false')), true);
  });

  it('refuses field labels the resource does not index', () => {
    assert.doesNotThrow(() => checkFieldLabels(parseFieldSelector('involvedObject.name=x'), events));
    assert.throws(() => checkFieldLabels(parseFieldSelector('spec.foo=x'), pods), /field label not supported: spec.foo/);
    assert.throws(() => checkFieldLabels(parseFieldSelector('status.state=stable'), mm), /field label not supported: status.state/);
    assert.throws(() => parseFieldSelector('nonsense'), /invalid selector: 'nonsense'/);
  });
});
