import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { GENERATED } from '../scripts/docs.js';

describe('generated docs are in step with the code (npm run docs rewrites them)', () => {
  for (const [file, render] of Object.entries(GENERATED)) {
    it(file, () => {
      const committed = readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8');
      assert.equal(committed, render(), `${file} is stale: run npm run docs`);
    });
  }
});
