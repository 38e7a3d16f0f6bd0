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

  it('could not look, and nothing found: error, with the first code and every place named', () => {
    const pod = (name: string, code: string) => ({ code, message: `pod ${name} could not be asked`, subject: { kind: 'Pod', name }, expected: 'an answer', actual: code, remediation: 'fix access' });
    const o = outcomeOf({ fails: [], errors: [pod('mm-1', 'FORBIDDEN'), pod('mm-2', 'TIMEOUT')], warns: [meh], summary: '0/2 asked' });
    assert.deepEqual(o, {
      status: 'error', error: { code: 'FORBIDDEN', message: 'could not look at Pod mm-1 (FORBIDDEN), Pod mm-2 (TIMEOUT)' }, summary: '0/2 asked',
      findings: [{ message: 'pod mm-1 could not be asked', subject: { kind: 'Pod', name: 'mm-1' }, expected: 'an answer', actual: 'FORBIDDEN', remediation: 'fix access' },
        { message: 'pod mm-2 could not be asked', subject: { kind: 'Pod', name: 'mm-2' }, expected: 'an answer', actual: 'TIMEOUT', remediation: 'fix access' }, meh],
    });
  });

  it('found a problem and could not look elsewhere: fail, the places not seen listed after it and in error', () => {
    const o = outcomeOf({ fails: [bad], errors: [{ code: 'BAD_RESPONSE', message: 'no subject here', expected: 'JSON', actual: 'HTML' }] });
    assert.deepEqual(o, { status: 'fail', findings: [bad, { message: 'no subject here', expected: 'JSON', actual: 'HTML' }], error: { code: 'BAD_RESPONSE', message: 'also could not look at no subject here (BAD_RESPONSE)' } });
  });
});
