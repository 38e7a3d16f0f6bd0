/**
 * Shared judgement helpers for the post-upgrade checks that read Mattermost data (pure functions):
 * the version a target means, smoke-journey steps and leftovers turned into findings.
 */
import type { KubePod } from './kube-types.js';
import type { CallError, ClusterNode, SmokeJourney, SmokePart, SmokeStep, SmokeStepName } from './mattermost-types.js';
import type { NotLooked } from './outcome.js';
import type { Finding, Scope, Target } from './types.js';
import { formatVersion, imageVersion, parseImage, parseVersion } from './version.js';

/** The version the upgrade goes to: target.version, else the tag of target.image; undefined for a digest-only image. */
export function targetVersion(target: Target): string | undefined {
  const v = parseVersion(target.version);
  if (v) return formatVersion(v);
  if (target.image) {
    const iv = imageVersion(target.image);
    if (iv) return formatVersion(iv);
  }
  return undefined;
}

/** Human form of the target for messages. */
export function describeTarget(target: Target): string {
  if (target.image) return target.image;
  return target.version ?? '(none)';
}

/** Thrown when a check needs a target and none (or none it can read a version from) is configured. */
export class NoTargetError extends Error {
  constructor(what: string) {
    super(`${what}: set target.version (e.g. 11.7.1) or target.image in mmgate.yaml`);
    this.name = 'NoTargetError';
  }
}

/** The version a check compares against, or throws (fail closed: no target is an error, never a pass). */
export function requireTargetVersion(target: Target, what: string): string {
  const v = targetVersion(target);
  if (!v) {
    const digestOnly = target.image && parseImage(target.image).digest && !parseImage(target.image).tag;
    throw new NoTargetError(digestOnly ? `${what}: target.image ${target.image} names no version (a digest only); add target.version` : `${what}: no target version`);
  }
  return v;
}

/** One line for a failed call: "HTTP 401 (api.user.login.invalid_credentials_email_username): Enter a valid…". */
export function describeCallError(e: CallError | undefined): string {
  if (!e) return 'no answer recorded';
  const status = e.status !== undefined ? `HTTP ${e.status}` : e.code;
  return `${status}${e.id ? ` (${e.id})` : ''}: ${e.message}`;
}

/** A cluster node is a pod when its hostname is the pod's name (Kubernetes sets it so) or its address the pod's IP. */
export const nodeIsPod = (n: ClusterNode, p: KubePod): boolean =>
  (n.hostname !== '' && (n.hostname === p.metadata.name || n.hostname.startsWith(`${p.metadata.name}.`))) || (n.ipaddress !== '' && n.ipaddress === p.status?.podIP);

export const installationRef = (scope: Scope) => ({ kind: scope.kind ?? 'Mattermost', namespace: scope.namespace, name: scope.installation });

export function stepOf(j: SmokeJourney, name: SmokeStepName): SmokeStep | undefined {
  return j.steps.find((s) => s.name === name);
}

/** What a smoke step did, as shown in `actual`. */
export function stepActual(step: SmokeStep | undefined): string {
  if (!step) return 'the step was not run';
  if (step.skipped) return `not run: ${step.skipped}`;
  if (step.ok) return 'ok';
  return describeCallError(step.error);
}

/**
 * Findings for the named steps that did not succeed: a step that ran and failed is a `fail` (the
 * journey found it broken); a step that was not tried (an earlier step failed, the run was cut)
 * is could-not-look, `error` NOT_TRIED: the journey could not show that the thing works, and the
 * step that stopped it fails in its own check.
 */
export function failedStepFindings(j: SmokeJourney, names: readonly SmokeStepName[], opts: {
  scope: Scope;
  what: Partial<Record<SmokeStepName, string>>;
  remediation: Partial<Record<SmokeStepName, string>> & { default: string };
}): { fails: Finding[]; errors: NotLooked[] } {
  const fails: Finding[] = [];
  const errors: NotLooked[] = [];
  for (const name of names) {
    const step = stepOf(j, name);
    if (step?.ok) continue;
    const what = opts.what[name] ?? name;
    const tried = step !== undefined && !step.skipped;
    const finding: Finding = {
      message: tried ? `${what} failed` : `${what} was not tried: ${step?.skipped ?? 'the step was not run'}`,
      subject: installationRef(opts.scope),
      expected: `${what} succeeds`,
      actual: stepActual(step),
      remediation: tried ? opts.remediation[name] ?? opts.remediation.default : `fix what stopped the journey before this step (${step?.skipped ?? 'the step was not run'}), then verify again`,
      ...(step?.error ? { evidence: [describeCallError(step.error)] } : {}),
    };
    if (tried) fails.push(finding);
    else errors.push({ code: 'NOT_TRIED', ...finding });
  }
  return { fails, errors };
}

/**
 * A read through a pod's proxy that never got Mattermost's answer (the API server refused or could
 * not reach the pod, timed out): could not look. An HTTP error or a wrong body from Mattermost is an answer.
 */
export const podReadNotLooked = (e: CallError | undefined): boolean => !e || !(e.code.startsWith('HTTP_') || e.code === 'MISMATCH');

/** Objects of one part of the journey that the cleanup could not remove: each is a finding naming its id. */
export function leftoverFindings(j: SmokeJourney, part: SmokePart, scope: Scope): Finding[] {
  return j.leftovers.filter((o) => o.part === part).map((o) => ({
    message: `smoke ${o.kind} ${o.id} was left behind: the cleanup could not delete it`,
    subject: { kind: o.kind === 'post' ? 'Post' : 'File', namespace: scope.namespace, name: o.id },
    expected: 'every object the journey created is deleted',
    actual: o.error ? `delete failed: ${describeCallError(o.error)}` : 'still present',
    remediation: `delete it by hand (as an admin: DELETE /api/v4/posts/${o.id}${o.kind === 'file' ? ' for the post it is attached to' : ''}), and check the smoke user may delete its own posts in ${j.team?.name ?? 'the team'}/${j.channel?.name ?? 'the channel'}`,
    ...(o.error ? { evidence: [describeCallError(o.error)] } : {}),
  }));
}

/** Milliseconds of a step, when it ran. */
export const stepMs = (j: SmokeJourney, name: SmokeStepName): number | undefined => stepOf(j, name)?.latencyMs;

/** Measurements from step latencies (only the steps that ran). */
export function stepMeasurements(j: SmokeJourney, names: Readonly<Partial<Record<SmokeStepName, string>>>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, key] of Object.entries(names) as [SmokeStepName, string][]) {
    const ms = stepMs(j, name);
    if (ms !== undefined) out[key] = ms;
  }
  return out;
}
