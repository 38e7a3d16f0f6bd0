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
    assert.deepEqual(r.changes, [{ area: 'cluster', item: 'version', before: '10.11.4', after: '11.7.1', judged: 'info' }], 'only what differs is listed');
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
  it('a cluster that fell apart is one finding (not also every pod outside it); every difference is in what changed', async () => {
    const r = await runCheck(clusterMembershipCheck, { data: { clusterStatus: cluster([], { licensed: false }), pods, baseline: before } });
    assert.equal(r.findings.length, 1, JSON.stringify(r.findings));
    assert.deepEqual(r.changes, [
      { area: 'cluster', item: 'nodes', before: '2', after: '0', judged: 'finding' },
      { area: 'cluster', item: 'licensed (X-Version-Id)', before: 'true', after: 'false', judged: 'finding' },
      { area: 'cluster', item: 'version', before: '10.11.4', after: '(none)', judged: 'info' },
      { area: 'cluster', item: 'schema_version', before: '227', after: '(none)', judged: 'info' },
      { area: 'cluster', item: 'config_hash', before: 'c0ffee', after: '(none)', judged: 'info' },
    ]);
    assert.deepEqual(r.measured, { nodesBefore: 2, nodesAfter: 0, pods: 2 });
    assert.equal(r.summary, '0 cluster nodes for 2 pods (2 at preflight)');
  });
  it('no nodes now on a licensed server does not blame the licence', async () => {
    const r = await runCheck(clusterMembershipCheck, { data: { clusterStatus: cluster([]), pods, baseline: before } });
    assert.equal(r.status, 'fail');
    assert.equal(r.findings[0]!.message, 'The installation is no longer a cluster: cluster/status listed 2 nodes at preflight and lists none now; its 2 pods run as separate servers');
    assert.deepEqual(r.changes?.map((c) => c.item), ['nodes', 'version', 'schema_version', 'config_hash'], 'the licence did not change: not listed');
  });
  it('fewer nodes than at preflight fails with both counts; the pod left out is named by node hostname, or id without one', async () => {
    const now: ClusterStatus = { url: 'https://chat.example.com', licensed: true, nodes: [{ ...node('mm-7d9c6b5f4-abcde'), hostname: '', ipaddress: '10.0.0.9' }] };
    const r = await runCheck(clusterMembershipCheck, { data: { clusterStatus: now, pods, baseline: before } });
    assert.equal(r.status, 'fail');
    assert.deepEqual(r.findings.map((f) => f.message), ['cluster/status lists 1 nodes, fewer than the 2 at preflight', '2 of 2 Mattermost pods are not cluster nodes: mm-7d9c6b5f4-abcde, mm-7d9c6b5f4-fghij']);
    assert.equal(r.findings[1]!.actual, 'nodes: id-mm-7d9c6b5f4-abcde');
  });
  it('clustered now but not at preflight passes, the new nodes listed as information', async () => {
    const r = await runCheck(clusterMembershipCheck, { data: { clusterStatus: cluster(['mm-7d9c6b5f4-abcde', 'mm-7d9c6b5f4-fghij'], { licensed: undefined }), pods, baseline: base(cluster([], { licensed: false })) } });
    assert.equal(r.status, 'pass', JSON.stringify(r));
    assert.deepEqual(r.changes?.slice(0, 2), [
      { area: 'cluster', item: 'nodes', before: '0', after: '2', judged: 'info' },
      { area: 'cluster', item: 'licensed (X-Version-Id)', before: 'false', after: 'unknown', judged: 'info' },
    ]);
  });
  it('judging one side (idle colour, canary) does not hold its node count to production\'s at preflight', async () => {
    const one = [pods[0]!];
    for (const side of ['idle', 'canary'] as const) {
      const r = await runCheck(clusterMembershipCheck, { data: { clusterStatus: cluster(['mm-7d9c6b5f4-abcde']), pods: one, baseline: before }, scope: { side } });
      assert.equal(r.status, 'pass', `${side}: ${JSON.stringify(r.findings)}`);
    }
    const prod = await runCheck(clusterMembershipCheck, { data: { clusterStatus: cluster(['mm-7d9c6b5f4-abcde']), pods: one, baseline: before }, scope: { side: 'production' } });
    assert.equal(prod.status, 'fail');
  });
  it('lists the distinct versions of a cluster sorted, each once', async () => {
    const mixed = base({ url: 'https://chat.example.com', licensed: true, nodes: [node('a', '10.11.4'), node('b', '10.10.0'), node('c', '10.11.4')] });
    const r = await runCheck(clusterMembershipCheck, { data: { clusterStatus: cluster(['mm-7d9c6b5f4-abcde', 'mm-7d9c6b5f4-fghij']), pods, baseline: mixed } });
    assert.equal(r.changes?.find((c) => c.item === 'version')?.before, '10.10.0, 10.11.4');
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
