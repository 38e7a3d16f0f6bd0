import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { outcomeOf } from './outcome.js';

const bad = { message: 'bad', expected: 'good', actual: 'bad' };
const meh = { message: 'meh', expected: 'good', actual: 'meh' };

describe('outcomeOf', () => {
  it('no finding is a pass, with its summary and measurements', () => {
    assert.deepEqual(outcomeOf({ fails: [] }), { status: 'pass' });
    assert.deepEqual(outcomeOf({ fails: [], warns: [], summary: '3 fine', measured: { fine: 3 } }), { status: 'pass', summary: '3 fine', measured: { fine: 3 } });
  });

  it('warnings alone warn, with only the warnings', () => {
    assert.deepEqual(outcomeOf({ fails: [], warns: [meh], summary: 's' }), { status: 'warn', findings: [meh], summary: 's' });
  });

  it('any blocking finding fails, failures first, warnings kept', () => {
    assert.deepEqual(outcomeOf({ fails: [bad], warns: [meh], measured: { n: 1 } }), { status: 'fail', findings: [bad, meh], measured: { n: 1 } });
  });
});
