/** Where the lab finds PostgreSQL's server binaries: PATH first, then Debian's versioned folders. */
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { findPgBinary } from './postgres.js';

const root = mkdtempSync(join(tmpdir(), 'mmgate-pgbin-'));
after(() => rmSync(root, { recursive: true, force: true }));

function executable(dir: string, name: string, mode = 0o755): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, name);
  writeFileSync(file, '#!/bin/sh\n');
  chmodSync(file, mode);
  return file;
}

describe('findPgBinary', () => {
  const lib = join(root, 'usr-lib-postgresql');
  const v15 = executable(join(lib, '15', 'bin'), 'initdb');
  const v16 = executable(join(lib, '16', 'bin'), 'initdb');
  executable(join(lib, '16', 'bin'), 'pg_ctl', 0o644); // not executable: not a candidate
  const onPath = executable(join(root, 'bin'), 'initdb');
  const emptyPath = join(root, 'empty');
  mkdirSync(emptyPath);

  it('takes the one on PATH first', () => {
    assert.equal(findPgBinary('initdb', { path: `${emptyPath}:${join(root, 'bin')}`, libDir: lib }), onPath);
  });

  it('off PATH, takes the newest major that has it under /usr/lib/postgresql/<major>/bin', () => {
    assert.equal(findPgBinary('initdb', { path: emptyPath, libDir: lib }), v16);
    rmSync(v16);
    assert.equal(findPgBinary('initdb', { path: emptyPath, libDir: lib }), v15);
  });

  it('skips files that are not executable, and says where it looked when it finds none', () => {
    executable(join(lib, '15', 'bin'), 'pg_ctl');
    assert.equal(findPgBinary('pg_ctl', { path: emptyPath, libDir: lib }), join(lib, '15', 'bin', 'pg_ctl'));
    assert.throws(() => findPgBinary('pg_basebackup', { path: emptyPath, libDir: lib }), /pg_basebackup is neither on PATH nor in .*usr-lib-postgresql\/<major>\/bin: install postgresql-15/);
  });
});
