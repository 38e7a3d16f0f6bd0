/**
 * A plugin written in TypeScript against the public entry point ('mmgate', as package.json exports
 * it) compiles: the snapshot keys the built-in collectors declare are reachable from it, so
 * `requires: ['pods']` is typed, and so is every other built-in key. The plugin is then loaded
 * and run like a built-in.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { builtinCollectors } from '../collectors/index.js';
import { loadRegistry } from '../core/registry.js';
import { runCheck } from '../core/testing.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TSC = join(ROOT, 'node_modules/typescript/bin/tsc');
const dir = mkdtempSync(join(tmpdir(), 'mmgate-plugin-ts-'));
after(() => rmSync(dir, { recursive: true, force: true }));
mkdirSync(join(dir, 'node_modules'));
symlinkSync(ROOT, join(dir, 'node_modules', 'mmgate'), 'dir');
writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({
  compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', strict: true, outDir: 'out', types: ['node'], typeRoots: [join(ROOT, 'node_modules/@types')] },
  files: ['plugin.ts'],
}));

const plugin = (requires: string) => `
import { defineCheck, fromBaseline, z, type Collector, type KubePod } from 'mmgate';
export const collectors: Collector[] = [];
export const checks = [defineCheck({
  meta: { id: 'acme-running-pods', phase: 'post', recommended: 'error', title: 'Pods run', failureTitle: 'Pods do not run',
    description: 'Counts running pods.', requires: ${requires}, baseline: ['pods'] },
  options: z.strictObject({ min: z.number().default(1) }),
  evaluate(input, ctx) {
    const running: KubePod[] = input.pods.filter((p) => p.status?.phase === 'Running');
    const before = fromBaseline(input.baseline, 'pods');
    const then = before.ok ? before.value.length : 0;
    return running.length >= ctx.options.min
      ? { status: 'pass', measured: { running: running.length, then } }
      : { status: 'fail', findings: [{ message: \`\${running.length} running\`, expected: \`≥ \${ctx.options.min}\`, actual: String(running.length), remediation: 'start them' }] };
  },
})];
`;

const tsc = () => spawnSync(process.execPath, [TSC, '-p', dir], { encoding: 'utf8' });

describe('a TypeScript plugin against the public entry point', () => {
  it("compiles with requires: ['pods'] and with every built-in snapshot key, then loads and runs", async () => {
    const keys = [...new Set(builtinCollectors.map((c) => c.key))];
    writeFileSync(join(dir, 'plugin.ts'), `${plugin(`['pods']`)}\nexport const all = defineCheck({ meta: { id: 'acme-all', phase: 'pre', recommended: 'warn', title: 't', failureTitle: 'f', description: 'd', requires: ${JSON.stringify(keys)} }, evaluate: () => ({ status: 'pass' }) });\n`);
    const r = tsc();
    assert.equal(r.status, 0, `tsc failed:\n${r.stdout}${r.stderr}`);
    const registry = await loadRegistry([join(dir, 'out', 'plugin.js')], dir);
    const check = registry.checks.find((c) => c.meta.id === 'acme-running-pods');
    assert.ok(check, 'the compiled plugin registers its check');
    const pod = { metadata: { name: 'mm-a', namespace: 'mattermost' }, status: { phase: 'Running' } };
    const result = await runCheck(check, { data: { pods: [pod], baseline: { path: 'p', kind: 'snapshot', collectedAt: '2026-11-20T10:00:00Z', harnessVersion: 't', data: { pods: [pod, pod] } } } });
    assert.equal(result.status, 'pass');
    assert.deepEqual(result.measured, { running: 1, then: 2 });
  });

  it('does not compile with a snapshot key nobody declares (the test can fail)', () => {
    writeFileSync(join(dir, 'plugin.ts'), plugin(`['podz']`));
    const r = tsc();
    assert.notEqual(r.status, 0);
    assert.match(r.stdout, /TS2322: Type '"podz"' is not assignable/);
  });
});
