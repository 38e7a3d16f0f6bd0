/**
 * The mmgate binary as a child process, the way users and CI meet it: exit code, stdout, stderr.
 * Shared by the CLI tests.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const CLI = fileURLToPath(new URL('../cli/main.js', import.meta.url));

export interface Run { code: number | null; stdout: string; stderr: string }

export function mmgate(args: string[], opts: { cwd: string; env?: NodeJS.ProcessEnv; node?: string[] }): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...(opts.node ?? []), CLI, ...args], { cwd: opts.cwd, env: { ...process.env, NO_COLOR: '1', GITHUB_STEP_SUMMARY: '', ...opts.env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

export const noStack = (r: Run): void => assert.doesNotMatch(r.stderr + r.stdout, /\n\s+at .+:\d+:\d+/, 'no stack trace');
