/**
 * The conventions of checks, enforced here rather than by review (ESLint's checkRuleFiles idea):
 * the registry is sorted and complete, the id is the file name, every check has meta, a test
 * beside it, and a lab scenario whose expect.yaml shows it blocking.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { PHASES } from '../core/types.js';
import { builtinChecks } from './index.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const sourceIds = (phase: string) => readdirSync(join(root, 'checks', phase)).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts')).map((f) => f.slice(0, -3));

describe('check registry conventions', () => {
  it('is sorted by id and has no duplicates', () => {
    const ids = builtinChecks.map((c) => c.meta.id);
    assert.deepEqual(ids, [...ids].sort());
    assert.equal(new Set(ids).size, ids.length);
  });

  it('lists every check file, and each id is its file name and phase folder', () => {
    for (const phase of PHASES) {
      const registered = builtinChecks.filter((c) => c.meta.phase === phase).map((c) => c.meta.id).sort();
      assert.deepEqual(registered, sourceIds(phase).sort(), `checks/${phase}/ and checks/index.ts disagree`);
    }
  });

  it('every check has its meta, a kebab-case id and a test file', () => {
    for (const c of builtinChecks) {
      const m = c.meta;
      assert.match(m.id, /^[a-z]+(-[a-z0-9]+)*$/);
      for (const f of ['title', 'failureTitle', 'description'] as const) assert.ok(m[f].length > 10, `${m.id}: ${f} too short`);
      assert.notEqual(m.title, m.failureTitle, `${m.id}: title and failureTitle must differ`);
      assert.ok(existsSync(join(root, 'checks', m.phase, `${m.id}.test.ts`)), `${m.id}: no test file`);
      assert.ok(['off', 'warn', 'error'].includes(m.recommended));
      assert.doesNotThrow(() => c.options.parse({}), `${m.id}: options must have defaults`);
    }
  });

  it('every check finds its problem (blocks with fail) in at least one lab scenario (expect.yaml)', () => {
    const dir = join(root, 'fixtures', 'scenarios');
    const blocking = new Set<string>();
    for (const s of readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory())) {
      const p = join(dir, s.name, 'expect.yaml');
      assert.ok(existsSync(p), `${s.name}: no expect.yaml (see fixtures/scenarios/README.md)`);
      const e = (parse(readFileSync(p, 'utf8')) ?? {}) as Record<string, { blocking?: string[] | Record<string, string> }>;
      for (const [key, phase] of Object.entries(e)) {
        if (key === 'base') continue;
        // The former list form (ids only) still counts until it is converted; the scenario test rejects it.
        const ids = Array.isArray(phase.blocking) ? phase.blocking : Object.keys(phase.blocking ?? {}).filter((id) => (phase.blocking as Record<string, string>)[id] === 'fail');
        for (const id of ids) blocking.add(id);
      }
    }
    const missing = builtinChecks.map((c) => c.meta.id).filter((id) => !blocking.has(id));
    assert.deepEqual(missing, [], `checks with no scenario that makes them block: ${missing.join(', ')}`);
  });
});
