/**
 * Mattermost Extended Support Releases (ESRs) and the upgrade-path rules built on them.
 *
 * Source: mattermost/docs `source/product-overview/release-policy.md` and the docs page
 * `administration-guide/upgrade/prepare-to-upgrade-mattermost` (compiled in mattermost-facts §7.1).
 * Migrations stay backward-compatible only back to the previous ESR: ESR → next ESR is "fully
 * supported and tested", skipping across several ESRs is "supported, but not tested", and
 * releases older than v7.1 must upgrade to the v7.1 ESR first. Add each new ESR here when it ships.
 */
import type { Version } from './version.js';

export interface Esr {
  readonly major: number;
  readonly minor: number;
  /** Last day of support (YYYY-MM-DD), from the release policy. */
  readonly supportEnds: string;
}

export const ESRS: readonly Esr[] = [
  { major: 7, minor: 1, supportEnds: '2023-04-15' },
  { major: 7, minor: 8, supportEnds: '2023-11-15' },
  { major: 8, minor: 1, supportEnds: '2024-05-15' },
  { major: 9, minor: 5, supportEnds: '2024-11-15' },
  { major: 9, minor: 11, supportEnds: '2025-05-15' },
  { major: 10, minor: 11, supportEnds: '2026-08-15' },
  { major: 11, minor: 7, supportEnds: '2027-05-15' },
];

/** Releases before this line must go to it first (the v7.1 ESR). */
export const OLDEST_DIRECT_ESR: Esr = ESRS[0] as Esr;

export const esrLabel = (e: Pick<Esr, 'major' | 'minor'>): string => `${e.major}.${e.minor}`;

/** Compares release lines (major.minor), ignoring patch and pre-release. */
const compareLine = (v: Pick<Version, 'major' | 'minor'>, e: Pick<Esr, 'major' | 'minor'>): number => v.major - e.major || v.minor - e.minor;

/**
 * The ESRs an upgrade from → to crosses: those whose line is strictly after from's and strictly
 * before to's. Starting on an ESR line or landing on one does not cross it.
 */
export function esrsCrossed(from: Version, to: Version): Esr[] {
  return ESRS.filter((e) => compareLine(from, e) < 0 && compareLine(to, e) > 0);
}

/** True when the upgrade starts before v7.1 and ends after it: the one path the policy forbids. */
export const startsBeforeOldestEsr = (from: Version, to: Version): boolean =>
  compareLine(from, OLDEST_DIRECT_ESR) < 0 && compareLine(to, OLDEST_DIRECT_ESR) > 0;

/**
 * The fully supported route, stopping at every ESR crossed (each at its latest patch release):
 * `9.5.3 → 9.11 → 10.11 → 11.7.1`.
 */
export function recommendedPath(from: Version, to: Version, format: (v: Version) => string): string[] {
  return [format(from), ...esrsCrossed(from, to).map(esrLabel), format(to)];
}
