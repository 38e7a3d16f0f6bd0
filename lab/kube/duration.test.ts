import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ageSince, humanDuration } from './duration.js';

describe('humanDuration (kubectl Age cells)', () => {
  // Each pair was printed by the real kubectl (its client-side HumanDuration) for an object that old.
  const measured: [number, string][] = [
    [30, '30s'], [95, '95s'], [119, '119s'], [120, '2m'], [121, '2m1s'], [330, '5m30s'], [599, '9m59s'], [600, '10m'],
    [179 * 60, '179m'], [3 * 3600, '3h'], [5 * 3600 + 1800, '5h30m'], [7 * 3600 + 59 * 60, '7h59m'], [8 * 3600, '8h'],
    [30 * 3600, '30h'], [47 * 3600, '47h'], [48 * 3600, '2d'], [3 * 86400 + 5 * 3600, '3d5h'], [7 * 86400 + 23 * 3600, '7d23h'],
    [8 * 86400, '8d'], [20 * 86400, '20d'], [400 * 86400, '400d'], [729 * 86400, '729d'], [730 * 86400, '2y'],
    [3 * 365 * 86400, '3y'], [(3 * 365 + 10) * 86400, '3y10d'], [(7 * 365 + 364) * 86400, '7y364d'], [8 * 365 * 86400, '8y'],
    [(9 * 365 + 100) * 86400, '9y'],
  ];
  for (const [seconds, text] of measured) {
    it(`${seconds}s → ${text}`, () => assert.equal(humanDuration(seconds * 1000), text));
  }

  it('tolerates a clock up to 2s behind and flags worse', () => {
    assert.equal(humanDuration(-1500), '0s');
    assert.equal(humanDuration(-5000), '<invalid>');
  });

  it('ageSince says <unknown> for a missing or bad timestamp', () => {
    const now = new Date('2026-11-22T12:00:00Z');
    assert.equal(ageSince(undefined, now), '<unknown>');
    assert.equal(ageSince('yesterday', now), '<unknown>');
    assert.equal(ageSince('2026-11-22T11:54:30Z', now), '5m30s');
  });
});
