/**
 * No tracked file holds a path of one machine: a home, work or temp folder. Such a path works on
 * the machine that wrote it and nowhere else (the suite looks for ../shared beside the checkout,
 * and fixtures that need an absolute path build it at run time).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** The home (home/<user>, Users/<user>, root), work and temp (tmp, var/tmp, macOS private/var/folders) folders at the root, and C:\\Users\\<user>; not inside a URL. */
const MACHINE_PATH = /(?<![\w.~:/-])(?:\/(?:home|Users)\/[\w.-]+|\/(?:root|work|tmp|var\/tmp|private\/var\/folders)(?=[/\s'"`),;:]|$)|[A-Za-z]:\\Users\\[\w.-]+)/m;

/** Files that describe the container image's own filesystem: their paths are the image's, not a machine's. */
const IMAGE_FILES = /^(Dockerfile|deploy\/.*)$/;

function trackedFiles(): string[] {
  const out = execFileSync('git', ['ls-files', '-z'], { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return out.split('\0').filter(Boolean);
}

describe('no machine paths in tracked files', () => {
  it('the pattern finds home, work and temp folders, and leaves URLs and relative paths alone', () => {
    const sep = '/';
    for (const p of [`${sep}home${sep}alice/x`, `${sep}root${sep}.kube`, `${sep}work${sep}shared/reference`, `x = '${sep}tmp${sep}a'`, `${sep}var${sep}tmp${sep}b`, `C:\\Users\\bob\\x`, `"${sep}tmp"`]) {
      assert.match(p, MACHINE_PATH, p);
    }
    for (const p of [`https://example.com${sep}work${sep}x`, `../shared/reference`, `fixtures${sep}tmp${sep}x`, `/usr/lib/postgresql/15/bin`, `~${sep}tmp`, `$TMPDIR`]) {
      assert.doesNotMatch(p, MACHINE_PATH, p);
    }
  });

  it('no tracked text file holds one', () => {
    const hits: string[] = [];
    for (const file of trackedFiles()) {
      if (file === 'package-lock.json' || IMAGE_FILES.test(file)) continue;
      const buf = readFileSync(join(root, file));
      if (buf.includes(0)) continue; // binary
      buf.toString('utf8').split('\n').forEach((line, i) => {
        const m = MACHINE_PATH.exec(line);
        if (m) hits.push(`${file}:${i + 1}: ${m[0]}`);
      });
    }
    assert.deepEqual(hits, [], 'build such paths at run time (tmpdir(), homedir(), a path relative to the checkout)');
  });
});
