import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ClusterNode } from '../../core/mattermost-types.js';
import { runCheck } from '../../core/testing.js';
import { collectError, pod } from '../../test/fixtures/post-upgrade.js';
import check from './cluster-coherence.js';

const node = (hostname: string, o: Partial<ClusterNode> = {}): ClusterNode => ({ id: `id-${hostname}`, version: '11.7.1', schema_version: '150', config_hash: 'abc', ipaddress: '10.0.0.1', hostname, ...o });
const status = (nodes: ClusterNode[], licensed?: boolean) => ({ url: 'https://chat.example.com', nodes, ...(licensed !== undefined ? { licensed } : {}) });
const threePods = [pod('mm-a'), pod('mm-b'), pod('mm-c')];

describe('cluster-coherence', () => {
  it('passes with one agreeing node per pod', async () => {
    const r = await runCheck(check, { data: { clusterStatus: status([node('mm-a'), node('mm-b'), node('mm-c')]), pods: threePods } });
    assert.equal(r.status, 'pass');
    assert.equal(r.measured?.['nodes'], 3);
  });

  it('fails when nodes disagree on the schema version and names the odd node', async () => {
    const r = await runCheck(check, { data: { clusterStatus: status([node('mm-a'), node('mm-b', { schema_version: '149' }), node('mm-c')]), pods: threePods } });
    assert.equal(r.status, 'fail');
    const f = r.findings.find((x) => /schema_version/.test(x.message));
    assert.match(f?.message ?? '', /149 on mm-b/);
    assert.equal(f?.actual, '150, 149');
  });

  it('fails on differing config hashes', async () => {
    const r = await runCheck(check, { data: { clusterStatus: status([node('mm-a'), node('mm-b', { config_hash: 'zzz' }), node('mm-c')]), pods: threePods } });
    assert.equal(r.status, 'fail');
    assert.match(r.findings[0]?.remediation ?? '', /different configuration/);
  });

  it('fails on differing versions', async () => {
    const r = await runCheck(check, { data: { clusterStatus: status([node('mm-a'), node('mm-b', { version: '11.6.2' }), node('mm-c')]), pods: threePods } });
    assert.equal(r.status, 'fail');
    assert.match(r.findings[0]?.message ?? '', /disagree on version/);
  });

  it('fails when a pod is missing from the cluster and a stale node remains', async () => {
    const r = await runCheck(check, { data: { clusterStatus: status([node('mm-a'), node('mm-b'), node('mm-old')]), pods: threePods } });
    assert.equal(r.status, 'fail');
    assert.match(r.findings[0]?.message ?? '', /pods not in the cluster: mm-c; nodes that are no current pod: mm-old/);
  });

  it('matches nodes to pods by IP when hostnames differ', async () => {
    const p = pod('mm-a');
    p.status!.podIP = '10.1.2.3';
    const r = await runCheck(check, { data: { clusterStatus: status([node('ip-10-1-2-3', { ipaddress: '10.1.2.3' })]), pods: [p] } });
    assert.equal(r.status, 'pass');
  });

  it('is not applicable on an unlicensed single server', async () => {
    const r = await runCheck(check, { data: { clusterStatus: status([], false), pods: [pod('mm-a')] } });
    assert.equal(r.status, 'not-applicable');
    assert.match(r.reason ?? '', /not licensed/);
  });

  it('warns when several pods report no cluster', async () => {
    const r = await runCheck(check, { data: { clusterStatus: status([], false), pods: threePods } });
    assert.equal(r.status, 'warn');
    assert.match(r.findings[0]?.message ?? '', /3 Mattermost pods run/);
  });

  it('errors when cluster status could not be read', async () => {
    const r = await runCheck(check, { data: { clusterStatus: collectError('clusterStatus', 'no admin token'), pods: threePods } });
    assert.equal(r.status, 'error');
    assert.match(r.error?.message ?? '', /no admin token/);
  });
});
