/**
 * Errors the CLI turns into one clear message and an exit code, never a stack trace.
 * `UsageError` (bad flags, bad config, unreachable endpoint at start) exits 2.
 */
export class UsageError extends Error {
  readonly exitCode = 2;
  /** The fix, printed on its own line. */
  readonly hint: string | undefined;
  constructor(message: string, hint?: string) {
    super(message);
    this.name = 'UsageError';
    this.hint = hint;
  }
}

/** A config problem at a dotted key path (`checks.rollout-headroom[1].surgePods`). */
export class ConfigError extends UsageError {
  readonly issues: readonly ConfigIssue[];
  constructor(source: string, issues: readonly ConfigIssue[]) {
    super(`${source}: ${issues.length === 1 ? 'invalid config' : `${issues.length} problems in config`}\n` +
      issues.map((i) => `  ${i.path || '(top level)'}: ${i.message}${i.fix ? `\n    fix: ${i.fix}` : ''}`).join('\n'));
    this.name = 'ConfigError';
    this.issues = issues;
  }
}

export interface ConfigIssue { readonly path: string; readonly message: string; readonly fix?: string }

/** Turns any thrown value into a message without a stack. */
export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}

/** Formats a zod-style path: ['checks', 'x', 1, 'y'] → `checks.x[1].y`. */
export function dottedPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out ? `.${String(p)}` : String(p);
  }
  return out;
}
