import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ClusterStatus } from '../../core/mattermost-types.js';
import { runCheck } from '../../core/testing.js';
import { pod, preflightBaseline } from '../fixtures.js';
import { clusterMembershipCheck } from './cluster-membership.js';

const pods = [pod({ name: 'mm-7d9c6b5f4-abcde', nodeName: 'n1' }), pod({ name: 'mm-7d9c6b5f4-fghij', nodeName: 'n2' })];
const node = (hostname: string, version = '11.7.1') => ({ id: `id-${hostname}`, version, schema_version: '227', config_hash: 'c0ffee', ipaddress: '', hostname });
const cluster = (names: string[], o: Partial<ClusterStatus> = {}): ClusterStatus => ({ url: 'https://chat.example.com', nodes: names.map((n) => node(n)), licensed: true, ...o });
const base = (value: ClusterStatus) => preflightBaseline({ clusterStatus: value });
const before = base({ url: 'https://chat.example.com', licensed: true, nodes: [node('mm-old-1', '10.11.4'), node('mm-old-2', '10.11.4')] });

describe('cluster-membership', () => {
  it('passes with one node per pod and as many as at preflight; the versions are listed', async () => {
    const r = await runCheck(clusterMembershipCheck, { data: { clusterStatus: cluster(['mm-7d9c6b5f4-abcde', 'mm-7d9c6b5f4-fghij']), pods, baseline: before } });
    assert.equal(r.status, 'pass', JSON.stringify(r.findings));
    assert.deepEqual(r.changes?.find((c) => c.item === 'version'), { area: 'cluster', item: 'version', before: '10.11.4', after: '11.7.1', judged: 'info' });
  });
  it('a cluster that fell apart (no nodes, unlicensed) fails with before and after', async () => {
    const r = await runCheck(clusterMembershipCheck, { data: { clusterStatus: cluster([], { licensed: false }), pods, baseline: before } });
    assert.equal(r.status, 'fail');
    assert.match(r.findings[0]!.message, /no longer a cluster: cluster\/status listed 2 nodes at preflight and lists none now \(the server is not licensed\)/);
    assert.equal(r.findings[0]!.expected, 'at least 2 nodes, as at preflight (2026-11-20T10:00:00Z)');
    assert.equal(r.findings[0]!.actual, '0 nodes');
    assert.equal(r.changes?.find((c) => c.item === 'nodes')?.judged, 'finding');
  });
  it('a pod outside the cluster fails and is named', async () => {
    const r = await runCheck(clusterMembershipCheck, { data: { clusterStatus: cluster(['mm-7d9c6b5f4-abcde', 'mm-gone']), pods, baseline: before } });
    assert.equal(r.status, 'fail');
    assert.match(r.findings[0]!.message, /1 of 2 Mattermost pods are not cluster nodes: mm-7d9c6b5f4-fghij/);
  });
  it('never clustered (no nodes then or now) is not applicable', async () => {
    const r = await runCheck(clusterMembershipCheck, { data: { clusterStatus: cluster([]), pods, baseline: base(cluster([])) } });
    assert.equal(r.status, 'not-applicable');
  });
  it('no --baseline is an error (NO_BASELINE): nothing compared is never a pass', async () => {
    const r = await runCheck(clusterMembershipCheck, { data: { clusterStatus: cluster(['mm-7d9c6b5f4-abcde', 'mm-7d9c6b5f4-fghij']), pods, baseline: null } });
    assert.equal(r.status, 'error');
    assert.equal(r.error?.code, 'NO_BASELINE');
  });
});
