/**
 * Prevents upgrading without a way back. Mattermost's schema migrations are forward-only: once
 * the new version has migrated the database, the old version cannot run on it, and the only
 * rollback is a restore. So before an upgrade there must be a recent backup of each configured
 * kind (pg_dump file, ready VolumeSnapshot of each volume, file-store backup), younger than its
 * maxAge; with no backup configured at all the check fails closed.
 */
import { z } from 'zod';
import type { DatabaseBackups, FilestoreBackups, VolumeSnapshotInfo, VolumeSnapshots } from '../../core/backup-types.js';
import { defineCheck } from '../../core/check.js';
import { formatDuration, parseDuration } from '../../core/duration.js';
import type { Finding, Measurements } from '../../core/types.js';

const WHY = 'Mattermost migrations are forward-only: after the upgrade the only way back is a restore, so take a backup right before upgrading.';

interface Judged { findings: Finding[]; measured: Record<string, number | string | boolean> }

function ageOf(iso: string | undefined, now: Date): number | undefined {
  if (!iso) return undefined;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? undefined : Math.max(0, now.getTime() - t);
}

function judgeDatabase(b: DatabaseBackups, now: Date, out: Judged): void {
  const subject = { kind: 'File', name: b.location };
  const maxMs = parseDuration(b.maxAge);
  if (!b.latest) {
    out.findings.push({
      message: b.isDirectory ? `No database dump in ${b.location} matches ${b.pattern ?? '*'}` : `The database dump ${b.location} does not exist`,
      subject, expected: `a pg_dump file younger than ${b.maxAge}`, actual: 'none',
      remediation: `Run pg_dump -Fc into ${b.location} (or fix backups.database.path/pattern). ${WHY}`,
    });
    return;
  }
  const age = ageOf(b.latest.modifiedAt, now) ?? Number.POSITIVE_INFINITY;
  out.measured['database.ageSeconds'] = Math.round(age / 1000);
  out.measured['database.maxAgeSeconds'] = Math.round(maxMs / 1000);
  out.measured['database.file'] = b.latest.name;
  if (age > maxMs) {
    out.findings.push({
      message: `The newest database dump ${b.latest.name} is ${formatDuration(age)} old, older than ${b.maxAge}`,
      subject: { kind: 'File', name: b.latest.path }, expected: `younger than ${b.maxAge}`, actual: `${formatDuration(age)} (modified ${b.latest.modifiedAt})`,
      remediation: `Take a fresh dump (pg_dump -Fc) and check why the scheduled backup stopped. ${WHY}`,
    });
  }
}

function judgeSnapshots(s: VolumeSnapshots, now: Date, out: Judged): void {
  const maxMs = parseDuration(s.maxAge);
  if (!s.apiAvailable) {
    out.findings.push({
      message: 'The cluster serves no VolumeSnapshots (snapshot.storage.k8s.io/v1)',
      subject: { kind: 'Namespace', name: s.namespace }, expected: `a ready VolumeSnapshot of ${s.volumes.join(', ')}`, actual: s.reason ?? 'API not available',
      remediation: `Install the CSI external-snapshotter CRDs and controller, and snapshot the volumes, or remove backups.snapshots. ${WHY}`,
    });
    return;
  }
  for (const volume of s.volumes) {
    const mine = s.items.filter((i) => i.sourcePVC === volume && !i.deleting);
    const ready = mine.filter((i) => i.readyToUse).sort((a, b) => (ageOf(a.takenAt, now) ?? Infinity) - (ageOf(b.takenAt, now) ?? Infinity));
    const subject = { kind: 'PersistentVolumeClaim', namespace: s.namespace, name: volume };
    const best: VolumeSnapshotInfo | undefined = ready[0];
    if (!best) {
      const broken = mine.filter((i) => !i.readyToUse);
      out.findings.push({
        message: broken.length ? `No VolumeSnapshot of ${volume} is ready to use` : `${volume} has no VolumeSnapshot`,
        subject, expected: `a ready VolumeSnapshot younger than ${s.maxAge}`,
        actual: broken.length ? broken.map((i) => `${i.name}: readyToUse=false${i.error ? ` (${i.error})` : ''}`).join('; ') : 'none',
        remediation: broken.some((i) => i.error)
          ? `Fix the snapshot error (kubectl describe volumesnapshot -n ${s.namespace}), then take a new snapshot of ${volume}. ${WHY}`
          : `Take a VolumeSnapshot of ${volume} and wait until readyToUse is true. ${WHY}`,
        ...(broken.length ? { evidence: broken.map((i) => `${i.name}${i.error ? `: ${i.error}` : ''}`) } : {}),
      });
      continue;
    }
    const age = ageOf(best.takenAt, now) ?? Number.POSITIVE_INFINITY;
    out.measured[`snapshot.${volume}.ageSeconds`] = Math.round(age / 1000);
    if (age > maxMs) {
      out.findings.push({
        message: `The newest ready VolumeSnapshot of ${volume} (${best.name}) is ${formatDuration(age)} old, older than ${s.maxAge}`,
        subject, expected: `younger than ${s.maxAge}`, actual: `${formatDuration(age)} (taken ${best.takenAt ?? 'unknown'})`,
        remediation: `Take a new VolumeSnapshot of ${volume} and wait until it is ready. ${WHY}`,
      });
    }
  }
}

function judgeFilestore(f: FilestoreBackups, now: Date, out: Judged): void {
  const maxMs = parseDuration(f.maxAge);
  if (!f.newest) {
    out.findings.push({
      message: f.exists ? `The file-store backup directory ${f.path} is empty` : `The file-store backup directory ${f.path} does not exist`,
      subject: { kind: 'Directory', name: f.path }, expected: `a backup younger than ${f.maxAge}`, actual: 'none',
      remediation: `Back up the file store (attachments) into ${f.path}, or fix backups.filestore.path. ${WHY}`,
    });
    return;
  }
  const age = ageOf(f.newest.modifiedAt, now) ?? Number.POSITIVE_INFINITY;
  out.measured['filestore.ageSeconds'] = Math.round(age / 1000);
  if (age > maxMs) {
    out.findings.push({
      message: `The newest file-store backup ${f.newest.name} is ${formatDuration(age)} old, older than ${f.maxAge}`,
      subject: { kind: 'Directory', name: f.path }, expected: `younger than ${f.maxAge}`, actual: `${formatDuration(age)} (modified ${f.newest.modifiedAt})`,
      remediation: `Take a fresh file-store backup and check why the scheduled one stopped. ${WHY}`,
    });
  }
}

export const backupRecency = defineCheck({
  meta: {
    id: 'backup-recency',
    phase: 'pre',
    title: 'Recent backups exist',
    failureTitle: 'No recent backup to roll back to',
    description: 'Mattermost schema migrations are forward-only: once the new version migrated the database, the only way back is a restore. Each configured backup (pg_dump file, ready VolumeSnapshot of each volume, file-store backup) must be younger than its maxAge; with no backup configured the check fails.',
    requires: ['databaseBackups', 'volumeSnapshots', 'filestoreBackups'],
    recommended: 'error',
  },
  options: z.strictObject({}),
  evaluate(input, ctx) {
    const { databaseBackups: db, volumeSnapshots: snaps, filestoreBackups: files } = input;
    if (!db && !snaps && !files) {
      return {
        status: 'fail',
        findings: [{
          message: 'No backup is configured, so nothing proves the upgrade can be rolled back',
          subject: { kind: 'Config', name: 'backups' }, expected: 'backups.database, backups.snapshots or backups.filestore', actual: 'none configured',
          remediation: `Configure backups.database (a pg_dump file or directory) and, if you use them, backups.snapshots and backups.filestore in mmgate.yaml. ${WHY}`,
        }],
      };
    }
    const out: Judged = { findings: [], measured: {} };
    if (db) judgeDatabase(db, ctx.now, out);
    if (snaps) judgeSnapshots(snaps, ctx.now, out);
    if (files) judgeFilestore(files, ctx.now, out);
    const measured: Measurements = out.measured;
    if (out.findings.length) return { status: 'fail', findings: out.findings, measured };
    const kinds = [db && 'database dump', snaps && 'volume snapshots', files && 'file-store backup'].filter(Boolean).join(', ');
    return { status: 'pass', summary: `Fresh: ${kinds}`, measured };
  },
});

export default backupRecency;
