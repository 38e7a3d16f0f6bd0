/**
 * `mmgate init`: a first mmgate.yaml from what the cluster says (read-only). It finds the
 * Mattermost installations, the operator and the Helm release, asks which installation on a TTY,
 * validates the file before writing it, and never overwrites one without --force.
 */
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { dirname, relative, resolve } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { parse } from 'yaml';
import { discover, findSite, type Discovery, type FoundInstallation } from '../collectors/kube/discover.js';
import { kubeContexts, standaloneKubeClient, type KubeClient } from '../collectors/kube/client.js';
import { parseConfig } from '../core/config/load.js';
import { errorMessage, UsageError } from '../core/errors.js';
import { Redactor } from '../core/secrets.js';
import { parseVersion, formatVersion } from '../core/version.js';
import { ADMIN_TOKEN_ENV, nextSteps, renderInitConfig, SMOKE_PASSWORD_ENV, type InitAnswers } from './init-config.js';
import { smokeHome } from '../collectors/mattermost/smoke-home.js';

export interface InitFlags {
  kubeconfig?: string;
  context?: string;
  namespace?: string;
  installation?: string;
  output: string;
  force?: boolean;
  yes?: boolean;
  url?: string;
  targetVersion?: string;
  smokeUser: string;
  smokeTeam?: string;
  smokeChannel?: string;
}

const REQUEST_MS = 15_000;
/** Other contexts are other clusters, maybe far away or gone: a short look each. */
const SITE_MS = 5_000;

async function connect(flags: InitFlags, context: string | undefined, timeoutMs: number, signal: AbortSignal): Promise<KubeClient> {
  return standaloneKubeClient({ kubeconfig: flags.kubeconfig, context, timeoutMs }, process.cwd(), signal);
}

/** Kubernetes failures at init are the user's setup: one message, exit 2. */
async function orUsage<T>(what: Promise<T>): Promise<T> {
  try {
    return await what;
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(errorMessage(err), 'check --kubeconfig/--context and that mmgate\'s identity may list the Mattermost resources (docs/rbac.yaml)');
  }
}

async function choose(found: Discovery, flags: InitFlags): Promise<FoundInstallation> {
  const candidates = found.installations.filter((i) => !flags.installation || i.name === flags.installation);
  const where = `context ${found.context}${flags.namespace ? `, namespace ${flags.namespace}` : ''}`;
  if (candidates.length === 0) {
    const seen = found.installations.map((i) => `${i.namespace}/${i.name}`).join(', ');
    throw new UsageError(`no Mattermost installation${flags.installation ? ` named ${flags.installation}` : ''} in ${where}${seen ? ` (found: ${seen})` : ''}${found.notes.length ? `; ${found.notes.join('; ')}` : ''}`,
      'check --context/-n/--installation, or that the Mattermost Operator\'s resources exist there');
  }
  if (candidates.length === 1) return candidates[0]!;
  const names = candidates.map((i) => `${i.namespace}/${i.name} (${i.kind}${i.version ? ` ${i.version}` : ''})`);
  if (flags.yes || !process.stdin.isTTY) {
    throw new UsageError(`${candidates.length} Mattermost installations in ${where}: ${names.join(', ')}`, 'choose one with --installation NAME (and -n NAMESPACE)');
  }
  return ask(candidates, names);
}

async function ask(candidates: FoundInstallation[], names: string[]): Promise<FoundInstallation> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    process.stderr.write(`Mattermost installations:\n${names.map((n, i) => `  ${i + 1}) ${n}`).join('\n')}\n`);
    for (;;) {
      const answer = (await rl.question(`which one? [1-${candidates.length}] `)).trim() || '1';
      const picked = candidates[Number(answer) - 1];
      if (picked) return picked;
    }
  } finally {
    rl.close();
  }
}

/** The same installation in the kubeconfig's other contexts; unreachable ones are noted, not fatal. */
async function findSites(flags: InitFlags, current: string, of: FoundInstallation, signal: AbortSignal, notes: string[]): Promise<InitAnswers['sites']> {
  const others = (await orUsage(kubeContexts(flags.kubeconfig, process.cwd()))).filter((c) => c !== current);
  const looks = await Promise.all(others.map(async (context) => {
    try {
      const site = await findSite(await connect(flags, context, SITE_MS, signal), of);
      return site ? [{ ...site, context }] : [];
    } catch (err) {
      notes.push(`context ${context} was not checked for a site: ${errorMessage(err)}`);
      return [];
    }
  }));
  return looks.flat();
}

function targetOf(flags: InitFlags): string | undefined {
  if (!flags.targetVersion) return undefined;
  const v = parseVersion(flags.targetVersion);
  if (!v) throw new UsageError(`--target-version ${flags.targetVersion}: not a version`, 'write it like 11.7.1');
  return formatVersion(v);
}

/** Every ${env:} the file names is given a stand-in value, so validation checks the shape only. */
function validate(text: string, file: string): void {
  const env = { [ADMIN_TOKEN_ENV]: 'x', [SMOKE_PASSWORD_ENV]: 'x' };
  parseConfig(parse(text), file, { dir: dirname(file), env, redactor: new Redactor() });
}

export async function initCommand(flags: InitFlags): Promise<number> {
  const file = resolve(flags.output);
  if (existsSync(file) && !flags.force) throw new UsageError(`${flags.output} already exists`, 'pass --force to overwrite it, or -o another file');
  const targetVersion = targetOf(flags);
  const ac = new AbortController();
  const kube = await orUsage(connect(flags, flags.context, REQUEST_MS, ac.signal));
  const found = await orUsage(discover(kube, flags.namespace ? { namespace: flags.namespace } : {}));
  const installation = await choose(found, flags);
  const notes = [...found.notes];
  const sites = await findSites(flags, kube.context, installation, ac.signal, notes);
  const url = flags.url ?? installation.url;
  const home = flags.smokeTeam ? { team: flags.smokeTeam, channel: flags.smokeChannel } : await smokeHome(url, flags.smokeUser, process.env[ADMIN_TOKEN_ENV], notes);
  const helm = found.helmReleases.find((r) => r.namespace === installation.namespace) ?? found.helmReleases.find((r) => r.namespace === found.operator?.namespace);
  const answers: InitAnswers = {
    context: kube.context,
    ...(flags.kubeconfig ? { kubeconfig: relative(dirname(file), resolve(flags.kubeconfig)) } : {}),
    installation,
    ...(found.operator ? { operator: found.operator } : {}),
    ...(helm ? { helm } : {}),
    ...(url ? { url } : {}),
    ...(targetVersion ? { targetVersion } : {}),
    smoke: { username: flags.smokeUser, ...(home.team ? { team: home.team } : {}), ...(flags.smokeChannel ?? home.channel ? { channel: flags.smokeChannel ?? home.channel } : {}) },
    sites,
    notes,
    writtenAt: new Date().toISOString().slice(0, 10),
  };
  const text = renderInitConfig(answers);
  validate(text, file);
  await writeFile(file, text, { flag: flags.force ? 'w' : 'wx' });
  process.stdout.write(`${nextSteps(relative(process.cwd(), file) || file, answers)}\n`);
  return 0;
}
