/**
 * replication-health, after a site's upgrade: the upgraded site's database must still stream
 * from (or to) the writer's, within database.replication.maxLag. An upgrade that broke
 * replication leaves the next site, or a failover, on stale data. Same judgement as the
 * preflight check, run in verify.
 */
import { defineCheck } from '../../core/check.js';
import { replicationHealth } from '../pre/replication-health.js';

export const siteReplication = defineCheck({
  meta: {
    ...replicationHealth.meta,
    id: 'site-replication',
    phase: 'post',
    title: 'After the upgrade, database replication between sites is streaming and current',
    failureTitle: 'After the upgrade, database replication between sites is broken or lagging',
    description: 'A site upgrade must leave replication as it found it: a standby not streaming, or lagging beyond database.replication.maxLag after the upgrade, puts the next site (or a failover) on stale data. The preflight\'s replication-health, judged again in verify.',
  },
  options: replicationHealth.options,
  evaluate: replicationHealth.evaluate,
});

export default siteReplication;
