/**
 * Preflight and verify through the real runner with the real backup collectors and a real
 * PostgreSQL 15: a good dump promotes; a stale, empty, truncated or corrupt one blocks with the
 * right check; the restore test leaves no scratch database; verify blocks on lost rows against
 * the preflight baseline (snapshot or JSON report); replication on a standalone server blocks.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { dataIntegrity } from '../checks/post/data-integrity.js';
import { backupIntegrity } from '../checks/pre/backup-integrity.js';
import { backupRecency } from '../checks/pre/backup-recency.js';
import { replicationHealth } from '../checks/pre/replication-health.js';
import { backupCollectors } from '../collectors/backups/index.js';
import { baselineCollector } from '../collectors/baseline.js';
import { SCRATCH_PREFIX } from '../collectors/backups/restore-test.js';
import { driftCollectors } from '../collectors/drift/index.js';
import type { ReplicationStatus } from '../core/drift-types.js';
import type { Collector } from '../core/collector.js';
import { configSchema, type MmgateConfigInput } from '../core/config/schema.js';
import { runGate, type RunOutput } from '../core/runner.js';
import type { Check, Phase } from '../core/types.js';
import { startPostgres, SEED_COUNTS, type PgServer } from '../lab/postgres.js';

const HOUR = 3_600_000;
let pg: PgServer;
let dir: string;
let good: string;

const collectors = new Map<string, Collector>([...backupCollectors, ...driftCollectors].map((c) => [c.key, c]));

async function gate(phase: Phase, checks: Check[], config: MmgateConfigInput, baselinePath?: string, levels: Record<string, 'off'> = {}): Promise<RunOutput> {
  return runGate({
    phase, checks, collectors: new Map([...collectors, [baselineCollector.key, baselineCollector as Collector]]), config: configSchema.parse(config), configDir: dir,
    scope: { namespace: 'mattermost', installation: 'mm' }, target: { version: '11.7.1' },
    policy: { preset: 'recommended', checks: levels, waivers: [], ignore: [], today: new Date().toISOString().slice(0, 10) },
    checkOptions: new Map(), ...(baselinePath ? { baselinePath } : {}),
    timeouts: { collectorMs: 60_000, checkMs: 5_000, overallMs: 120_000 },
  });
}

async function backupDir(name: string, files: { name: string; content: Buffer; ageMs: number }[]): Promise<string> {
  const d = join(dir, name);
  await mkdir(d, { recursive: true });
  for (const f of files) {
    await writeFile(join(d, f.name), f.content);
    const t = new Date(Date.now() - f.ageMs);
    await utimes(join(d, f.name), t, t);
  }
  return d;
}

const preflightChecks = [backupIntegrity, backupRecency] as unknown as Check[];
const backupsConfig = (path: string, restore = true): MmgateConfigInput => ({
  backups: { database: { path, ...(restore ? { restoreTest: { dsn: pg.dsn('postgres') } } : {}) } },
  database: { dsn: pg.dsn('mm') },
});
const scratchDbs = async () => (await pg.databases()).filter((d) => d.startsWith(SCRATCH_PREFIX));
const result = (out: RunOutput, id: string) => out.report.results.find((r) => r.id === id);

before(async () => {
  pg = await startPostgres();
  await pg.createDatabase('mm');
  dir = await mkdtemp(join(tmpdir(), 'mmgate-gate-'));
  good = join(dir, 'good.dump');
  await pg.dump('mm', good);
});
after(async () => {
  await pg?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('preflight with real dumps', () => {
  it('a fresh, intact dump that restores promotes, and nothing is left on the restore server', async () => {
    const content = await readFile(good);
    const d = await backupDir('ok', [{ name: 'mm-1.dump', content, ageMs: 26 * HOUR }, { name: 'mm-2.dump', content, ageMs: HOUR }]);
    const out = await gate('pre', preflightChecks, backupsConfig(d));
    assert.equal(out.report.verdict.exitCode, 0, JSON.stringify(out.report.results, null, 1));
    assert.equal(result(out, 'backup-integrity')?.measured?.['restore.posts'], SEED_COUNTS.posts);
    assert.equal(result(out, 'backup-integrity')?.measured?.['live.users'], SEED_COUNTS.users);
    assert.equal(Object.keys(result(out, 'backup-integrity')?.measured ?? {}).some((k) => k.startsWith('data.')), false, 'the data.* channel is gone');
    assert.deepEqual(await scratchDbs(), []);
    assert.ok(!JSON.stringify(out).includes(pg.password), 'the DSN password leaked');
  });

  const blocking: { name: string; content: () => Promise<Buffer>; ageMs: number; blocks: string[]; message: RegExp }[] = [
    { name: 'stale dump (mtime set back)', content: () => readFile(good), ageMs: 30 * HOUR, blocks: ['backup-recency'], message: /is 30h00m old, older than 24h/ },
    { name: 'empty dump', content: async () => Buffer.alloc(0), ageMs: HOUR, blocks: ['backup-integrity'], message: /is empty/ },
    { name: 'truncated dump (cut in half)', content: async () => { const b = await readFile(good); return b.subarray(0, Math.floor(b.length / 2)); }, ageMs: HOUR, blocks: ['backup-integrity'], message: /cannot be read to its end/ },
    { name: 'corrupt dump (random bytes)', content: async () => randomBytes(8192), ageMs: HOUR, blocks: ['backup-integrity'], message: /pg_restore cannot read/ },
  ];
  for (const c of blocking) {
    it(`blocks: ${c.name}`, async () => {
      const d = await backupDir(c.name.replace(/\W+/g, '-'), [{ name: 'mm.dump', content: await c.content(), ageMs: c.ageMs }]);
      const out = await gate('pre', preflightChecks, backupsConfig(d));
      assert.equal(out.report.verdict.exitCode, 1);
      assert.deepEqual([...out.report.verdict.blocking].sort(), c.blocks);
      const r = result(out, c.blocks[0] as string);
      assert.ok(r?.findings.some((f) => c.message.test(f.message)), JSON.stringify(r?.findings));
      assert.deepEqual(await scratchDbs(), [], 'a failed restore left a scratch database');
    });
  }

  it('the truncated dump also fails the real restore', async () => {
    const b = await readFile(good);
    const d = await backupDir('truncated-restore', [{ name: 'mm.dump', content: b.subarray(0, Math.floor(b.length / 2)), ageMs: HOUR }]);
    const out = await gate('pre', preflightChecks, backupsConfig(d));
    const f = result(out, 'backup-integrity')?.findings.find((x) => /does not restore/.test(x.message));
    assert.match(f?.actual ?? '', /pg_restore failed/);
    assert.deepEqual(await scratchDbs(), []);
  });

  it('with no backup configured both checks fail closed', async () => {
    const out = await gate('pre', preflightChecks, {});
    assert.deepEqual([...out.report.verdict.blocking].sort(), ['backup-integrity', 'backup-recency']);
    assert.match(result(out, 'backup-recency')?.findings[0]?.remediation ?? '', /forward-only/);
  });
});

describe('verify against the preflight baseline', () => {
  it('passes with the counts kept, and blocks after rows are lost (snapshot and JSON report baselines), with backup-integrity off', async () => {
    await pg.createDatabase('mm_verify');
    const d = await backupDir('verify', [{ name: 'mm.dump', content: await readFile(good), ageMs: HOUR }]);
    const cfg: MmgateConfigInput = { backups: { database: { path: d } }, database: { dsn: pg.dsn('mm_verify') } };
    // A team whose backups are Velero snapshots turns backup-integrity off: verify still gets its counts.
    const pre = await gate('pre', [...preflightChecks, dataIntegrity] as unknown as Check[], cfg, undefined, { 'backup-integrity': 'off' });
    assert.equal(pre.report.verdict.exitCode, 0, JSON.stringify(pre.report.results));
    assert.equal(result(pre, 'backup-integrity')?.status, 'skipped');
    assert.deepEqual((pre.snapshot.data.dataCounts as { counts: unknown }).counts, SEED_COUNTS);
    const snapPath = join(dir, 'preflight.snapshot.json');
    const reportPath = join(dir, 'preflight.json');
    await writeFile(snapPath, JSON.stringify(pre.snapshot));
    await writeFile(reportPath, JSON.stringify(pre.report));

    const kept = await gate('post', [dataIntegrity] as unknown as Check[], cfg, snapPath);
    assert.equal(kept.report.verdict.exitCode, 0, JSON.stringify(kept.report.results));

    await pg.psql("DELETE FROM posts WHERE id IN (SELECT id FROM posts ORDER BY id LIMIT 100)", 'mm_verify');
    for (const baseline of [snapPath, reportPath]) {
      const lost = await gate('post', [dataIntegrity] as unknown as Check[], cfg, baseline);
      assert.deepEqual(lost.report.verdict.blocking, ['data-integrity'], baseline);
      const f = result(lost, 'data-integrity')?.findings[0];
      assert.equal(f?.message, 'posts: 100 of 720 rows are gone since preflight (13.89%)');
      assert.equal(f?.actual, '620');
      // verify keeps only what its checks compare with.
      assert.deepEqual(Object.keys((lost.snapshot.data.baseline as { data: object }).data), ['dataCounts']);
    }
    const none = await gate('post', [dataIntegrity] as unknown as Check[], cfg);
    assert.match(result(none, 'data-integrity')?.findings[0]?.message ?? '', /No preflight baseline/);
  });

  it('without a source of row counts preflight records why, and verify blocks naming it', async () => {
    const d = await backupDir('verify-nocounts', [{ name: 'mm.dump', content: await readFile(good), ageMs: HOUR }]);
    const pre = await gate('pre', [...preflightChecks, dataIntegrity] as unknown as Check[], { backups: { database: { path: d } } });
    // dataCounts is only a baseline input at preflight: NOT_CONFIGURED is recorded, never required.
    assert.equal(pre.required.includes('dataCounts'), false);
    assert.equal((pre.snapshot.data.dataCounts as { code?: string }).code, 'NOT_CONFIGURED');
    const snapPath = join(dir, 'nocounts.snapshot.json');
    await writeFile(snapPath, JSON.stringify(pre.snapshot));
    const post = await gate('post', [dataIntegrity] as unknown as Check[], { database: { dsn: pg.dsn('mm') } }, snapPath);
    assert.deepEqual(post.report.verdict.blocking, ['data-integrity']);
    assert.match(result(post, 'data-integrity')?.findings[0]?.actual ?? '', /preflight could not look \(NOT_CONFIGURED\)/);
  });
});

describe('replication-health on a real standalone primary', () => {
  it('the collector reports zero standbys from pg_stat_replication, and the check fails', async () => {
    const out = await gate('pre', [replicationHealth] as unknown as Check[], {
      sites: [{ name: 'eu', context: 'eu', active: true, replicationDsn: pg.dsn('postgres') }, { name: 'us', context: 'us', active: false }],
      database: { replication: { maxLag: '10s' } },
    });
    const status = out.snapshot.data.replicationStatus as ReplicationStatus;
    assert.equal(status.source, 'sql');
    assert.deepEqual(status.primaries.map((p) => ({ site: p.site, inRecovery: p.inRecovery, standbys: p.standbys.length, error: p.error })), [{ site: 'eu', inRecovery: false, standbys: 0, error: undefined }]);
    assert.deepEqual(out.report.verdict.blocking, ['replication-health']);
    assert.equal(result(out, 'replication-health')?.findings[0]?.message, 'No standby is streaming');
    assert.ok(!JSON.stringify(out).includes(pg.password));
  });
});
