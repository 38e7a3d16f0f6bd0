/**
 * Prevents an upgrade from rolling out configuration nobody meant: a site whose CR, env,
 * ConfigMaps, Secrets or Helm values drifted from the other sites or from git gets that drift
 * baked in (the operator re-renders pods from the live CR), and in active/active two sites on
 * different settings behave differently after the upgrade. Differences are listed by dotted
 * path; spec.version and spec.image are expected to change; drift.allow lists intended ones;
 * secret-bearing values are never shown ("differs (values hidden)").
 */
import { z } from 'zod';
import { defineCheck } from '../../core/check.js';
import { describeEntry, diff, matchesAny, parsePath, type DiffEntry } from '../../core/diff.js';
import type { SiteConfig } from '../../core/drift-types.js';
import type { Finding } from '../../core/types.js';

interface Comparison {
  readonly left: unknown;
  readonly right: unknown;
  readonly site: SiteConfig;
  /** Message for one difference. */
  readonly what: (path: string) => string;
  readonly remediation: (path: string) => string;
}

/** What a site is compared on: its CR spec, ConfigMaps, Secret hashes and Helm values. */
function siteDoc(s: SiteConfig, present: { configMaps: Set<string>; secrets: Set<string> }): Record<string, unknown> {
  const pick = (m: Readonly<Record<string, unknown>>, keep: Set<string>) =>
    Object.fromEntries(Object.entries(m).filter(([k, v]) => keep.has(k) && v !== null).map(([k, v]) => [k, { data: v }]));
  return {
    spec: s.cr.spec ?? {},
    configMaps: pick(s.configMaps, present.configMaps),
    secrets: pick(s.secrets, present.secrets),
    ...(s.helm ? { values: s.helm.values } : {}),
  };
}

function subjectFor(path: string, s: SiteConfig): NonNullable<Finding['subject']> {
  const [head, name] = parsePath(path).map((x) => x.replace(/^\[|\]$/g, ''));
  if (head === 'configMaps' && name) return { kind: 'ConfigMap', namespace: s.namespace, name };
  if (head === 'secrets' && name) return { kind: 'Secret', namespace: s.namespace, name };
  if (head === 'values') return { kind: 'HelmRelease', namespace: s.namespace, name: s.helm?.release ?? 'release' };
  return { kind: 'Mattermost', namespace: s.namespace, name: s.installation };
}

export const configDrift = defineCheck({
  meta: {
    id: 'config-drift',
    phase: 'pre',
    title: 'Configuration matches across sites and git',
    failureTitle: 'Configuration has drifted',
    description: 'An upgrade re-renders pods from the live configuration, so drift (a hand edit, a site that missed a change) rolls out with it, and active/active sites on different settings diverge after the upgrade. Compares each site\'s Mattermost CR spec (mattermostEnv keyed by name), drift.configMaps, drift.secrets (by keyed hash) and Helm values with the first site and with the desired state in git; spec.version/spec.image and drift.allow paths are ignored; secret-bearing values are never shown.',
    requires: ['clusterConfigs'],
    recommended: 'error',
  },
  options: z.strictObject({
    ignore: z.array(z.string().min(1)).default(['spec.version', 'spec.image']).describe('Paths that are never drift (the upgrade changes them).'),
    maxFindings: z.number().int().positive().default(50).describe('Differences listed one by one; the rest are counted.'),
  }),
  evaluate(input, ctx) {
    const cc = input.clusterConfigs;
    const findings: Finding[] = [];
    const [ref, ...others] = cc.sites;
    if (!ref) return { status: 'fail', findings: [{ message: 'No site was read', subject: { kind: 'Config', name: 'sites' }, expected: 'at least the main context', actual: 'none', remediation: 'Check kube.context and sites[].' }] };
    if (others.length === 0 && cc.desired.manifestSpec === undefined && cc.desired.values === undefined) {
      return { status: 'not-applicable', reason: 'one site and no desired state (drift.desired.manifest / drift.desired.values): nothing to compare with' };
    }
    for (const s of cc.sites) {
      if (!s.cr.found) {
        findings.push({
          message: `Site ${s.site} has no Mattermost ${s.namespace}/${s.installation}`, subject: { kind: 'Mattermost', namespace: s.namespace, name: s.installation },
          expected: 'the installation exists', actual: 'not found', remediation: `Fix sites[${s.site}].namespace/installation (or kube.*), or create the installation on ${s.site}.`,
        });
      }
    }
    // A ConfigMap or Secret missing on some sites is one finding, not a diff of every key.
    const present = { configMaps: new Set<string>(), secrets: new Set<string>() };
    for (const kind of ['configMaps', 'secrets'] as const) {
      const names = new Set(cc.sites.flatMap((s) => Object.keys(s[kind])));
      for (const name of names) {
        const missing = cc.sites.filter((s) => s[kind][name] === null || s[kind][name] === undefined);
        if (missing.length === 0) { present[kind].add(name); continue; }
        const k = kind === 'configMaps' ? 'ConfigMap' : 'Secret';
        findings.push({
          message: `${k} ${name} is missing on ${missing.map((s) => s.site).join(', ')}`,
          subject: { kind: k, namespace: missing[0]?.namespace ?? '', name },
          expected: `present on every site (drift.${kind})`, actual: `missing on ${missing.map((s) => `${s.site} (${s.namespace})`).join(', ')}`,
          remediation: `Create ${k} ${name} where it is missing, or remove it from drift.${kind}.`,
        });
      }
    }

    const comparisons: Comparison[] = [];
    for (const s of others) {
      if (!s.cr.found || !ref.cr.found) continue;
      comparisons.push({
        left: siteDoc(ref, present), right: siteDoc(s, present), site: s,
        what: (p) => `${p} differs between site ${ref.site} and site ${s.site}`,
        remediation: (p) => `Make site ${s.site} match ${ref.site}, or add "${p}" to drift.allow if the difference is intended (hostnames, site URLs).`,
      });
    }
    for (const s of cc.sites) {
      if (cc.desired.manifestSpec !== undefined && s.cr.found) {
        comparisons.push({
          left: { spec: cc.desired.manifestSpec }, right: { spec: s.cr.spec ?? {} }, site: s,
          what: (p) => `${p} on site ${s.site} differs from git (${cc.desired.manifestPath ?? 'drift.desired.manifest'})`,
          remediation: (p) => `Apply the manifest from git (GitOps sync or kubectl apply), or commit the live change to git; add "${p}" to drift.allow if it is meant to differ.`,
        });
      }
      if (cc.desired.values !== undefined) {
        if (!s.helm) {
          findings.push({
            message: `Site ${s.site} has no Helm release to compare with ${cc.desired.valuesPath ?? 'drift.desired.values'}`,
            subject: { kind: 'HelmRelease', namespace: s.namespace, name: s.helm === null ? 'release' : 'kube.helm' },
            expected: 'a Helm release (kube.helm.release)', actual: s.helm === null ? 'no release secret found' : 'kube.helm is not configured',
            remediation: 'Set kube.helm.release (and namespace) to the release that installs Mattermost, or remove drift.desired.values.',
          });
        } else {
          comparisons.push({
            left: { values: cc.desired.values }, right: { values: s.helm.values }, site: s,
            what: (p) => `${p} of release ${s.helm?.release} on site ${s.site} differs from git (${cc.desired.valuesPath ?? 'drift.desired.values'})`,
            remediation: (p) => `helm upgrade with the values from git, or commit the live values; add "${p}" to drift.allow if it is meant to differ.`,
          });
        }
      }
    }

    let total = 0;
    let allowed = 0;
    let hidden = 0;
    for (const c of comparisons) {
      const entries: DiffEntry[] = diff(c.left, c.right, { ignore: ctx.options.ignore });
      for (const e of entries) {
        if (matchesAny(cc.allow, e.path)) { allowed++; continue; }
        total++;
        const shown = describeEntry(e);
        if (shown.hidden) hidden++;
        if (findings.length >= ctx.options.maxFindings) continue;
        findings.push({
          message: `${c.what(e.path)}${shown.hidden ? ' (values hidden)' : ''}`,
          subject: subjectFor(e.path, c.site),
          expected: shown.left, actual: shown.right,
          remediation: c.remediation(e.path),
        });
      }
    }
    if (total > 0 && findings.length >= ctx.options.maxFindings) {
      findings.push({
        message: `…and more differences than listed (${total} in all)`, subject: { kind: 'Config', name: 'drift' },
        expected: '0 differences', actual: String(total), remediation: 'Raise the config-drift option maxFindings to list them all.',
      });
    }
    const measured = { sites: cc.sites.length, comparisons: comparisons.length, differences: total, hidden, allowed };
    if (findings.length) return { status: 'fail', findings, measured };
    return { status: 'pass', summary: `${comparisons.length} comparison(s), no drift${allowed ? ` (${allowed} allowed difference(s))` : ''}`, measured };
  },
});

export default configDrift;
