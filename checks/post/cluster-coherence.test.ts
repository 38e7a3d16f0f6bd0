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
    assert.deepEqual(r.measured, { nodes: 3, pods: 3, versions: 1, schemaVersions: 1, configHashes: 1 });
    assert.equal(r.summary, '3 nodes for 3 pods; 1 version, 1 schema, 1 config');
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
    assert.match(r.findings[0]?.remediation ?? '', /finish the rollout \(kubectl -n mattermost rollout status deploy\/mm\)/);
    assert.equal(r.measured?.['versions'], 2);
  });

  it('fails when a pod is missing from the cluster and a stale node remains', async () => {
    const r = await runCheck(check, { data: { clusterStatus: status([node('mm-a'), node('mm-b'), node('mm-old')]), pods: threePods } });
    assert.equal(r.status, 'fail');
    assert.match(r.findings[0]?.message ?? '', /pods not in the cluster: mm-c; nodes that are no current pod: mm-old/);
  });

  it('names every pod it expected, sorted, and every node it got', async () => {
    const r = await runCheck(check, { data: { clusterStatus: status([node('mm-b'), node('mm-a')]), pods: [pod('mm-c'), pod('mm-a'), pod('mm-b')] } });
    assert.equal(r.status, 'fail');
    const f = r.findings[0]!;
    assert.equal(f.message, 'cluster/status lists 2 nodes for 3 Mattermost pods; pods not in the cluster: mm-c');
    assert.equal(f.expected, 'one node per pod: mm-a, mm-b, mm-c');
    assert.equal(f.actual, 'nodes: mm-b, mm-a');
  });

  it('names a node without a hostname by its address, or else its id', async () => {
    const r = await runCheck(check, { data: { clusterStatus: status([node('', { id: 'n1', ipaddress: '10.9.9.9' }), node('', { id: 'n2', ipaddress: '' })]), pods: [pod('mm-a')] } });
    assert.equal(r.findings[0]?.actual, 'nodes: 10.9.9.9, n2');
  });

  it('fails when one pod is listed twice, though every pod and node match', async () => {
    const twice = await runCheck(check, { data: { clusterStatus: status([node('mm-a'), node('mm-a', { id: 'id-mm-a-before-restart' })]), pods: [pod('mm-a')] } });
    assert.equal(twice.status, 'fail');
    assert.equal(twice.findings[0]?.message, 'cluster/status lists 2 nodes for 1 Mattermost pods');
    const hidden = await runCheck(check, { data: { clusterStatus: status([node('mm-a'), node('mm-a', { id: 'id-mm-a-2' })]), pods: [pod('mm-a'), pod('mm-b')] } });
    assert.equal(hidden.status, 'fail');
    assert.equal(hidden.findings[0]?.message, 'cluster/status lists 2 nodes for 2 Mattermost pods; pods not in the cluster: mm-b');
  });

  it('fails when nodes answer but no Mattermost pod runs', async () => {
    const r = await runCheck(check, { data: { clusterStatus: status([node('mm-a')]), pods: [] } });
    assert.equal(r.status, 'fail');
    assert.equal(r.findings[0]?.expected, 'one node per pod: (no pods)');
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
    assert.deepEqual(r.measured, { nodes: 0, pods: 3 });
    assert.equal(r.findings[0]?.expected, '3 cluster nodes');
  });

  it('says why no nodes are listed: clustering off under a licence, or licence unknown', async () => {
    const licensed = await runCheck(check, { data: { clusterStatus: status([], true), pods: threePods } });
    assert.match(licensed.findings[0]?.message ?? '', /^cluster\/status lists no nodes \(clustering \(ClusterSettings\.Enable\) is off or the licence has no high availability\)/);
    const unknown = await runCheck(check, { data: { clusterStatus: status([]), pods: threePods } });
    assert.match(unknown.findings[0]?.message ?? '', /^cluster\/status lists no nodes \(the server is unlicensed or clustering is off\)/);
  });

  it('errors when cluster status could not be read', async () => {
    const r = await runCheck(check, { data: { clusterStatus: collectError('clusterStatus', 'no admin token'), pods: threePods } });
    assert.equal(r.status, 'error');
    assert.match(r.error?.message ?? '', /no admin token/);
  });
});
