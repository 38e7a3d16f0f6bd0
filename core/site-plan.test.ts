import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { configSchema } from './config/schema.js';
import { sitePlan } from './site-plan.js';

describe('mmgate plan', () => {
  it('orders passive sites first and the writer last, with each step\'s commands', () => {
    const config = configSchema.parse({
      target: { version: '11.7.1' }, kube: { namespace: 'mattermost', installation: 'mm' },
      sites: [
        { name: 'eu', context: 'prod-eu', active: true },
        { name: 'us', context: 'prod-us', active: false, drain: { annotation: 'mmgate.io/drained' } },
      ],
    });
    const lines = sitePlan(config, { configFlag: 'mmgate.yaml' });
    assert.equal(lines[0], 'Site-by-site upgrade to 11.7.1: us → eu (the writer last)');
    const step1 = lines.indexOf(lines.find((l) => l.startsWith('Step 1'))!);
    assert.match(lines[step1]!, /site us \(context prod-us; drain: annotation mmgate\.io\/drained\)/);
    assert.equal(lines[step1 + 1], '  mmgate preflight -c mmgate.yaml --site us --report-dir ./mmgate-report/us');
    assert.match(lines[step1 + 2]!, /kubectl --context prod-us -n mattermost patch mattermost mm .*"version":"11\.7\.1"/);
    assert.ok(lines.some((l) => /Step 2 — site eu .*the writer/.test(l)));
  });

  it('says plainly when there is nothing to plan', () => {
    assert.match(sitePlan(configSchema.parse({}))[0]!, /fewer than two sites/);
  });
});
