/**
 * preflight, verify and evaluate: config + flags → registry → runner → reporters → exit code.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { readBaseline } from '../collectors/baseline.js';
import { snapshotProblem } from '../core/baseline.js';
import { loadConfig, type LoadedConfig } from '../core/config/load.js';
import { withQueryChecks } from '../core/config/promql.js';
import { assertKnownIds, resolveCheckOptions } from '../core/config/rules.js';
import { configSchema, type MmgateConfig } from '../core/config/schema.js';
import { parseDuration } from '../core/duration.js';
import { UsageError } from '../core/errors.js';
import { appendHistory, historyEntry, readHistory } from '../core/history.js';
import { loadRegistry, type Registry } from '../core/registry.js';
import { markInterrupted, runGate, type RunOutput } from '../core/runner.js';
import { PHASE_COMMAND, type Phase, type RunReport, type Scope, type Side, type Snapshot, type Target } from '../core/types.js';
import { resolveScope } from '../collectors/strategy/scope.js';
import { rollbackLines, rollbackPlan } from '../core/rollback.js';
import { createReporters, liveHooks, REPORT_FORMATS, writeReports } from '../reporters/index.js';
import { formatVersion, parseVersion } from '../core/version.js';
import { processInterrupt } from './interrupt.js';

/**
 * Collector failures that mean mmgate was pointed at the wrong place or lacks a setting (exit 2).
 * An unreachable Mattermost, or one that refuses its tokens, is not among them: after an upgrade
 * that is the verdict (exit 1).
 */
const SETUP_CODES: ReadonlySet<string> = new Set(['CONFIG', 'NOT_CONFIGURED', 'KUBE_UNREACHABLE', 'KUBE_UNAUTHORIZED', 'PROMETHEUS_UNREACHABLE']);

export interface GateFlags {
  config?: string;
  kubeconfig?: string;
  context?: string;
  namespace?: string;
  installation?: string;
  targetVersion?: string;
  reportDir?: string;
  format?: string[];
  only?: string[];
  skip?: string[];
  ignore?: string[];
  strict?: boolean;
  saveSnapshot?: string;
  baseline?: string;
  since?: string;
  traffic?: boolean;
  color?: boolean;
  /** Keep the live progress lines on a terminal (the demo prints between them). */
  keepProgress?: boolean;
  /** Directory of the run history (reports.history). */
  history?: string;
  /** watch.timeout for this run (mmgate serve's one-sample watch). */
  watchTimeout?: string;
  /** With watchTimeout: watch that long even when the rollout is complete (watch.minDuration). */
  watchSample?: boolean;
  /** blue/green or canary: which side the run judges (idle, production, canary). */
  side?: string;
  /** sites[]: the one site this run upgrades. */
  site?: string;
}

export interface PreparedRun {
  readonly loaded: LoadedConfig;
  readonly config: MmgateConfig;
  readonly registry: Registry;
  readonly checkOptions: Map<string, unknown>;
  readonly scope: Scope;
  readonly target: Target;
}

/** Loads and validates everything a run needs; every problem here is a UsageError (exit 2). */
export async function prepareRun(flags: GateFlags, phase?: Phase): Promise<PreparedRun> {
  const loaded = loadConfig(flags.config);
  // Flags win over the file, as with kubectl.
  const config: MmgateConfig = structuredClone(loaded.config);
  if (flags.kubeconfig) config.kube.kubeconfig = resolve(flags.kubeconfig);
  if (flags.context) config.kube.context = flags.context;
  if (flags.namespace) config.kube.namespace = flags.namespace;
  if (flags.installation) config.kube.installation = flags.installation;
  if (flags.targetVersion) {
    const v = parseVersion(flags.targetVersion);
    if (!v) throw new UsageError(`--target-version ${flags.targetVersion}: not a version`, 'write it like 11.7.1');
    config.target = { ...config.target, version: formatVersion(v) };
  }
  if (flags.since) {
    if (Number.isNaN(Date.parse(flags.since))) throw new UsageError(`--since ${flags.since}: not a time`, 'give an ISO time such as 2026-11-23T21:00:00Z');
    config.mattermost = { ...(config.mattermost ?? configSchema.shape.mattermost.unwrap().parse({})), upgradeStartedAt: new Date(flags.since).toISOString() };
  }
  if (flags.traffic) config.metrics = { ...config.metrics, traffic: true };
  // --site: the run looks at that site's cluster; the other sites are judged as "must stay untouched".
  const site = flags.site ? config.sites?.find((s) => s.name === flags.site) : undefined;
  if (flags.site && !site) throw new UsageError(`--site ${flags.site}: no such site in sites[]`, `use one of: ${(config.sites ?? []).map((s) => s.name).join(', ') || '(none: add sites[] to the config)'}`);
  if (site) {
    config.kube.context = site.context;
    if (site.kubeconfig) config.kube.kubeconfig = site.kubeconfig;
    if (site.namespace) config.kube.namespace = site.namespace;
    if (site.installation) config.kube.installation = site.installation;
  }
  if (flags.strict) config.extends = 'strict';
  if (flags.reportDir) config.reports.dir = flags.reportDir;
  if (flags.history) config.reports.history = flags.history;
  if (flags.watchTimeout) config.watch = { ...config.watch, timeout: flags.watchTimeout, ...(flags.watchSample ? { minDuration: flags.watchTimeout } : {}) };
  if (flags.format?.length) {
    for (const f of flags.format) if (!(REPORT_FORMATS as readonly string[]).includes(f)) throw new UsageError(`--format ${f}: unknown format`, `use any of ${REPORT_FORMATS.join(', ')}`);
    config.reports.formats = flags.format as MmgateConfig['reports']['formats'];
  }
  const registry = await withQueryChecks(await loadRegistry(config.plugins, loaded.dir), config, loaded.path ?? 'config');
  assertKnownIds('--only', flags.only ?? [], registry.checks, phase);
  assertKnownIds('--skip', flags.skip ?? [], registry.checks, phase);
  assertKnownIds('--ignore', flags.ignore ?? [], registry.checks, phase);
  const checkOptions = resolveCheckOptions(config, registry.checks, loaded.path ?? 'config');
  const configured: Scope = { ...(config.kube.context ? { context: config.kube.context } : {}), namespace: config.kube.namespace, installation: config.kube.installation, ...(config.kube.kind ? { kind: config.kube.kind } : {}), ...(site ? { site: site.name } : {}) };
  const side = parseSide(flags.side);
  // A gate phase reads the custom resource first: its kind and strategy say what the run judges.
  const scope = phase ? await resolveScope(configured, config, loaded.dir, loaded.redactor, { phase, ...(side ? { side } : {}) }) : configured;
  // One spelling of the target everywhere: `v11.7.1` in config is 11.7.1 (image tags carry no v).
  const targetVersion = parseVersion(config.target?.version);
  const target: Target = { ...(targetVersion ? { version: formatVersion(targetVersion) } : {}), ...(config.target?.image ? { image: config.target.image } : {}) };
  // A Pushgateway is pushed to by the prometheus reporter: configuring one turns it on.
  if (config.reports.pushgateway && !config.reports.formats.includes('prometheus')) config.reports.formats = [...config.reports.formats, 'prometheus'];
  // The report directory must be writable before a run that may take half an hour.
  try {
    await mkdir(resolve(config.reports.dir), { recursive: true });
  } catch (err) {
    throw new UsageError(`report directory ${config.reports.dir}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, 'give --report-dir (or reports.dir) a directory mmgate can create and write');
  }
  return { loaded, config, registry, checkOptions, scope, target };
}

const SIDES = ['idle', 'production', 'canary'] as const;

function parseSide(side: string | undefined): Side | undefined {
  if (side === undefined) return undefined;
  if (!(SIDES as readonly string[]).includes(side)) throw new UsageError(`--side ${side}: unknown side`, `use one of ${SIDES.join(', ')}`);
  return side as Side;
}

/**
 * SIGINT/SIGTERM stop the run cleanly: partial reports are still written, exit 3. The CLI entry
 * installs process-wide handlers before anything loads (cli/interrupt.ts); a run started without
 * them (in-process use) listens for its own duration.
 */
function interruptSignal(): { signal: AbortSignal; dispose: () => void } {
  const processWide = processInterrupt();
  if (processWide) return { signal: processWide, dispose: () => undefined };
  const ac = new AbortController();
  const onSignal = (sig: NodeJS.Signals) => ac.abort(new Error(`interrupted by ${sig}`));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return { signal: ac.signal, dispose: () => { process.off('SIGINT', onSignal); process.off('SIGTERM', onSignal); } };
}

export async function runPhaseCommand(phase: Phase, flags: GateFlags): Promise<number> {
  const prepared = await prepareRun(flags, phase);
  // The one baseline reader, up front: a file that is not a preflight snapshot or report is a bad flag (exit 2).
  if (flags.baseline) await readBaseline(resolve(flags.baseline));
  return executeRun(phase, prepared, flags);
}

export async function runEvaluateCommand(snapshotPath: string, flags: GateFlags): Promise<number> {
  const prepared = await prepareRun(flags);
  const snapshot = await readSnapshot(snapshotPath);
  // The saved run's scope and target are what it was judged against: keep them.
  return executeRun(snapshot.meta.phase, { ...prepared, scope: snapshot.meta.scope, target: { ...snapshot.meta.target, ...prepared.target } }, flags, snapshot);
}

/**
 * One gate run inside a long-lived process (`mmgate serve`): the caller's signal stops it instead
 * of the process's signals, and the report comes back with the exit code.
 */
export async function runPhaseInProcess(phase: Phase, flags: GateFlags, signal: AbortSignal): Promise<{ code: number; report?: RunReport }> {
  const prepared = await prepareRun(flags, phase);
  let report: RunReport | undefined;
  const code = await executeRun(phase, prepared, flags, undefined, { signal, onReport: (r) => { report = r; } });
  return { code, ...(report ? { report } : {}) };
}

async function executeRun(phase: Phase, p: PreparedRun, flags: GateFlags, snapshot?: Snapshot, embedded?: { signal: AbortSignal; onReport: (r: RunReport) => void }): Promise<number> {
  const { config, loaded } = p;
  const name = PHASE_COMMAND[phase];
  const color = flags.color !== false && !process.env['NO_COLOR'] && (Boolean(process.stdout.isTTY) || Boolean(process.env['FORCE_COLOR']));
  const tty = Boolean(process.stdout.isTTY);
  const reporters = createReporters(config.reports.formats, { stdout: process.stdout, color, erase: tty && !flags.keepProgress, ...(process.stdout.columns ? { columns: process.stdout.columns } : {}) });
  const hooks = liveHooks(reporters);
  const { signal, dispose } = embedded ? { signal: embedded.signal, dispose: () => undefined } : interruptSignal();
  let out: RunOutput;
  try {
    out = await runGate({
      phase,
      checks: p.registry.checks,
      collectors: p.registry.collectors,
      config,
      configDir: loaded.dir,
      scope: p.scope,
      target: p.target,
      policy: { preset: config.extends, checks: config.checks, waivers: config.waivers, ignore: flags.ignore ?? [], today: new Date().toISOString().slice(0, 10) },
      checkOptions: p.checkOptions,
      ...(flags.only ? { only: flags.only } : {}),
      ...(flags.skip ? { skip: flags.skip } : {}),
      ...(snapshot ? { snapshot } : {}),
      ...(flags.baseline ? { baselinePath: resolve(flags.baseline) } : {}),
      redactor: loaded.redactor,
      signal,
      timeouts: {
        collectorMs: parseDuration(config.timeouts.collector),
        checkMs: parseDuration(config.timeouts.check),
        // watch waits for the rollout: its deadline is watch.timeout (plus a minute to wind up), not timeouts.overall.
        overallMs: phase === 'during' ? Math.max(parseDuration(config.timeouts.overall), parseDuration(config.watch.timeout) + 60_000) : parseDuration(config.timeouts.overall),
      },
      onCollectorEnd: hooks.onCollectorEnd,
      onCheckEnd: hooks.onCheckEnd,
    });
  } catch (err) {
    dispose();
    throw err;
  }
  const dir = resolve(config.reports.dir);
  await mkdir(dir, { recursive: true });
  // A signal after the checks were judged still cuts the run: the reports say so (exit 3).
  if (signal.aborted && !out.report.partial) out = { ...out, report: markInterrupted(out.report, signal.reason) };
  // A blocked watch or verify says the way back, from the preflight snapshot (--baseline, else the report dir's).
  if (phase !== 'pre' && !out.report.verdict.promote && !snapshot) {
    const plan = rollbackPlan(await lastPreflight(flags.baseline, dir), out.snapshot, config.kube.helm);
    if (plan) out = { ...out, report: { ...out.report, rollbackPlan: loaded.redactor.redactDeep(plan) } };
  }
  const historyDir = config.reports.history ? resolve(config.reports.history) : undefined;
  const history = historyDir ? await readHistory(historyDir).catch(() => []) : [];
  const ctx = { dir, name, stdout: process.stdout, isTTY: Boolean(process.stdout.isTTY), color, env: process.env, snapshot: out.snapshot, history: [...history, historyEntry(out.report)] };
  // A signal while the reports are written (a Pushgateway that hangs) still ends in a report
  // marked partial and exit 3 within moments: the local files are written again, the push dropped.
  const writing = writeReports(out.report, reporters, { ...ctx, ...(config.reports.pushgateway ? { pushgateway: config.reports.pushgateway } : {}) });
  const stopped = new Promise<void>((r) => (signal.aborted && !out.report.partial ? r() : signal.addEventListener('abort', () => r(), { once: true })));
  const written = await Promise.race([writing, stopped.then(() => undefined)]);
  dispose();
  if (!written) {
    const partial = markInterrupted(out.report, signal.reason);
    await writeReports(partial, reporters.filter((r) => r.name !== 'prometheus' && r.name !== 'console'), ctx);
    await writeSnapshots(out.snapshot, dir, name, flags.saveSnapshot, Boolean(snapshot));
    process.stderr.write(`mmgate: ${signal.reason instanceof Error ? signal.reason.message : 'interrupted'} while the reports were written: they are marked partial (exit 3)\n`);
    embedded?.onReport(partial);
    // The abandoned push still holds a socket: a CLI does not wait for its timeout (a server goes on).
    if (!embedded) setTimeout(() => process.exit(3), 50).unref();
    return 3;
  }
  const { failures } = written;
  failures.push(...await writeSnapshots(out.snapshot, dir, name, flags.saveSnapshot, Boolean(snapshot)));
  if (historyDir && !snapshot) {
    await appendHistory(historyDir, historyEntry(out.report)).catch((err: Error) => failures.push({ reporter: 'history', message: `cannot append to ${historyDir}: ${err.message}` }));
  }
  embedded?.onReport(out.report);
  for (const f of failures) process.stderr.write(`mmgate: report "${f.reporter}" failed: ${loaded.redactor.redact(f.message)}\n`);
  // A gate must not lose its JUnit file silently: a failed reporter makes the run a harness failure.
  if (failures.length > 0) return 3;
  // A Kubernetes API that cannot be reached, refused credentials or a missing setting are the
  // operator's to fix, not a verdict on the upgrade: one message per cause naming the endpoint or
  // key, exit 2. The reports above still say blocked, with every check that could not look.
  // Only a required input counts: an optional collector that is not configured is recorded and judged.
  // An API that refused or dropped one request while it answered others is not pointed at the
  // wrong place: that is a fault on the night, judged (exit 1), not a usage error.
  const required = new Set(out.required);
  // This cluster's API only ("Kubernetes API: …"): the sites' collectors read other contexts, and answer with no request when no site is configured.
  const kube = (key: string) => p.registry.collectors.get(key)?.source.startsWith('Kubernetes API:') ?? false;
  const kubeAnswered = out.report.collectors.some((c) => c.ok && kube(c.key));
  const setup = [...new Set(out.report.collectors
    .filter((c) => !c.ok && required.has(c.key) && SETUP_CODES.has(c.error?.code ?? '') && !(kubeAnswered && c.error?.code.startsWith('KUBE_')))
    .map((c) => c.error!.message))];
  if (setup.length > 0 && !out.report.partial) {
    for (const m of setup) process.stderr.write(`mmgate: ${m}\n`);
    return 2;
  }
  return out.report.verdict.exitCode;
}

/** The preflight snapshot a rollback plan is built from: the given file, else `<report dir>/preflight.snapshot.json`; null when neither reads. */
export async function lastPreflight(path: string | undefined, reportDir: string): Promise<Snapshot | null> {
  try {
    const s = await readSnapshot(path ?? resolve(reportDir, 'preflight.snapshot.json'));
    return s.meta.phase === 'pre' ? s : null;
  } catch {
    return null;
  }
}

/** `mmgate rollback-plan`: the way back, printed from the last preflight snapshot. */
export async function runRollbackPlanCommand(flags: GateFlags): Promise<number> {
  const prepared = await prepareRun(flags);
  const file = flags.baseline ?? resolve(prepared.config.reports.dir, 'preflight.snapshot.json');
  const baseline = await readSnapshot(file);
  if (baseline.meta.phase !== 'pre') throw new UsageError(`${file} is the snapshot of mmgate ${PHASE_COMMAND[baseline.meta.phase]}, not of preflight`, 'give the preflight.snapshot.json that mmgate preflight wrote');
  const plan = rollbackPlan(baseline, undefined, prepared.config.kube.helm);
  process.stdout.write(`${prepared.loaded.redactor.redact(rollbackLines(plan!).join('\n'))}\n`);
  return 0;
}

/** The snapshot is always kept beside the reports: verify takes preflight's as --baseline. */
async function writeSnapshots(data: Snapshot, dir: string, name: string, extra: string | undefined, replayed: boolean): Promise<{ reporter: string; message: string }[]> {
  const json = `${JSON.stringify(data, null, 2)}\n`;
  const files = [...(replayed ? [] : [resolve(dir, `${name}.snapshot.json`)]), ...(extra ? [resolve(extra)] : [])];
  const failures: { reporter: string; message: string }[] = [];
  for (const f of files) {
    try {
      await mkdir(dirname(f), { recursive: true });
      await writeFile(f, json);
    } catch (err) {
      failures.push({ reporter: 'snapshot', message: `cannot write ${f}: ${(err as Error).message}` });
    }
  }
  return failures;
}

export async function readSnapshot(path: string): Promise<Snapshot> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, 'utf8'));
  } catch (err) {
    throw new UsageError(`${path}: cannot read a snapshot (${(err as Error).message.split('\n')[0]})`, 'give a file written by --save-snapshot or <report-dir>/<phase>.snapshot.json');
  }
  const problem = snapshotProblem(parsed);
  if (problem) throw new UsageError(`${path}: ${problem.message}`, problem.fix);
  return parsed as Snapshot;
}
