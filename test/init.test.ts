/**
 * `mmgate init --yes` against the lab's clusters writes a config a preflight can run with: the
 * installation, operator, Helm release and sites come from the cluster; the user adds only what no
 * cluster knows (where the backups are, the replication DSN) and the scenario's verdict follows.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { parse, stringify } from 'yaml';
import { startLab, type Lab } from '../lab/index.js';
import { mmgate, noStack } from './run-cli.js';

const work = mkdtempSync(join(tmpdir(), 'mmgate-init-'));
after(() => rmSync(work, { recursive: true, force: true }));

type Config = Record<string, Record<string, unknown>>;
const secretsEnv = (lab: Lab) => ({ MMGATE_ADMIN_TOKEN: lab.secrets.adminToken, MMGATE_SMOKE_PASSWORD: lab.secrets.smokePassword });

async function init(lab: Lab, file: string, extra: string[] = []) {
  return mmgate(['init', '--yes', '--kubeconfig', lab.paths.kubeconfig, '--url', lab.mattermostUrl, '--target-version', '11.7.1', '-o', file, ...extra], { cwd: work, env: secretsEnv(lab) });
}

/** What only the user knows, copied from the lab's own config, as a user would fill it in. */
function addWhatNoClusterKnows(file: string, lab: Lab): void {
  const mine = parse(readFileSync(file, 'utf8')) as Config;
  const labs = parse(readFileSync(lab.paths.config, 'utf8')) as Config & { sites?: { context: string; replicationDsn?: string }[] };
  const backups = labs['backups'] as Record<string, { path: string }>;
  mine['backups'] = Object.fromEntries(Object.entries(backups).map(([k, v]) => [k, { ...v, path: join(lab.paths.dir, v.path) }]));
  const dsns = new Map((labs.sites ?? []).map((s) => [s.context, s.replicationDsn]));
  const sites = mine['sites'] as unknown as { context: string; replicationDsn?: string }[] | undefined;
  for (const s of sites ?? []) {
    const file = /^\$\{file:(.+)\}$/.exec(dsns.get(s.context) ?? '')?.[1];
    if (file) s.replicationDsn = `\${file:${join(lab.paths.dir, file)}}`;
  }
  writeFileSync(file, stringify(mine));
}

async function preflight(lab: Lab, file: string, name: string) {
  const r = await mmgate(['preflight', '-c', file, '--report-dir', join(work, name), '--format', 'json'], { cwd: work, env: secretsEnv(lab) });
  const report = JSON.parse(readFileSync(join(work, name, 'preflight.json'), 'utf8')) as { verdict: { blocking: string[] } };
  return { r, blocking: [...report.verdict.blocking].sort() };
}

for (const scenario of ['healthy', 'node-not-ready', 'drift-between-sites', 'bluegreen']) {
  describe(`mmgate init on the ${scenario} lab`, () => {
    it('writes the cluster\'s facts, and a preflight with it gives the scenario\'s verdict', async () => {
      const lab = await startLab(scenario, join(work, `${scenario}-lab`));
      try {
        const file = join(work, `${scenario}.yaml`);
        const r = await init(lab, file);
        assert.equal(r.code, 0, r.stderr);
        assert.match(r.stdout, /next steps:[\s\S]*mmgate preflight -c/);
        const written = readFileSync(file, 'utf8');
        const config = parse(written) as Config;
        assert.deepEqual(config['kube'], {
          kubeconfig: `${scenario}-lab/kubeconfig`,
          context: 'mmgate-lab', namespace: lab.namespace, installation: lab.installation, kind: scenario.startsWith('bluegreen') ? 'ClusterInstallation' : 'Mattermost',
          operator: { namespace: 'mattermost-operator', deployment: 'mattermost-operator' },
          helm: { release: 'mattermost-operator', namespace: 'mattermost-operator' },
        });
        assert.deepEqual((config['mattermost'] as Config)['smoke'], { username: 'mmgate-smoke', password: '${env:MMGATE_SMOKE_PASSWORD}', team: 'ops', channel: 'upgrade-smoke' });
        assert.match(written, /# version: 10\.11\.4|it runs 10\.11\.4 now/);
        for (const secret of Object.values(lab.secrets)) assert.ok(!written.includes(secret), 'a secret was written');

        // No backups configured: the gate fails closed on them, and on nothing else the scenario does not.
        const expected = Object.keys((lab.scenario.expect as { preflight?: { blocking: Record<string, string> } }).preflight?.blocking ?? {}).sort();
        const bare = await preflight(lab, file, `${scenario}-bare`);
        assert.ok(bare.blocking.includes('backup-recency'), bare.blocking.join(','));
        addWhatNoClusterKnows(file, lab);
        const filled = await preflight(lab, file, `${scenario}-filled`);
        assert.deepEqual(filled.blocking, expected, filled.r.stdout);
        assert.equal(filled.r.code, expected.length ? 1 : 0);
        if (scenario === 'drift-between-sites') {
          assert.deepEqual((config['sites'] as unknown as { context: string; active?: boolean }[]).map((s) => [s.context, s.active]), [['mmgate-lab', true], ['mmgate-lab-us', false]]);
        } else {
          assert.equal(config['sites'], undefined);
        }
      } finally {
        await lab.close();
      }
    });
  });
}

describe('mmgate init refuses what would surprise', () => {
  it('never overwrites without --force, and names the installation it cannot find', async () => {
    const lab = await startLab('healthy', join(work, 'refuse-lab'));
    try {
      const file = join(work, 'exists.yaml');
      writeFileSync(file, '# mine\n');
      const r = await init(lab, file);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /exists\.yaml already exists[\s\S]*--force/);
      assert.equal(readFileSync(file, 'utf8'), '# mine\n');
      const forced = await init(lab, file, ['--force']);
      assert.equal(forced.code, 0, forced.stderr);
      const missing = await init(lab, join(work, 'missing.yaml'), ['--installation', 'nope']);
      assert.equal(missing.code, 2);
      assert.match(missing.stderr, /no Mattermost installation named nope in context mmgate-lab \(found: mattermost\/mm\)/);
      noStack(missing);
    } finally {
      await lab.close();
    }
  });
});
