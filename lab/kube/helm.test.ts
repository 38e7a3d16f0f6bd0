import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { decodeHelmRelease, helmReleaseSecret } from './helm.js';
import { loadManifests } from './manifests.js';
import { repoRoot } from './test-support.js';

describe('helmReleaseSecret', () => {
  const secret = helmReleaseSecret({
    name: 'mattermost', namespace: 'mattermost', revision: 3, status: 'deployed',
    chart: { name: 'mattermost-enterprise-edition', version: '2.6.60', appVersion: '10.5.2' },
    config: { image: { tag: '10.5.2' } }, modifiedAt: '2026-11-01T08:00:00Z',
  });

  it('has the name, type and labels of Helm 3 storage', () => {
    assert.equal(secret.metadata.name, 'sh.helm.release.v1.mattermost.v3');
    assert.equal(secret.type, 'helm.sh/release.v1');
    assert.deepEqual(secret.metadata.labels, { name: 'mattermost', owner: 'helm', status: 'deployed', version: '3', modifiedAt: '1793520000' });
  });

  it('double-encodes the gzipped release: API base64 over Helm base64 over gzip', () => {
    const apiDecoded = Buffer.from((secret.data as { release: string }).release, 'base64').toString('utf8');
    assert.match(apiDecoded, /^H4sI/, 'Helm stores base64 text, and gzip base64 starts with H4sI');
    const release = JSON.parse(gunzipSync(Buffer.from(apiDecoded, 'base64')).toString('utf8')) as Record<string, unknown>;
    assert.equal(release.name, 'mattermost');
    assert.equal(release.version, 3);
    assert.equal(release.namespace, 'mattermost');
    assert.deepEqual(release.info, { first_deployed: '2026-11-01T08:00:00Z', last_deployed: '2026-11-01T08:00:00Z', deleted: '', description: 'Upgrade complete', status: 'deployed' });
    assert.deepEqual(release.config, { image: { tag: '10.5.2' } });
    assert.deepEqual((release.chart as { metadata: unknown }).metadata, { name: 'mattermost-enterprise-edition', version: '2.6.60', apiVersion: 'v2', appVersion: '10.5.2', type: 'application' });
  });

  it('decodes what it encodes, and the fidelity fixture holds real releases', () => {
    assert.equal(decodeHelmRelease(secret).name, 'mattermost');
    const fixtures = loadManifests(join(repoRoot(), 'fixtures', 'kube', 'fidelity.yaml')).filter((o) => o.type === 'helm.sh/release.v1');
    assert.equal(fixtures.length, 2);
    const releases = fixtures.map(decodeHelmRelease);
    assert.deepEqual(releases.map((r) => [r.version, (r.info as { status: string }).status]), [[1, 'superseded'], [2, 'deployed']]);
  });
});
