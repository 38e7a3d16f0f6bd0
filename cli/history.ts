/** `mmgate history`: the last verdicts per installation and the checks that block most. */
import { resolve } from 'node:path';
import { loadConfig } from '../core/config/load.js';
import { formatDuration } from '../core/duration.js';
import { UsageError } from '../core/errors.js';
import { historyTrend, readHistory, HISTORY_FILE } from '../core/history.js';

export async function historyCommand(opts: { config?: string; history?: string; last: string; json?: boolean }): Promise<number> {
  const last = Number(opts.last);
  if (!Number.isInteger(last) || last < 1) throw new UsageError(`--last ${opts.last}: not a positive whole number`, 'give e.g. --last 10');
  const dir = opts.history ?? loadConfig(opts.config).config.reports.history;
  if (!dir) throw new UsageError('no history directory: none given and no reports.history in the config', 'pass --history DIR (the one the gate runs were given)');
  const trend = historyTrend(await readHistory(resolve(dir)), last);
  if (opts.json) {
    process.stdout.write(`${JSON.stringify(trend, null, 2)}\n`);
    return 0;
  }
  if (!trend.length) {
    process.stdout.write(`no runs recorded in ${resolve(dir, HISTORY_FILE)}\n`);
    return 0;
  }
  for (const t of trend) {
    const marks = t.last.map((e) => (e.verdict === 'promote' ? '✔' : e.verdict === 'blocked' ? '✖' : '‼')).join('');
    process.stdout.write(`${t.installation}  ${marks}  (newest first, ${t.last.length} runs)\n`);
    for (const e of t.last) process.stdout.write(`  ${e.at}  ${e.phase.padEnd(6)} ${e.verdict.padEnd(15)} ${formatDuration(e.durationMs).padStart(7)}  ${e.target ?? ''}${e.blocking.length ? `  blocked by ${e.blocking.join(', ')}` : ''}\n`);
    if (t.topBlocking.length) process.stdout.write(`  blocks most: ${t.topBlocking.slice(0, 5).map((b) => `${b.id} (${b.count})`).join(', ')}\n`);
  }
  return 0;
}
