/**
 * Catches configuration the upgrade changed: config migrations of a new version can reset or
 * flip settings (clustering, the site URL, the file or database driver, SMTP, an auth provider),
 * and the server runs on, differently. The effective configuration at verify is diffed with the
 * one preflight recorded, by dotted path (secrets masked by key, never stored): a change to one
 * of the settings that matter blocks unless allowed; every other change is listed.
 */
import { z } from 'zod';
import { fromBaseline } from '../../core/baseline.js';
import { defineCheck } from '../../core/check.js';
import { diffSettings, pathMatches, settingText, withoutBaseline } from '../../core/identity.js';
import { installationRef } from '../../core/mattermost.js';
import { outcomeOf } from '../../core/outcome.js';
import type { Change, Finding } from '../../core/types.js';

/** Settings whose change after an upgrade is never cosmetic. */
export const SETTINGS_THAT_MATTER: readonly string[] = [
  'ClusterSettings.Enable', 'ServiceSettings.SiteURL', 'FileSettings.DriverName', 'SqlSettings.DriverName', 'SqlSettings.DataSource',
  'PluginSettings.Enable', 'EmailSettings.SMTPServer',
  'GitLabSettings.Enable', 'GoogleSettings.Enable', 'Office365Settings.Enable', 'OpenIdSettings.Enable', 'LdapSettings.Enable', 'SamlSettings.Enable',
];

/** The most changes kept in the report; a migration can add hundreds of new settings. */
const MAX_CHANGES = 200;
const pattern = z.string().regex(/^[A-Za-z0-9]+(\.[A-Za-z0-9]+)*(\.\*)?$/, 'a dotted setting path such as ServiceSettings.SiteURL, or Section.* for a whole section');

export const configChangesCheck = defineCheck({
  meta: {
    id: 'config-changes',
    phase: 'post',
    title: 'No setting that matters changed in the upgrade',
    failureTitle: 'The upgrade changed settings that matter',
    description: 'Diffs /api/v4/config (admin token; secrets masked by key, data sources reduced to their host) with the configuration preflight recorded (verify --baseline), by dotted path. A change to a setting in `settings` (clustering, site URL, file and database drivers and database host, plugins, SMTP server, the auth providers\' Enable flags) fails unless `allow` covers it; every other change is listed in "what changed".',
    requires: ['effectiveConfig'],
    baseline: ['effectiveConfig'],
    recommended: 'error',
  },
  options: z.strictObject({
    settings: z.array(pattern).default([...SETTINGS_THAT_MATTER]).describe('Settings whose change fails the check (dotted paths; Section.* for a whole section).'),
    allow: z.array(pattern).default([]).describe('Intended changes: settings (or Section.*) whose change is expected in this upgrade; listed as allowed.'),
  }),
  evaluate(input, ctx) {
    const subject = installationRef(ctx.scope);
    const base = fromBaseline(input.baseline, 'effectiveConfig');
    if (!base.ok) return withoutBaseline(base, 'configuration', subject);
    const diff = diffSettings(base.value.settings, input.effectiveConfig.settings);
    const fails: Finding[] = [];
    const changes: Change[] = [];
    for (const d of diff) {
      const allowed = ctx.options.allow.some((p) => pathMatches(d.path, p));
      const matters = ctx.options.settings.some((p) => pathMatches(d.path, p));
      const before = settingText(d.before);
      const after = settingText(d.after);
      if (matters && !allowed) {
        fails.push({
          message: `${d.path} changed in the upgrade: ${before} → ${after}`, subject: { kind: 'Setting', name: d.path },
          expected: `${before} (as at preflight)`, actual: after,
          remediation: `If the new value is wrong, set ${d.path} back (System Console, config.json or its MM_ environment variable) and restart the pods; if it is intended, add ${d.path} to config-changes' allow.`,
        });
      }
      if (changes.length < MAX_CHANGES || (matters && !allowed)) changes.push({ area: 'config', item: d.path, before, after, judged: allowed ? 'allowed' : matters ? 'finding' : 'info' });
    }
    return outcomeOf({
      fails, changes,
      summary: `${diff.length} setting(s) changed since preflight${fails.length ? `, ${fails.length} that matter` : ''}${diff.length > changes.length ? ` (${changes.length} listed)` : ''}`,
      measured: { changed: diff.length, blockingChanges: fails.length },
    });
  },
});

export default configChangesCheck;
