/**
 * Mattermost Extended Support Releases (ESRs) and the upgrade-path classes built on them.
 *
 * Every row, date and sentence below is quoted with its source in docs/upgrade-path.md; the
 * classes and the stricter reading where the release policy and prepare-to-upgrade disagree are
 * explained there too. Add each new ESR here (and there) when it ships.
 */
import { compareVersions, type Version } from './version.js';

export interface Esr {
  readonly major: number;
  readonly minor: number;
  /** Release day (YYYY-MM-DD), only where a source states it. */
  readonly released?: string;
  /** Last day of support (YYYY-MM-DD). */
  readonly supportEnds: string;
  /** Where the row comes from (docs/upgrade-path.md, "The ESRs"). */
  readonly source: string;
}

const LEGACY = 'release policy, Legacy Releases table';
export const ESRS: readonly Esr[] = [
  { major: 7, minor: 1, supportEnds: '2023-04-15', source: LEGACY },
  { major: 7, minor: 8, supportEnds: '2023-11-15', source: LEGACY },
  { major: 8, minor: 1, supportEnds: '2024-05-15', source: LEGACY },
  { major: 9, minor: 5, supportEnds: '2024-11-15', source: LEGACY },
  { major: 9, minor: 11, supportEnds: '2025-05-15', source: LEGACY },
  { major: 10, minor: 5, released: '2025-02-16', supportEnds: '2025-11-15', source: 'common-esr-support-upgrade.md (v10.5 end-of-life notice)' },
  { major: 10, minor: 11, released: '2025-08-16', supportEnds: '2026-08-15', source: 'release policy timeline' },
  { major: 11, minor: 7, released: '2026-05-15', supportEnds: '2027-05-15', source: 'release policy timeline' },
];

/** Releases before this line must go to it first (the v7.1 ESR). */
export const OLDEST_DIRECT_ESR: Esr = ESRS[0] as Esr;

export const esrLabel = (e: Pick<Esr, 'major' | 'minor'>): string => `${e.major}.${e.minor}`;

/** Compares release lines (major.minor), ignoring patch and pre-release. */
const compareLine = (v: Pick<Version, 'major' | 'minor'>, e: Pick<Esr, 'major' | 'minor'>): number => v.major - e.major || v.minor - e.minor;

/** The ESR whose line this version is on, if any. */
export const esrOf = (v: Version): Esr | undefined => ESRS.find((e) => compareLine(v, e) === 0);

/**
 * The ESRs an upgrade from → to skips: those whose line is strictly after from's and strictly
 * before to's. Starting on an ESR line or landing on one does not skip it.
 */
export function esrsCrossed(from: Version, to: Version): Esr[] {
  return ESRS.filter((e) => compareLine(from, e) < 0 && compareLine(to, e) > 0);
}

/** True when the upgrade starts before v7.1 and ends after it: the one forward path the policy forbids. */
export const startsBeforeOldestEsr = (from: Version, to: Version): boolean =>
  compareLine(from, OLDEST_DIRECT_ESR) < 0 && compareLine(to, OLDEST_DIRECT_ESR) > 0;

/** The documents' sentences the rulings cite (keys and sources in docs/upgrade-path.md). */
export const SENTENCES = {
  'esr-next': 'release policy: "Upgrading from ESR-to-ESR (major -> major_next) is fully supported and tested."',
  'esr-skip': 'release policy: "upgrading from ESR-to-ESR (major to major+2) is supported, but not tested."',
  'esr-example': 'release policy: "if you\'re upgrading from the v8.1 ESR, upgrade to the v9.5 ESR or the v9.11 ESR"',
  'last-esr': 'prepare to upgrade: "This backwards compatibility guarantee extends to only the last ESR version."',
  'minimum-7.1': 'release policy: "If you\'re on a legacy Mattermost release prior to v7.1 … you must upgrade to v7.1 ESR at a minimum."',
  restore: 'release policy: "To restore a previous ESR, restore the database and previous version if you need to revert an upgrade."',
} as const;
export type SentenceKey = keyof typeof SENTENCES;

export type PathClass = 'tested' | 'untested' | 'unsupported';
export const CLASS_TEXT: Record<PathClass, string> = {
  tested: 'fully supported and tested',
  untested: 'supported, but not tested',
  unsupported: 'not supported',
};

export interface PathRuling {
  readonly pathClass: PathClass;
  /** The ESRs skipped (strictly between from and to). */
  readonly crossed: readonly Esr[];
  /** The sentence that decided the class. */
  readonly decidedBy: SentenceKey;
  /** Set when the other document reads this jump more leniently: the sentence the stricter reading overruled. */
  readonly overruled?: SentenceKey;
}

/**
 * Classifies an upgrade from → to as Mattermost's documents do. Where they disagree
 * (the release policy reads "major -> major_next" by major version, prepare-to-upgrade counts
 * ESRs), the stricter reading wins and the ruling names both sentences.
 */
export function classifyUpgrade(from: Version, to: Version): PathRuling {
  const crossed = esrsCrossed(from, to);
  if (compareVersions(from, to) > 0) return { pathClass: 'unsupported', crossed, decidedBy: 'restore' };
  if (startsBeforeOldestEsr(from, to)) return { pathClass: 'unsupported', crossed, decidedBy: 'minimum-7.1' };
  if (crossed.length === 0) {
    const esrToNext = esrOf(from) !== undefined && esrOf(to) !== undefined && compareLine(from, to) < 0;
    return { pathClass: 'tested', crossed, decidedBy: esrToNext ? 'esr-next' : 'last-esr' };
  }
  // Within one major step the release policy's example (8.1 → 9.5 or 9.11) calls the jump
  // fully supported; prepare-to-upgrade's ESR count does not. Two majors or more: both agree.
  if (to.major - from.major <= 1) return { pathClass: 'untested', crossed, decidedBy: 'last-esr', overruled: 'esr-example' };
  return { pathClass: 'untested', crossed, decidedBy: 'esr-skip' };
}

/**
 * The recommended route, stopping at every ESR skipped, each at its latest patch release (`x`):
 * `9.5.3 → 9.11.x → 10.5.x → 10.11.x → 11.7.1`.
 */
export function recommendedPath(from: Version, to: Version, format: (v: Version) => string): string[] {
  return [format(from), ...esrsCrossed(from, to).map((e) => `${esrLabel(e)}.x`), format(to)];
}
