/** The mmgate CLI as a child process, for tests that check exit codes and messages as users see them. */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const CLI = fileURLToPath(new URL('../cli/main.js', import.meta.url));

export interface Run { code: number | null; stdout: string; stderr: string }

export function runCli(args: string[], opts: { cwd: string; env?: NodeJS.ProcessEnv; node?: string[] }): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...(opts.node ?? []), CLI, ...args], { cwd: opts.cwd, env: { ...process.env, NO_COLOR: '1', GITHUB_STEP_SUMMARY: '', ...opts.env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Usage errors are one message, never a stack trace. */
export const noStack = (r: Run): void => assert.doesNotMatch(r.stderr + r.stdout, /\n\s+at .+:\d+:\d+/, 'no stack trace');
