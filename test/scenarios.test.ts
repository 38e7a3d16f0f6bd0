/**
 * Every lab scenario with an expect.yaml is served by the real lab and judged by the real gate
 * (config from the file the lab writes, collectors over the network, policy): the verdict and the
 * exact set of blocking checks must be what expect.yaml says (test/scenario-runner.ts).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { startLab } from '../lab/index.js';
import { BUILTIN_SCENARIOS, listScenarios } from '../lab/scenario.js';
import { checkScenario } from './scenario-runner.js';

const tmp = mkdtempSync(join(tmpdir(), 'mmgate-scenarios-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

describe('lab scenarios meet their expect.yaml', () => {
  const scenarios = listScenarios();
  it('has scenarios', () => assert.ok(scenarios.length >= 2, `no scenarios under ${BUILTIN_SCENARIOS}`));
  for (const { name } of scenarios) {
    it(name, async () => { await checkScenario(name, tmp, (s, out) => startLab(s, out)); });
  }
});
