/**
 * The mmgate command line. The only place that reads argv/env and sets the exit code.
 * Kept light on purpose: every command imports its implementation lazily, so `mmgate --help`
 * never loads @kubernetes/client-node (~0.8 s) or the Mattermost client.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError, Option } from 'commander';
import { UsageError } from '../core/errors.js';
import { interruptedUnexpectedly } from './interrupt.js';
import { HARNESS_VERSION } from '../core/version-info.js';

const list = (v: string, prev: string[] = []): string[] => [...prev, ...v.split(',').map((s) => s.trim()).filter(Boolean)];

/**
 * The config key each gate flag sets, where it sets one (cli/gate.ts applies them over the file):
 * docs/config.md lists every flag of preflight, watch and verify from the commands themselves,
 * with the key from here, so the list stays in step with the flags.
 */
export const FLAG_CONFIG_KEYS: Readonly<Record<string, string>> = {
  '--kubeconfig': 'kube.kubeconfig', '--context': 'kube.context', '--namespace': 'kube.namespace',
  '--installation': 'kube.installation', '--target-version': 'target.version',
  '--site': 'kube.* (from that site of sites[])',
  '--report-dir': 'reports.dir', '--format': 'reports.formats', '--history': 'reports.history',
  '--strict': 'extends: strict', '--since': 'mattermost.upgradeStartedAt', '--traffic': 'metrics.traffic',
};

/** How a run is judged and reported: shared by the gate commands and evaluate. */
function judgeOptions(cmd: Command): Command {
  return cmd
    .option('-c, --config <file>', 'config file (default ./mmgate.yaml)')
    .option('--report-dir <dir>', 'where report files go (default ./mmgate-report)')
    .option('--format <list>', 'report formats: console,json,junit,markdown,prometheus,html', list)
    .option('--only <ids>', 'run only these checks', list)
    .option('--skip <ids>', 'do not run these checks', list)
    .option('--ignore <ids>', 'run these checks but never let them block (recorded in the report)', list)
    .option('--strict', 'every check blocks (preset strict)')
    .option('--no-color', 'no ANSI colours in console output');
}

/** What a live run looks at (kubectl habits for the cluster flags). */
function gateOptions(cmd: Command): Command {
  return judgeOptions(cmd)
    .option('--kubeconfig <file>', 'kubeconfig file (default $KUBECONFIG, ~/.kube/config, in-cluster)')
    .option('--context <name>', 'kubeconfig context')
    .option('-n, --namespace <ns>', 'namespace of the Mattermost installation')
    .option('--installation <name>', 'name of the Mattermost or ClusterInstallation custom resource')
    .option('--target-version <version>', 'the version the upgrade goes to (overrides target.version)')
    .option('--side <side>', 'blue/green or canary: judge the idle colour (verify default), production, or the canary')
    .option('--site <name>', 'active/active: the site of sites[] this run upgrades (the others must stay untouched)')
    .option('--save-snapshot <file>', 'also save the collected snapshot here (for mmgate evaluate)')
    .option('--history <dir>', 'append this run to <dir>/history.jsonl (reports.history); mmgate history reads it');
}

export function buildProgram(): Command {
  const program = new Command('mmgate')
    .description('The go/no-go gate for upgrading Mattermost on Kubernetes.\n\nExit codes: 0 promote · 1 blocked · 2 usage or config error · 3 harness failure or interrupted')
    .version(versionText(), '-V, --version', 'the mmgate, Node and @kubernetes/client-node versions')
    .showHelpAfterError('(run mmgate --help for usage)')
    .configureOutput({ writeErr: (s) => process.stderr.write(s) })
    // Throw instead of exiting, in every subcommand too (commander copies this setting to
    // commands added after it): main() maps the error to exit 2.
    .exitOverride();

  gateOptions(program.command('preflight').description('pre-upgrade checks against the live cluster and server'))
    .action(async (opts) => { process.exitCode = await (await import('./gate.js')).runPhaseCommand('pre', opts); });

  gateOptions(program.command('watch').description('during the rollout: front-door availability and rollout progress until done or watch.timeout'))
    .action(async (opts) => { process.exitCode = await (await import('./gate.js')).runPhaseCommand('during', opts); });

  gateOptions(program.command('verify').description('post-upgrade checks and smoke journeys'))
    .option('--baseline <file>', 'the preflight snapshot to compare with (restarts, row counts)')
    .option('--since <time>', 'when the upgrade began (ISO time): logs are read from then (mattermost.upgradeStartedAt)')
    .option('--traffic', 'send light read-only traffic as the smoke user during the metrics window, so quiet hours still give data (metrics.traffic)')
    .action(async (opts) => { process.exitCode = await (await import('./gate.js')).runPhaseCommand('post', opts); });

  program.command('plan')
    .description('the order of a site-by-site upgrade (passive sites first, the writer last) and the commands of each step, from sites[]')
    .option('-c, --config <file>', 'config file (default ./mmgate.yaml)')
    .action(async (opts: { config?: string }) => {
      const { loadConfig } = await import('../core/config/load.js');
      const { sitePlan } = await import('../core/site-plan.js');
      process.stdout.write(`${sitePlan(loadConfig(opts.config).config, opts.config ? { configFlag: opts.config } : {}).join('\n')}\n`);
    });

  program.command('rollback-plan')
    .description('the way back from the last preflight snapshot: helm rollback or the CR fields to restore, the backup, the migration warning')
    .option('-c, --config <file>', 'config file (default ./mmgate.yaml)')
    .option('--report-dir <dir>', 'where preflight wrote its snapshot (default reports.dir)')
    .option('--baseline <file>', 'the preflight snapshot (default <report-dir>/preflight.snapshot.json)')
    .action(async (opts) => { process.exitCode = await (await import('./gate.js')).runRollbackPlanCommand(opts); });

  judgeOptions(program.command('evaluate <snapshot>')
    .description('judge a saved snapshot offline (with this config and flags)'))
    .action(async (snapshot: string, opts) => { process.exitCode = await (await import('./gate.js')).runEvaluateCommand(snapshot, opts); });

  program.command('checks')
    .description('list the checks (built-in and from plugins)')
    .option('-c, --config <file>', 'config file (its plugins are listed too)')
    .addOption(new Option('--phase <phase>', 'only this phase').choices(['pre', 'during', 'post']))
    .option('--json', 'machine-readable output')
    .action(async (opts) => { process.exitCode = await (await import('./info.js')).listChecks(opts); });

  program.command('explain <id>')
    .description("one check's meta, options and why it exists")
    .option('-c, --config <file>', 'config file (for plugin checks)')
    .action(async (id: string, opts) => { process.exitCode = await (await import('./info.js')).explainCheck(id, opts); });

  program.command('serve')
    .description('HTTP: Flagger webhooks (POST /flagger/<hook>), an Argo Rollouts web metric (GET /v1/verdict), /healthz, /metrics')
    .option('-c, --config <file>', 'a config per installation to gate (repeatable; default ./mmgate.yaml)', (v: string, prev: string[] = []) => [...prev, v])
    .option('--listen <host:port>', 'address to listen on (default serve.listen, 0.0.0.0:8080)')
    .action(async (opts) => { process.exitCode = await (await import('./serve.js')).serveCommand(opts); });

  program.command('history')
    .description('the trend of verdicts kept with --history: the last runs per installation and the checks that block most')
    .option('-c, --config <file>', 'config file (its reports.history is the default directory)')
    .option('--history <dir>', 'the history directory')
    .option('--last <n>', 'runs per installation', '10')
    .option('--json', 'machine-readable output')
    .action(async (opts) => { process.exitCode = await (await import('./history.js')).historyCommand(opts); });

  program.command('init')
    .description('write a first mmgate.yaml from what the cluster says (read-only): installation, operator, Helm release, front door, sites')
    .option('--kubeconfig <file>', 'kubeconfig file (default $KUBECONFIG, ~/.kube/config, in-cluster)')
    .option('--context <name>', 'kubeconfig context')
    .option('-n, --namespace <ns>', 'look only in this namespace (default: every namespace you may list)')
    .option('--installation <name>', 'the Mattermost resource to gate, when there are several')
    .option('-o, --output <file>', 'where to write', 'mmgate.yaml')
    .option('--force', 'overwrite the file if it exists')
    .option('-y, --yes', 'ask nothing (for CI): fail when the choice is not clear')
    .option('--url <url>', 'front-door URL, when the ingress host is not how mmgate reaches Mattermost')
    .option('--target-version <version>', 'the version the upgrade goes to')
    .option('--smoke-user <name>', 'the smoke user', 'mmgate-smoke')
    .option('--smoke-team <name>', 'its team (default: asked from Mattermost when MMGATE_ADMIN_TOKEN is set)')
    .option('--smoke-channel <name>', 'its channel')
    .action(async (opts) => { process.exitCode = await (await import('./init.js')).initCommand(opts); });

  const config = program.command('config').description('config file tools');
  config.command('validate [file]')
    .description('validate a config; print it resolved, with secrets masked')
    .option('-c, --config <file>', 'config file (default ./mmgate.yaml); a positional file works too')
    .action(async (file: string | undefined, opts: { config?: string }) => {
      if (file && opts.config && file !== opts.config) throw new UsageError(`two config files given: ${file} and -c ${opts.config}`, 'give one');
      process.exitCode = await (await import('./info.js')).validateConfig(opts.config ?? file);
    });
  config.command('schema')
    .description('print the JSON Schema of mmgate.yaml (for editors)')
    .action(async () => { process.exitCode = await (await import('./info.js')).printSchema(); });

  program.command('lab')
    .description('start the simulated world (Kubernetes API + Mattermost) on 127.0.0.1 until SIGINT/SIGTERM')
    .option('--scenario <name|path>', 'a built-in scenario name or a scenario folder', 'healthy')
    .option('--out <dir>', 'where kubeconfig, mmgate.yaml, secrets/ and lab.json go', './mmgate-lab')
    .option('--list', 'list the built-in scenarios')
    .option('--kube <backend>', 'sim (the embedded simulator) or real (a real control plane: needs scripts/build-control-plane.sh and root)', 'sim')
    .action(async (opts) => { process.exitCode = await (await import('./lab.js')).labCommand(opts); });

  program.command('demo')
    .description('the embedded default: lab + preflight + upgrade with watch + verify, reports written')
    .option('--scenario <name|path>', 'scenario to start from (default healthy; bluegreen for --strategy bluegreen)')
    .option('--strategy <strategy>', 'rolling (in place) or bluegreen: preflight → upgrade idle → verify idle → switch → verify production (default: bluegreen for a blue/green scenario)')
    .option('--report-dir <dir>', 'where report files go', './mmgate-report')
    .option('--no-color', 'no ANSI colours')
    .action(async (opts) => { process.exitCode = await (await import('./demo.js')).demoCommand(opts); });

  return program;
}

/** `mmgate --version`: what a bug report needs, without loading the Kubernetes client. */
function versionText(): string {
  return `mmgate ${HARNESS_VERSION}\nnode ${process.version}\n@kubernetes/client-node ${installedVersion('@kubernetes/client-node')}`;
}

function installedVersion(pkg: string): string {
  // Read from the node_modules folders above this file, as Node would find it: nothing is resolved
  // or loaded, so `--help` stays as light as it is.
  try {
    for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
      const file = join(dir, 'node_modules', pkg, 'package.json');
      if (existsSync(file)) return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
      if (dirname(dir) === dir) return 'not installed';
    }
  } catch {
    return 'not installed';
  }
}

/**
 * A reader that goes away (`mmgate checks | head -1`) closes the pipe: later writes fail with
 * EPIPE. That ends nothing: a listing exits 0, a gate run still writes its reports and exits with
 * its verdict's code.
 */
export function quietOnClosedPipe(stream: NodeJS.WriteStream): void {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE' || err.code === 'ERR_STREAM_DESTROYED') return;
    process.exitCode = 3;
  });
}

export async function main(argv: string[]): Promise<void> {
  quietOnClosedPipe(process.stdout);
  quietOnClosedPipe(process.stderr);
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (err) {
    process.exitCode = exitCodeFor(err);
  }
  // A signal that cut a command which did not report it (a gate run reports it as exit 3 itself) must not read as success.
  if (interruptedUnexpectedly() && !process.exitCode) process.exitCode = 3;
}

/** Usage and config errors: one message, the fix, exit 2, never a stack trace. */
export function exitCodeFor(err: unknown): number {
  if (err instanceof CommanderError) {
    // --help and --version are not errors; commander already printed the message otherwise.
    return err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help' ? 0 : 2;
  }
  if (err instanceof UsageError) {
    process.stderr.write(`mmgate: ${err.message}\n${err.hint ? `  fix: ${err.hint}\n` : ''}`);
    return 2;
  }
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`mmgate: internal error: ${message}\n  this is a bug in mmgate; rerun with MMGATE_DEBUG=1 for details\n`);
  if (process.env['MMGATE_DEBUG'] && err instanceof Error) process.stderr.write(`${err.stack}\n`);
  return 3;
}
