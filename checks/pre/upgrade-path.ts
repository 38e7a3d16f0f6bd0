/**
 * Prevents an upgrade along a path Mattermost does not support or has not tested. Every jump is
 * put in one of the documents' three classes (fully supported and tested / supported, but not
 * tested / not supported), with the stricter reading where the release policy and
 * prepare-to-upgrade disagree; docs/upgrade-path.md quotes the sentences and core/esr.ts holds
 * the ESR table. The running version is read from the pods' image tags, because the CR's
 * status.version is copied from spec.
 */
import { installationRef } from '../../core/mattermost.js';
import { z } from 'zod';
import { defineCheck } from '../../core/check.js';
import { CLASS_TEXT, classifyUpgrade, esrLabel, esrOf, recommendedPath, SENTENCES, type PathRuling } from '../../core/esr.js';
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
    description: 'Migrations only go forward and keep the older pods working only back to the last ESR. Every upgrade is put in one of Mattermost\'s three classes, said in the finding with the sentence that decided: fully supported and tested (no ESR skipped: ESR to next ESR, a feature release up to the next ESR, a patch) passes; supported, but not tested (an ESR skipped) fails, or only warns with allowSkipEsr; not supported (a downgrade, or a start before 7.1 that ends after it) always fails. Where the release policy and prepare-to-upgrade disagree, the stricter reading wins. A running ESR whose support has ended is a warning with its end date. Sources: docs/upgrade-path.md.',
    requires: ['pods'],
    optional: ['installation'],
    recommended: 'error',
  },
  options: z.strictObject({
    allowSkipEsr: z.boolean().default(false).describe('Accept a "supported, but not tested" upgrade (one that skips an ESR) as a warning instead of a failure. "Not supported" upgrades fail whatever this says.'),
    maxMinorJump: z.number().int().min(1).optional().describe('Largest number of minor releases one upgrade may jump within a major version.'),
  }),
  evaluate({ pods, installation }, { options, target, scope, now }) {
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
    const ruling = classifyUpgrade(from, to);
    const crossedText = ruling.crossed.map(esrLabel).join(', ');
    const measured = {
      runningVersion: formatVersion(from), targetVersion: formatVersion(to), mixed, runningVersions: runningText,
      esrsCrossed: ruling.crossed.length, pathClass: CLASS_TEXT[ruling.pathClass], decidedBy: ruling.decidedBy,
    };
    const mixedNote = mixed ? `the cluster is mixed (${runningText}); judged from the lowest, ${formatVersion(from)}` : '';
    const summaryOf = (main: string) => [main, mixedNote].filter(Boolean).join('; ');
    const eos = endOfSupport(from, today(now), cr);

    if (compareVersions(highest, to) > 0) {
      return outcomeOf({
        fails: [{
          message: `Target ${formatVersion(to)} is older than the running ${formatVersion(highest)}: a downgrade, not supported`,
          subject: cr, expected: `a target of at least ${formatVersion(highest)}`, actual: `${formatVersion(highest)} → ${formatVersion(to)}`,
          remediation: `Migrations only go forward (${SENTENCES.restore}): going back to ${formatVersion(to)} needs the database backup taken before the upgrade to ${formatVersion(highest)}, restored together with that version. Otherwise fix target.version.`,
        }],
        warns: eos, summary: summaryOf(`downgrade ${formatVersion(highest)} → ${formatVersion(to)}: not supported`), measured: { ...measured, pathClass: CLASS_TEXT.unsupported, decidedBy: 'restore' },
      });
    }
    if (compareVersions(from, to) === 0) {
      return outcomeOf({ fails: [], warns: eos, summary: `already running ${formatVersion(to)}: nothing to upgrade`, measured });
    }

    const fails: Finding[] = [];
    const warns: Finding[] = [...eos];
    const path = pathFinding(from, to, ruling, options.allowSkipEsr, cr);
    if (path) (ruling.pathClass === 'untested' && options.allowSkipEsr ? warns : fails).push(path);
    if (options.maxMinorJump !== undefined) {
      const jump = minorJump(from, to, options.maxMinorJump, cr);
      if (jump) (from.major === to.major ? fails : warns).push(jump);
    }
    return outcomeOf({
      fails, warns, measured,
      summary: summaryOf(`${formatVersion(from)} → ${formatVersion(to)}: ${CLASS_TEXT[ruling.pathClass]}${ruling.crossed.length ? ` (skips ESR ${crossedText})` : ''}`),
    });
  },
});

type ObjectRef = NonNullable<Finding['subject']>;
const today = (now: Date): string => now.toISOString().slice(0, 10);

/** The finding for a jump that is not fully supported and tested; undefined when it is. */
function pathFinding(from: Version, to: Version, ruling: PathRuling, allowSkipEsr: boolean, cr: ObjectRef): Finding | undefined {
  if (ruling.pathClass === 'tested') return undefined;
  const jump = `${formatVersion(from)} → ${formatVersion(to)}`;
  const route = `Upgrade step by step, stopping at each ESR on its latest patch release (x), with a preflight before each step: ${recommendedPath(from, to, formatVersion).join(' → ')}.`;
  const decided = `Decided by ${SENTENCES[ruling.decidedBy]}${ruling.overruled ? ` This is the stricter reading: ${SENTENCES[ruling.overruled]} reads it as fully supported.` : ''}`;
  if (ruling.pathClass === 'unsupported') {
    return {
      message: `${jump} is not supported: ${formatVersion(from)} is older than the 7.1 ESR and must upgrade to 7.1 first. ${decided}`,
      subject: cr, expected: 'a start at 7.1 or later (not supported otherwise)', actual: `${jump}: not supported`,
      remediation: route,
    };
  }
  const labels = ruling.crossed.map(esrLabel).join(', ');
  return {
    message: `${jump} skips ESR ${labels}: supported, but not tested. ${decided}`,
    subject: cr, expected: 'no ESR skipped (fully supported and tested)', actual: `${ruling.crossed.length} ESR${ruling.crossed.length === 1 ? '' : 's'} skipped (${labels}): supported, but not tested`,
    remediation: `${route}${allowSkipEsr ? '' : ' Or set allowSkipEsr to accept a supported but untested jump as a warning.'}`,
  };
}

/** A warning when the running version is an ESR whose support has ended (the upgrade is the way out). */
function endOfSupport(from: Version, day: string, cr: ObjectRef): Finding[] {
  const esr = esrOf(from);
  if (!esr || esr.supportEnds >= day) return [];
  return [{
    message: `${formatVersion(from)} is on the ${esrLabel(esr)} ESR, whose support ended on ${esr.supportEnds}: it gets no more security fixes`,
    subject: cr, expected: `a supported release (the ${esrLabel(esr)} ESR was supported until ${esr.supportEnds})`, actual: `${esrLabel(esr)} ESR, support ended ${esr.supportEnds}`,
    remediation: 'Complete this upgrade to a supported ESR or feature release soon; see docs/upgrade-path.md for the ESR dates.',
  }];
}

/** maxMinorJump: a failure within a major, a warning across majors (the minors in between cannot be counted). */
function minorJump(from: Version, to: Version, max: number, cr: ObjectRef): Finding | undefined {
  if (from.major !== to.major) {
    // How many minors a major had is not derivable from two versions: say so rather than guess.
    return {
      message: `${formatVersion(from)} → ${formatVersion(to)} crosses a major version: the minor releases it jumps cannot be counted`,
      subject: cr, expected: `at most ${max} minor releases`, actual: `major ${from.major} → ${to.major}`,
      remediation: 'Check the release notes of every release in between by hand, or remove maxMinorJump for this upgrade.',
    };
  }
  const jump = to.minor - from.minor;
  if (jump <= max) return undefined;
  return {
    message: `${formatVersion(from)} → ${formatVersion(to)} jumps ${jump} minor releases`,
    subject: cr, expected: `at most ${max} minor releases`, actual: `${jump} minor releases`,
    remediation: `Upgrade in steps of at most ${max} minor releases, or raise maxMinorJump.`,
  };
}

export default upgradePath;
