import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DatabaseBackups, FilestoreBackups, VolumeSnapshots } from '../../core/backup-types.js';
import { runCheck, TEST_NOW } from '../../core/testing.js';
import check from './backup-recency.js';

const ago = (h: number) => new Date(TEST_NOW.getTime() - h * 3_600_000).toISOString();

const db = (hours: number | null): DatabaseBackups => ({
  location: '/backups/mm', isDirectory: true, pattern: '*.dump', candidates: hours === null ? 0 : 2, maxAge: '24h', sizeTolerance: 0.5,
  latest: hours === null ? null : { name: 'mm-2.dump', path: '/backups/mm/mm-2.dump', sizeBytes: 1000, modifiedAt: ago(hours), format: 'custom' },
  previous: null,
});
const snaps = (items: VolumeSnapshots['items'], apiAvailable = true): VolumeSnapshots => ({ namespace: 'mattermost', volumes: ['db-data'], maxAge: '24h', apiAvailable, items });
const files = (hours: number | null): FilestoreBackups => ({
  path: '/backups/files', maxAge: '24h', exists: true, entries: hours === null ? 0 : 1,
  newest: hours === null ? null : { name: '2026-11-20', modifiedAt: ago(hours), isDirectory: true, sizeBytes: 10, sizeComplete: true },
});
const none = { databaseBackups: null, volumeSnapshots: null, filestoreBackups: null };

describe('backup-recency', () => {
  const failing: { name: string; data: Record<string, unknown>; message: RegExp; subject: string; expected: RegExp; actual: RegExp }[] = [
    { name: 'nothing configured', data: none, message: /No backup is configured/, subject: 'backups', expected: /backups\.database/, actual: /none configured/ },
    { name: 'stale dump', data: { ...none, databaseBackups: db(30) }, message: /mm-2\.dump is 30h00m old, older than 24h/, subject: '/backups/mm/mm-2.dump', expected: /younger than 24h/, actual: /30h00m/ },
    { name: 'no dump', data: { ...none, databaseBackups: db(null) }, message: /No database dump in \/backups\/mm matches \*\.dump/, subject: '/backups/mm', expected: /pg_dump file/, actual: /none/ },
    {
      name: 'snapshot not ready', data: { ...none, volumeSnapshots: snaps([{ name: 'db-snap-1', namespace: 'mattermost', sourcePVC: 'db-data', readyToUse: false, takenAt: ago(1), error: 'Failed to create snapshot: quota exceeded' }]) },
      message: /No VolumeSnapshot of db-data is ready to use/, subject: 'db-data', expected: /ready VolumeSnapshot/, actual: /quota exceeded/,
    },
    { name: 'no snapshot of the volume', data: { ...none, volumeSnapshots: snaps([{ name: 'other', namespace: 'mattermost', sourcePVC: 'files', readyToUse: true, takenAt: ago(1) }]) }, message: /db-data has no VolumeSnapshot/, subject: 'db-data', expected: /ready/, actual: /none/ },
    { name: 'old snapshot', data: { ...none, volumeSnapshots: snaps([{ name: 'db-snap-old', namespace: 'mattermost', sourcePVC: 'db-data', readyToUse: true, takenAt: ago(48) }]) }, message: /db-snap-old\) is 2d0h old/, subject: 'db-data', expected: /younger than 24h/, actual: /2d0h/ },
    { name: 'no snapshot API', data: { ...none, volumeSnapshots: snaps([], false) }, message: /serves no VolumeSnapshots/, subject: 'mattermost', expected: /db-data/, actual: /API not available/ },
    { name: 'stale file store', data: { ...none, filestoreBackups: files(25) }, message: /file-store backup 2026-11-20 is 25h00m old/, subject: '/backups/files', expected: /24h/, actual: /25h00m/ },
    { name: 'empty file store', data: { ...none, filestoreBackups: files(null) }, message: /is empty/, subject: '/backups/files', expected: /backup/, actual: /none/ },
  ];
  for (const c of failing) {
    it(`fails: ${c.name}`, async () => {
      const r = await runCheck(check, { data: c.data });
      assert.equal(r.status, 'fail');
      assert.equal(r.blocking, true);
      const f = r.findings[0];
      assert.ok(f);
      assert.match(f.message, c.message);
      assert.equal(f.subject?.name, c.subject);
      assert.match(f.expected ?? '', c.expected);
      assert.match(f.actual ?? '', c.actual);
      assert.match(f.remediation ?? '', /forward-only/);
    });
  }

  it('passes with fresh backups of every configured kind; an older unready snapshot does not matter', async () => {
    const r = await runCheck(check, {
      data: {
        databaseBackups: db(3),
        volumeSnapshots: snaps([
          { name: 'db-snap-new', namespace: 'mattermost', sourcePVC: 'db-data', readyToUse: true, takenAt: ago(2) },
          { name: 'db-snap-broken', namespace: 'mattermost', sourcePVC: 'db-data', readyToUse: false, takenAt: ago(1), error: 'boom' },
        ]),
        filestoreBackups: files(5),
      },
    });
    assert.equal(r.status, 'pass', JSON.stringify(r.findings));
    assert.equal(r.measured?.['database.ageSeconds'], 3 * 3600);
    assert.equal(r.measured?.['snapshot.db-data.ageSeconds'], 2 * 3600);
  });

  it('a snapshot being deleted is not a backup', async () => {
    const r = await runCheck(check, { data: { ...none, volumeSnapshots: snaps([{ name: 's', namespace: 'mattermost', sourcePVC: 'db-data', readyToUse: true, takenAt: ago(1), deleting: true }]) } });
    assert.equal(r.status, 'fail');
  });

  it('is error when a collector could not look, and when data is missing', async () => {
    const failed = await runCheck(check, { data: { ...none, databaseBackups: { $collectError: true, key: 'databaseBackups', code: 'FORBIDDEN', message: 'cannot read /backups' } } });
    assert.equal(failed.status, 'error');
    assert.match(failed.error?.message ?? '', /cannot read \/backups/);
    const missing = await runCheck(check, { data: { databaseBackups: db(1) } });
    assert.equal(missing.status, 'error');
  });

  const snap = (name: string, over: Partial<VolumeSnapshots['items'][number]> = {}) => ({ name, namespace: 'mattermost', sourcePVC: 'db-data', readyToUse: true, takenAt: ago(1), ...over });
  const judge = (data: Record<string, unknown>) => runCheck(check, { data: { ...none, ...data } });

  it('a dump exactly maxAge old passes; one second older fails', async () => {
    const edge = db(24);
    assert.equal((await judge({ databaseBackups: edge })).status, 'pass');
    const latest = edge.latest ? { ...edge.latest, modifiedAt: new Date(TEST_NOW.getTime() - 24 * 3_600_000 - 1000).toISOString() } : null;
    assert.equal((await judge({ databaseBackups: { ...edge, latest } })).status, 'fail');
  });
  it('measures the dump\'s maxAge in seconds', async () => {
    assert.equal((await judge({ databaseBackups: db(1) })).measured?.['database.maxAgeSeconds'], 24 * 3600);
  });
  it('a dump without a modification time counts as too old', async () => {
    const d = db(1);
    const r = await judge({ databaseBackups: { ...d, latest: d.latest ? { ...d.latest, modifiedAt: '' } : null } });
    assert.equal(r.status, 'fail');
  });
  it('a snapshot exactly maxAge old passes', async () => {
    assert.equal((await judge({ volumeSnapshots: snaps([snap('s', { takenAt: ago(24) })]) })).status, 'pass');
  });
  it('the newest ready snapshot is judged, whatever the listing order', async () => {
    const r = await judge({ volumeSnapshots: snaps([snap('db-snap-old', { takenAt: ago(48) }), snap('db-snap-new', { takenAt: ago(2) }), snap('db-snap-mid', { takenAt: ago(30) })]) });
    assert.equal(r.status, 'pass', JSON.stringify(r.findings));
    assert.equal(r.measured?.['snapshot.db-data.ageSeconds'], 2 * 3600);
  });
  it('a ready snapshot with no time is judged after every dated one, and is too old alone', async () => {
    const dated = await judge({ volumeSnapshots: snaps([snap('undated', { takenAt: undefined }), snap('dated', { takenAt: ago(2) })]) });
    assert.equal(dated.status, 'pass', JSON.stringify(dated.findings));
    const alone = await judge({ volumeSnapshots: snaps([snap('undated', { takenAt: undefined })]) });
    assert.equal(alone.status, 'fail');
    assert.match(alone.findings[0]?.actual ?? '', /\(taken unknown\)$/);
  });
  it('unready snapshots without an error are listed and the fix is to wait for readyToUse', async () => {
    const r = await judge({ volumeSnapshots: snaps([snap('a', { readyToUse: false }), snap('b', { readyToUse: false, error: 'quota exceeded' }), snap('c', { readyToUse: false })]) });
    assert.deepEqual(r.findings[0]?.evidence, ['a', 'b: quota exceeded', 'c']);
    assert.match(r.findings[0]?.remediation ?? '', /^Fix the snapshot error/);
    const waiting = await judge({ volumeSnapshots: snaps([snap('a', { readyToUse: false })]) });
    assert.match(waiting.findings[0]?.remediation ?? '', /^Take a VolumeSnapshot of db-data and wait/);
  });
  it('a newer snapshot that is not ready does not make a stale ready one fresh', async () => {
    const r = await judge({ volumeSnapshots: snaps([snap('db-snap-new', { readyToUse: false, takenAt: ago(1) }), snap('db-snap-old', { takenAt: ago(48) })]) });
    assert.equal(r.status, 'fail');
    assert.match(r.findings[0]?.message ?? '', /\(db-snap-old\) is 2d0h old/);
  });
  it('a volume with no snapshot at all gives no evidence', async () => {
    const r = await judge({ volumeSnapshots: snaps([]) });
    assert.equal(r.findings[0]?.evidence, undefined);
  });
  it('a file-store backup exactly maxAge old passes, and its age is measured in seconds', async () => {
    const r = await judge({ filestoreBackups: files(24) });
    assert.equal(r.status, 'pass');
    assert.equal(r.measured?.['filestore.ageSeconds'], 24 * 3600);
  });
  it('the summary names each fresh kind that was configured, and only those', async () => {
    assert.equal((await judge({ databaseBackups: db(1) })).summary, 'Fresh: database dump');
    assert.equal((await judge({ volumeSnapshots: snaps([snap('s')]) })).summary, 'Fresh: volume snapshots');
    assert.equal((await judge({ filestoreBackups: files(1) })).summary, 'Fresh: file-store backup');
    assert.equal((await judge({ databaseBackups: db(1), volumeSnapshots: snaps([snap('s')]), filestoreBackups: files(1) })).summary, 'Fresh: database dump, volume snapshots, file-store backup');
  });
});
