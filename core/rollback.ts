/**
 * The way back from a blocked upgrade, built from the preflight snapshot (what ran before) and,
 * when there is one, the blocked run's own snapshot (what runs now). Pure: the CLI attaches it to
 * every blocked watch/verify report and `mmgate rollback-plan` prints it on its own.
 *
 * - Helm: when the release history has a revision newer than the one deployed at preflight,
 *   `helm rollback <release> <that revision>` (Helm rolls back to a revision number).
 * - The custom resource: the spec.version (and image) to restore for an in-place upgrade; for
 *   blue/green the productionDeployment to restore (or, when production never changed, the idle
 *   colour's version); for a canary, its version or `canary.enable: false`.
 * - The preflight's database backup (its time, and whether a restore of it was tested), and the
 *   warning that migrations only go forward: once the update job ran `mattermost db migrate`
 *   with the new version, going back needs that restore (operator https://github.com/mattermost/mattermost-operator/blob/v1.25.9/pkg/resources/update_job.go; https://github.com/mattermost/docs/blob/master/source/product-overview/release-policy.md).
 */
import type { DatabaseBackups, RestoreTest } from './backup-types.js';
import { canaryOf, colours, crKind, crResource, isClusterInstallation, otherColour, productionColour } from './installation.js';
import type { HelmRelease, InstallationCR } from './kube-types.js';
import type { Scope, Snapshot } from './types.js';
import { present } from './types.js';

export interface RollbackPlan {
  /** What the plan was built from (the preflight snapshot's time). */
  readonly basis: string;
  /** Commands to run, in order. */
  readonly steps: readonly string[];
  readonly backup?: { readonly location: string; readonly takenAt: string; readonly restoreTested: 'yes' | 'failed' | 'no' };
  readonly warnings: readonly string[];
}

const FORWARD_ONLY = 'Schema migrations only go forward: once the update job (mattermost-update-check, `mattermost db migrate`) ran with the new version, the old version may not run on the migrated database — going back then needs the database restore of this plan, together with the old version.';

/** The rollback plan, or undefined when there is no preflight snapshot to build it from. */
export function rollbackPlan(baseline: Snapshot | null | undefined, current: Snapshot | undefined, helmRelease: { release: string; namespace?: string } | undefined): RollbackPlan | undefined {
  if (!baseline) return undefined;
  const scope = baseline.meta.scope;
  const before = present(baseline.data.installation) ?? null;
  const now = current ? present(current.data.installation) ?? null : null;
  const steps: string[] = [];
  const helm = helmStep(present(baseline.data.helmReleases) ?? null, current ? present(current.data.helmReleases) ?? null : null, helmRelease);
  if (helm) steps.push(helm);
  steps.push(...crSteps(before, now, current?.meta.scope ?? scope));
  const backup = backupOf(present(baseline.data.databaseBackups) ?? null, present(baseline.data.restoreTest) ?? null);
  const warnings = [FORWARD_ONLY];
  if (backup) steps.push(`if the update job ran: restore the database from ${backup.location} (taken ${backup.takenAt}; restore-tested: ${backup.restoreTested}), then start the old version`);
  else warnings.push('The preflight snapshot names no database backup (backups.database): there is nothing to restore once migrations ran — find the newest dump before rolling back.');
  if (backup?.restoreTested !== 'yes') warnings.push(`The backup${backup ? ` ${backup.location}` : ''} was not proven restorable at preflight (backups.database.restoreTest): test it before relying on it.`);
  return { basis: `preflight of ${baseline.meta.collectedAt} (${crKind(before, scope)} ${scope.installation} in ${scope.namespace})`, steps, ...(backup ? { backup } : {}), warnings };
}

function helmStep(before: HelmRelease[] | null, now: HelmRelease[] | null, cfg: { release: string; namespace?: string } | undefined): string | undefined {
  const deployed = before?.find((r) => r.status === 'deployed');
  if (!cfg || !deployed) return undefined;
  const newest = now?.[0];
  const ns = cfg.namespace ? ` -n ${cfg.namespace}` : '';
  // Helm made no new revision since preflight: the upgrade was a CR edit, nothing to roll back in Helm.
  if (now && (!newest || newest.revision <= deployed.revision)) return undefined;
  const cmd = `helm rollback ${cfg.release} ${deployed.revision}${ns}`;
  return now
    ? `${cmd}   # revision ${deployed.revision} (chart ${deployed.chart}-${deployed.chartVersion}) was deployed at preflight; now ${newest?.revision}`
    : `only if the upgrade went through Helm (release ${cfg.release} has a revision after ${deployed.revision}): ${cmd}   # chart ${deployed.chart}-${deployed.chartVersion}, deployed at preflight`;
}

const patch = (scope: Scope, spec: unknown) => `kubectl -n ${scope.namespace} patch ${crResource(scope)} ${scope.installation} --type merge -p '${JSON.stringify({ spec })}'`;

function crSteps(before: InstallationCR | null, now: InstallationCR | null, scope: Scope): string[] {
  if (!before) return [`no ${crResource(scope)} ${scope.installation} in the preflight snapshot: restore it from your manifests`];
  const s: Scope = { ...scope, kind: crKind(before, scope) };
  if (isClusterInstallation(before) && before.spec?.blueGreen?.enable) {
    const prod = productionColour(before);
    if (!prod) return [];
    const idle = otherColour(prod);
    const was = colours(before);
    const prodNow = isClusterInstallation(now) ? productionColour(now) : undefined;
    const out: string[] = [];
    if (prodNow && prodNow !== prod) out.push(`${patch(s, { blueGreen: { productionDeployment: prod } })}   # switch production back to ${prod} (${was[prod].version ?? '?'})`);
    else out.push(`production stays on ${prod} (${was[prod].version ?? '?'}): do not switch`);
    out.push(`${patch(s, { blueGreen: { [idle]: { version: was[idle].version } } })}   # the idle colour ${idle} back to ${was[idle].version ?? '?'}`);
    return out;
  }
  if (isClusterInstallation(before) && before.spec?.canary?.enable) {
    const c = canaryOf(before);
    return [`${patch(s, { canary: { enable: false } })}   # abort the canary (${c.name}); or put it back on ${c.version ?? '?'}: ${JSON.stringify({ canary: { deployment: { version: c.version } } })}`];
  }
  const spec = { version: before.spec?.version, ...(before.spec?.image && before.spec.image !== now?.spec?.image ? { image: before.spec.image } : {}) };
  return [`${patch(s, spec)}   # spec.version back to ${before.spec?.version ?? '?'}`];
}

function backupOf(db: DatabaseBackups | null, restore: RestoreTest | null): RollbackPlan['backup'] {
  if (!db?.latest) return undefined;
  const tested = restore && restore.dump === db.latest.name ? (restore.restored ? 'yes' : 'failed') : 'no';
  return { location: db.latest.path, takenAt: db.latest.modifiedAt, restoreTested: tested };
}

/** The plan as text lines (console, JUnit system-out, `mmgate rollback-plan`). */
export function rollbackLines(plan: RollbackPlan): string[] {
  return [
    `Rollback plan — from the ${plan.basis}:`,
    ...plan.steps.map((s, i) => `  ${i + 1}. ${s}`),
    ...plan.warnings.map((w) => `  ! ${w}`),
  ];
}
