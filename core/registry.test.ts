import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { configSchema } from './config/schema.js';
import { ConfigError } from './errors.js';
import { loadRegistry } from './registry.js';
import { runGate } from './runner.js';
import { tempDirSync } from '../test/temp.js';

// A user's plugin, written as a user would: plain ESM importing the public API.
const api = fileURLToPath(new URL('./index.js', import.meta.url));
const PLUGIN = `
import { defineCheck, z } from ${JSON.stringify(api)};
export const collectors = [{ key: 'acme.sso', source: 'ACME SSO metadata', async collect() { return { certificateDaysLeft: 3 }; } }];
export const checks = [defineCheck({
  meta: { id: 'acme-sso-certificate', phase: 'pre', title: 'SSO certificate is valid', failureTitle: 'SSO certificate expires soon',
    description: 'An expired SAML certificate locks everyone out after the restart.', requires: ['acme.sso'], recommended: 'error' },
  options: z.strictObject({ minDays: z.number().default(14) }),
  evaluate(input, ctx) {
    const days = input['acme.sso'].certificateDaysLeft;
    return days >= ctx.options.minDays ? { status: 'pass', measured: { days } }
      : { status: 'fail', findings: [{ message: 'certificate expires in ' + days + ' days', expected: '>= ' + ctx.options.minDays, actual: String(days) }] };
  },
})];
`;

describe('plugins', () => {
  it('loads a user module whose check runs and blocks like a built-in', async () => {
    const dir = tempDirSync('mmgate-plugin-');
    writeFileSync(join(dir, 'our-sso.mjs'), PLUGIN);
    const registry = await loadRegistry(['./our-sso.mjs'], dir);
    const check = registry.checks.find((c) => c.meta.id === 'acme-sso-certificate');
    assert.ok(check, 'plugin check registered');
    assert.equal(registry.origin.get('acme-sso-certificate'), './our-sso.mjs');
    const { report } = await runGate({
      phase: 'pre', checks: [check], collectors: registry.collectors, config: configSchema.parse({}), configDir: dir,
      scope: { namespace: 'mattermost', installation: 'mm' }, target: {}, checkOptions: new Map([[check.meta.id, check.options.parse({})]]),
      policy: { preset: 'recommended', checks: {}, waivers: [], ignore: [], today: '2026-11-20' },
      timeouts: { collectorMs: 1000, checkMs: 1000, overallMs: 5000 },
    });
    assert.equal(report.results[0]!.status, 'fail');
    assert.equal(report.results[0]!.findings[0]!.actual, '3');
    assert.equal(report.verdict.exitCode, 1);
  });

  it('a plugin that cannot load, or clashes with a built-in id, is a config error naming plugins[i]', async () => {
    const dir = tempDirSync('mmgate-plugin-');
    await assert.rejects(loadRegistry(['./missing.mjs'], dir), (e: unknown) => e instanceof ConfigError && /plugins\[0\]/.test(e.message));
    writeFileSync(join(dir, 'empty.mjs'), 'export const checks = [];\n');
    await assert.rejects(loadRegistry(['./empty.mjs'], dir), /exports no checks/);
  });
});
