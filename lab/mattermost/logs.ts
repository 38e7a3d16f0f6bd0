/**
 * A pod's console log in Mattermost's JSON format (mlog/logr `formatters/json.go`): one object per
 * line with `timestamp` (`2006-01-02 15:04:05.000 Z07:00`, not RFC 3339), `level`, `msg`, then the
 * fields in order. `caller` is an ordinary field; real output carries it right after `msg`.
 */
import { RELATIVE_TIME_RE } from './spec.js';

export type LogFields = ReadonlyArray<readonly [string, unknown]>;

export interface LogEntry {
  readonly at: Date;
  readonly level: string;
  readonly msg: string;
  readonly caller: string;
  readonly fields: LogFields;
}

const RESERVED = new Set(['timestamp', 'level', 'msg']);

/** logr's default timestamp layout, always in UTC here: `2024-05-01 12:34:56.789 Z`. */
export function formatLogTimestamp(d: Date): string {
  return `${d.toISOString().slice(0, 23).replace('T', ' ')} Z`;
}

export function formatLogLine(e: LogEntry): string {
  const o: Record<string, unknown> = { timestamp: formatLogTimestamp(e.at), level: e.level, msg: e.msg, caller: e.caller };
  for (const [k, v] of e.fields) {
    // logr renames a field that collides with a reserved key rather than dropping it.
    o[RESERVED.has(k) ? `_${k}` : k] = v;
  }
  return JSON.stringify(o);
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Resolves an `at` of a scenario log line: ISO, or relative (`-5m`) to `base`. */
export function resolveLogTime(at: string | undefined, base: Date): Date {
  if (at === undefined) return base;
  if (RELATIVE_TIME_RE.test(at)) {
    const m = /^([-+]?)(\d+)(ms|s|m|h|d)$/.exec(at);
    if (m) return new Date(base.getTime() + (m[1] === '-' ? -1 : 1) * Number(m[2]) * (UNIT_MS[m[3] ?? 's'] ?? 1000));
  }
  return new Date(at);
}

export class LogBook {
  private entries: LogEntry[] = [];

  add(at: Date, level: string, msg: string, caller: string, fields: LogFields = []): void {
    const e: LogEntry = { at, level, msg, caller, fields };
    // Keep time order even when scenario lines are dated before lines already written.
    let i = this.entries.length;
    while (i > 0 && (this.entries[i - 1]?.at.getTime() ?? 0) > at.getTime()) i--;
    this.entries.splice(i, 0, e);
  }

  clear(): void {
    this.entries = [];
  }

  all(): readonly LogEntry[] {
    return this.entries;
  }

  /**
   * The text `GET .../pods/{pod}/log` returns: JSON lines, optionally filtered like kubelet does
   * (`sinceSeconds` before `tailLines`) and prefixed with an RFC 3339 nano timestamp.
   */
  render(now: Date, q: { tailLines?: number; sinceSeconds?: number; timestamps?: boolean } = {}): string {
    let lines = this.entries;
    if (q.sinceSeconds !== undefined) {
      const cutoff = now.getTime() - q.sinceSeconds * 1000;
      lines = lines.filter((e) => e.at.getTime() >= cutoff);
    }
    if (q.tailLines !== undefined) lines = q.tailLines <= 0 ? [] : lines.slice(-q.tailLines);
    return lines
      .map((e) => (q.timestamps ? `${e.at.toISOString().replace(/\.(\d{3})Z$/, '.$1000000Z')} ` : '') + formatLogLine(e) + '\n')
      .join('');
  }
}
