/**
 * Prevents an upgrade along a path Mattermost does not support: database migrations only go
 * forward (a downgrade needs a restore), they are tested from one ESR to the next (skipping an
 * ESR is "supported, but not tested"), and releases older than 7.1 must stop at the 7.1 ESR
 * first (mattermost-facts §7.1; the ESR table is core/esr.ts). The running version is read from
 * the pods' image tags, because the CR's status.version is copied from spec (facts §3.3).
 */
import { installationRef } from '../../core/mattermost.js';
import { z } from 'zod';
import { defineCheck } from '../../core/check.js';
import { esrLabel, esrsCrossed, OLDEST_DIRECT_ESR, recommendedPath, startsBeforeOldestEsr } from '../../core/esr.js';
import { APP_CONTAINER, mattermostPods, podRef } from '../../core/installation.js';
import { outcomeOf } from '../../core/outcome.js';
import { present, type Finding } from '../../core/types.js';
import { compareVersions, formatVersion, imageVersion, parseVersion, type Version } from '../../core/version.js';

export const upgradePath = defineCheck({
  meta: {
    id: 'upgrade-path',
    phase: 'pre',
    title: 'The upgrade follows a supported path',
    failureTitle: 'The upgrade path is not supported',
    description: 'Migrations only go forward and are tested from one ESR to the next: a downgrade, a jump across several ESRs, or a jump from before 7.1 can leave a database the new version cannot run on.',
    requires: ['pods'],
    optional: ['installation'],
    recommended: 'error',
  },
  options: z.strictObject({
    allowSkipEsr: z.boolean().default(false).describe('Accept a jump across more than one ESR ("supported, but not tested") as a warning.'),
    maxMinorJump: z.number().int().min(1).optional().describe('Largest number of minor releases one upgrade may jump within a major version.'),
  }),
  evaluate({ pods, installation }, { options, target, scope }) {
    const cr = installationRef(scope);
    const to = target.version !== undefined ? parseVersion(target.version) : target.image ? imageVersion(target.image) : undefined;
    if (!to) {
      return outcomeOf({
        fails: [{
          message: target.version !== undefined ? `Target version "${target.version}" is not a version: the upgrade path cannot be judged` : 'No target version configured: the upgrade path cannot be judged',
          subject: cr, expected: 'target.version (or target.image with a version tag)',
          actual: target.version ?? (target.image ? `image ${target.image} has no version tag` : 'none'),
          remediation: 'Set target.version (e.g. 11.7.1) in mmgate.yaml or pass it on the command line; a digest-only target.image does not say which version it is.',
        }],
      });
    }

    const running = mattermostPods(pods, scope).map((p) => {
      const containers = p.spec?.containers ?? [];
      const image = (containers.find((c) => c.name === APP_CONTAINER) ?? containers[0])?.image;
      return { pod: p, image, version: image ? imageVersion(image) : undefined };
    });
    const crVersion = present(installation)?.status?.version;
    if (running.length === 0) {
      return outcomeOf({
        fails: [{
          message: `No Mattermost pods of installation ${scope.installation} run in ${scope.namespace}: the running version cannot be read`,
          subject: cr, expected: 'running Mattermost pods',
          // The CR's status.version is copied from spec, so it is context, never the version judged.
          actual: `0 pods${crVersion ? ` (the Mattermost resource names ${crVersion}, copied from its spec)` : ''}`,
          remediation: 'Bring the installation up first (pod-health and installation-state say why it is down).',
        }],
      });
    }
    const unreadable = running.filter((r) => !r.version);
    if (unreadable.length > 0) {
      return outcomeOf({
        fails: unreadable.map((r) => ({
          message: `Pod ${r.pod.metadata.name} runs an image whose tag is not a version: the running version cannot be told`,
          subject: podRef(r.pod), expected: 'an image tagged with its version (mattermost/mattermost-enterprise-edition:10.11.2)', actual: r.image ?? 'no image',
          remediation: 'Set spec.version on the Mattermost resource to a version tag (not latest, not a digest alone), or judge this upgrade path by hand.',
        })),
      });
    }

    const versions = running.map((r) => r.version as Version).sort(compareVersions);
    const from = versions[0] as Version;
    const highest = versions[versions.length - 1] as Version;
    const counts = new Map<string, number>();
    for (const v of versions) counts.set(formatVersion(v), (counts.get(formatVersion(v)) ?? 0) + 1);
    const mixed = counts.size > 1;
    const runningText = [...counts].map(([v, n]) => `${v} on ${n} pod${n === 1 ? '' : 's'}`).join(', ');
    const crossed = esrsCrossed(from, to);
    const measured = {
      runningVersion: formatVersion(from), targetVersion: formatVersion(to), mixed, runningVersions: runningText,
      esrsCrossed: crossed.length,
    };
    const mixedNote = mixed ? `the cluster is mixed (${runningText}); judged from the lowest, ${formatVersion(from)}` : '';
    const summaryOf = (main: string) => [main, mixedNote].filter(Boolean).join('; ');

    if (compareVersions(highest, to) > 0) {
      return outcomeOf({
        fails: [{
          message: `Target ${formatVersion(to)} is older than the running ${formatVersion(highest)}: a downgrade`,
          subject: cr, expected: `a target of at least ${formatVersion(highest)}`, actual: `${formatVersion(highest)} → ${formatVersion(to)}`,
          remediation: `Migrations only go forward: going back to ${formatVersion(to)} needs the database backup taken before the upgrade to ${formatVersion(highest)}, restored together with that version. Otherwise fix target.version.`,
        }],
        summary: summaryOf(`downgrade ${formatVersion(highest)} → ${formatVersion(to)}`), measured,
      });
    }
    if (compareVersions(from, to) === 0) {
      return outcomeOf({ fails: [], summary: `already running ${formatVersion(to)}: nothing to upgrade`, measured });
    }

    const fails: Finding[] = [];
    const warns: Finding[] = [];
    const path = recommendedPath(from, to, formatVersion).join(' → ');
    if (startsBeforeOldestEsr(from, to)) {
      fails.push({
        message: `${formatVersion(from)} is older than the ${esrLabel(OLDEST_DIRECT_ESR)} ESR: it must upgrade to ${esrLabel(OLDEST_DIRECT_ESR)} first`,
        subject: cr, expected: `a start at ${esrLabel(OLDEST_DIRECT_ESR)} or later`, actual: `${formatVersion(from)} → ${formatVersion(to)}`,
        remediation: `Upgrade step by step, each ESR at its latest patch release: ${path}.`,
      });
    }
    if (crossed.length > 1) {
      const labels = crossed.map(esrLabel).join(', ');
      (options.allowSkipEsr ? warns : fails).push({
        message: `${formatVersion(from)} → ${formatVersion(to)} skips ESRs (crosses ${labels}): ${options.allowSkipEsr ? 'supported, not tested' : 'migrations are tested only from one ESR to the next'}`,
        subject: cr, expected: 'at most one ESR crossed per upgrade', actual: `${crossed.length} ESRs crossed (${labels})`,
        remediation: `Upgrade step by step, each ESR at its latest patch release, with a preflight before each step: ${path}.${options.allowSkipEsr ? '' : ' Or set allowSkipEsr to accept a supported but untested jump.'}`,
      });
    }
    if (options.maxMinorJump !== undefined) {
      if (from.major === to.major) {
        const jump = to.minor - from.minor;
        if (jump > options.maxMinorJump) {
          fails.push({
            message: `${formatVersion(from)} → ${formatVersion(to)} jumps ${jump} minor releases`,
            subject: cr, expected: `at most ${options.maxMinorJump} minor releases`, actual: `${jump} minor releases`,
            remediation: `Upgrade in steps of at most ${options.maxMinorJump} minor releases, or raise maxMinorJump.`,
          });
        }
      } else {
        // How many minors a major had is not derivable from two versions: say so rather than guess.
        warns.push({
          message: `${formatVersion(from)} → ${formatVersion(to)} crosses a major version: the minor releases it jumps cannot be counted`,
          subject: cr, expected: `at most ${options.maxMinorJump} minor releases`, actual: `major ${from.major} → ${to.major}`,
          remediation: 'Check the release notes of every release in between by hand, or remove maxMinorJump for this upgrade.',
        });
      }
    }
    return outcomeOf({
      fails, warns, measured,
      summary: summaryOf(`${formatVersion(from)} → ${formatVersion(to)}${crossed.length ? `, crossing ESR ${crossed.map(esrLabel).join(', ')}` : ''}`),
    });
  },
});

export default upgradePath;
