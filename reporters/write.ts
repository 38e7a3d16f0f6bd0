import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ReportContext } from './types.js';

/**
 * Writes `<dir>/<name><suffix>` through a temporary file and a rename, so a CI step that publishes
 * the file never reads a half-written report (a killed run leaves the old file or none, not a torn one).
 */
export async function writeReportFile(ctx: Pick<ReportContext, 'dir' | 'name'>, suffix: string, content: string): Promise<string> {
  await mkdir(ctx.dir, { recursive: true });
  const file = join(ctx.dir, `${ctx.name}${suffix}`);
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    await writeFile(tmp, content, 'utf8');
    await rename(tmp, file);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
  return file;
}

/** A reporter that wrote some files before it failed: the files still count, the failure too. */
export class PartialReportError extends Error {
  readonly files: readonly string[];
  constructor(message: string, files: readonly string[], options?: ErrorOptions) {
    super(message, options);
    this.name = 'PartialReportError';
    this.files = files;
  }
}
