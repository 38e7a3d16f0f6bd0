/**
 * Config sections for backups, the database, multiple sites and configuration drift.
 * Kept apart from schema.ts because they grow with the backup and drift checks.
 *
 * Thresholds that belong to a data source (a backup's maxAge, a tolerance) live here next to
 * the source, and the collectors copy them into the snapshot, so a saved snapshot is judged
 * against the limits it was collected with (`mmgate evaluate` needs no config).
 */
import { z } from 'zod';
import { DURATION_PATTERN } from '../duration.js';

const duration = z.string().regex(DURATION_PATTERN, 'a duration such as 30s, 15m, 24h or 7d');
const fraction = z.number().min(0).max(1);

/** The annotation (or label) on a Mattermost CR that says which site writes: `active` or `passive`. */
export const ROLE_KEY = 'mmgate.io/role';

export const backupsSection = z.strictObject({
  database: z.strictObject({
    path: z.string().min(1).describe('A pg_dump file, or a directory whose newest matching file is the latest backup (the one before it is kept for the size comparison). Relative to the config file.'),
    pattern: z.string().default('*.dump').describe('File-name glob inside a directory (only * and ? are special).'),
    maxAge: duration.default('24h').describe('Oldest acceptable age of the newest dump (backup-recency).'),
    sizeTolerance: fraction.default(0.5).describe('Largest relative size change of the newest dump against the previous one (backup-integrity).'),
    readWholeDump: z.boolean().default(true).describe('Read every block of the newest dump with `pg_restore -f /dev/null` (custom/tar) or scan it to its last line (plain), so a truncated file is caught: `pg_restore --list` alone only reads the table of contents. Turn off for very large dumps and rely on restoreTest.'),
    restoreTest: z.strictObject({
      dsn: z.string().min(1).describe('PostgreSQL server to restore into, as a role with CREATEDB, never the production server: ${env:NAME}. A scratch database mmgate_restore_<time>_<random> is created, restored, counted and dropped.'),
      tolerance: fraction.default(0.05).describe('Largest relative difference of restored row counts (users, teams, channels, posts) against the live database (database.dsn).'),
      leftoverAge: duration.default('6h').describe('A scratch database of an earlier run older than this is reported as left behind.'),
    }).optional().describe('Restore the newest dump into a scratch database and count what came back (custom and tar dumps).'),
  }).optional().describe('pg_dump files of the Mattermost database.'),
  snapshots: z.strictObject({
    namespace: z.string().optional().describe('Namespace of the VolumeSnapshots; default kube.namespace.'),
    volumes: z.array(z.string().min(1)).min(1).describe('PersistentVolumeClaims (database, file store) that must have a ready snapshot (snapshot.storage.k8s.io/v1).'),
    maxAge: duration.default('24h').describe('Oldest acceptable age of the newest ready snapshot of each volume.'),
  }).optional().describe('CSI VolumeSnapshots of the volumes the upgrade must be able to roll back to.'),
  filestore: z.strictObject({
    path: z.string().min(1).describe('Directory whose newest entry (file or folder) is the latest file-store backup. Relative to the config file.'),
    maxAge: duration.default('24h').describe('Oldest acceptable age of that newest entry.'),
  }).optional().describe('File-store (attachments) backups.'),
}).optional().describe('Backups that must exist, be fresh and restore before an upgrade: Mattermost migrations are forward-only, so the only way back is a restore.');

export const databaseSection = z.strictObject({
  dsn: z.string().min(1).optional().describe('Read-only DSN of the live Mattermost database (postgres://… or key=value): ${env:NAME}. Used for row counts (data-integrity, restore test). Without it, counts come from /api/v4/analytics/old with mattermost.admin.token.'),
  countTolerance: fraction.default(0.01).describe('Largest loss of rows (users, teams, channels, posts) between preflight and verify (data-integrity).'),
  replication: z.strictObject({
    maxLag: duration.default('30s').describe('Largest replay lag of any standby (replication-health).'),
    query: z.string().min(1).optional().describe('PromQL returning one series per standby whose value is its lag in seconds (e.g. from postgres_exporter: pg_replication_lag_seconds). Used instead of pg_stat_replication when prometheus.url is set.'),
  }).default({ maxLag: '30s' }).describe('Streaming replication between the sites\' databases (read from each site\'s replicationDsn, or Prometheus).'),
}).optional();

export const sitesSection = z.array(z.strictObject({
  name: z.string().min(1).describe('Site name used in findings (e.g. eu-west).'),
  context: z.string().min(1).describe('kubeconfig context of this site.'),
  kubeconfig: z.string().optional().describe('kubeconfig file of this site; default kube.kubeconfig.'),
  namespace: z.string().optional().describe('Default kube.namespace.'),
  installation: z.string().optional().describe('Name of the Mattermost CR; default kube.installation.'),
  active: z.boolean().optional().describe(`Declared role: exactly one site is the active writer. Cross-checked with the ${ROLE_KEY} annotation (or label) on each site's Mattermost CR: active | passive.`),
  replicationDsn: z.string().min(1).optional().describe('DSN of this site\'s PostgreSQL primary (a role with pg_monitor), to read pg_stat_replication: ${env:NAME}.'),
  drain: z.strictObject({
    annotation: z.string().min(1).optional().describe('An annotation (or label) on the site\'s Mattermost CR that your traffic manager sets when the site takes no traffic: "true" or "drained" means drained.'),
    query: z.string().min(1).optional().describe('Or PromQL giving the site\'s request rate (requests/s) on prometheus.url, e.g. sum(rate(nginx_ingress_controller_requests{cluster="us"}[2m])).'),
    maxRequestRate: z.number().min(0).default(1).describe('The rate at or below which the query says drained.'),
  }).optional().describe('Where mmgate reads whether the site is drained before it is upgraded with --site (it never guesses about a global load balancer); without it, the drain is reported as not checked.'),
})).refine((sites) => new Set(sites.map((s) => s.name)).size === sites.length, { message: 'site names must be unique' })
  .optional().describe('Two or more sites (active/active or active/passive) compared for drift, writers and replication.');

export const driftSection = z.strictObject({
  desired: z.strictObject({
    values: z.string().optional().describe('A Helm values.yaml from git, compared with the user-supplied values of the newest release of kube.helm.release.'),
    manifest: z.string().optional().describe('A Mattermost CR manifest from git, compared with each site\'s CR spec.'),
  }).optional().describe('The desired state (paths relative to the config file).'),
  allow: z.array(z.string().min(1)).default([]).describe('Dotted paths whose differences are meant, e.g. spec.ingress.host or spec.mattermostEnv[MM_SERVICESETTINGS_SITEURL]; a * segment matches one segment, ** any number; a path also allows everything under it.'),
  configMaps: z.array(z.string().min(1)).default([]).describe('ConfigMaps (in each site\'s namespace) compared key by key.'),
  secrets: z.array(z.string().min(1)).default([]).describe('Secrets compared by a keyed SHA-256 of each value; values are never stored or shown.'),
}).optional().describe('Configuration drift between sites, and against the desired state in git (config-drift). spec.version and spec.image are never drift: the upgrade changes them.');
