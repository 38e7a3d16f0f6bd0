import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runCheck } from '../../core/testing.js';
import { collectError, journey } from '../../test/fixtures/post-upgrade.js';
import check from './navigation.js';

describe('navigation', () => {
  it('passes when teams and channels are listed and found', async () => {
    const j = journey();
    const r = await runCheck(check, { data: { smokeJourney: { ...j, steps: j.steps.map((s) => (s.name === 'teams' ? { ...s, detail: { count: 2 } } : s)) } } });
    assert.equal(r.status, 'pass');
    assert.match(r.summary ?? '', /found ops\/upgrade-smoke among 2 teams/);
  });

  it('fails when the smoke user is not a member of the team', async () => {
    const r = await runCheck(check, { data: { smokeJourney: journey({ failStep: { name: 'team', step: { error: { code: 'NOT_MEMBER', status: 200, message: 'the smoke user mmgate-smoke is not a member of team ops' } } } }) } });
    assert.equal(r.status, 'fail');
    assert.match(r.findings[0]?.actual ?? '', /not a member of team ops/);
    assert.match(r.findings[0]?.remediation ?? '', /URL name/);
  });

  it('fails when the channel does not exist', async () => {
    const r = await runCheck(check, { data: { smokeJourney: journey({ failStep: { name: 'channel', step: { error: { code: 'HTTP_404', status: 404, id: 'app.channel.get_by_name.missing.app_error', message: 'Channel does not exist.' } } } }) } });
    assert.equal(r.status, 'fail');
    assert.match(r.findings[0]?.message ?? '', /finding the smoke channel/);
  });

  it('navigation skipped after a failed login is error NOT_TRIED (the login check fails), each step named', async () => {
    const j = journey();
    const r = await runCheck(check, { data: { smokeJourney: { ...j, steps: j.steps.map((s) => (['teams', 'team', 'channels', 'channel'].includes(s.name) ? { name: s.name, ok: false, skipped: 'login failed' } : s)) } } });
    assert.equal(r.status, 'error');
    assert.equal(r.error?.code, 'NOT_TRIED');
    assert.equal(r.blocking, true);
    assert.equal(r.findings.length, 4);
    assert.equal(r.findings[0]?.message, 'listing the smoke user\'s teams was not tried: login failed');
    assert.equal(r.findings[0]?.actual, 'not run: login failed');
    assert.match(r.findings[0]?.remediation ?? '', /fix what stopped the journey before this step \(login failed\)/);
  });

  it('a failed step fails, and the steps it stopped are listed beside it as not tried', async () => {
    const j = journey();
    const r = await runCheck(check, { data: { smokeJourney: { ...j, steps: j.steps.map((s) => s.name === 'team' ? { ...s, ok: false, error: { code: 'HTTP_404', status: 404, message: 'team not found' } } : ['channels', 'channel'].includes(s.name) ? { name: s.name, ok: false, skipped: 'team smoke was not found' } : s) } } });
    assert.equal(r.status, 'fail');
    assert.deepEqual(r.findings.map((f) => f.actual), ['HTTP 404: team not found', 'not run: team smoke was not found', 'not run: team smoke was not found']);
    assert.equal(r.error?.code, 'NOT_TRIED');
  });

  it('errors without a journey', async () => {
    assert.equal((await runCheck(check, { data: { smokeJourney: collectError('smokeJourney') } })).status, 'error');
  });
  it('reports the counts it saw ("?" when not given) and the step latencies', async () => {
    const j = journey();
    const r = await runCheck(check, { data: { smokeJourney: { ...j, steps: j.steps.map((s) => (s.name === 'channels' ? { ...s, detail: { count: 5 } } : s)) } } });
    assert.equal(r.summary, 'found ops/upgrade-smoke among ? teams and 5 channels');
    assert.deepEqual(r.measured, { teamsMs: 20, teamMs: 20, channelsMs: 20, channelMs: 20 });
  });

  it('says navigation failed in the summary when a step fails', async () => {
    const r = await runCheck(check, { data: { smokeJourney: journey({ failStep: { name: 'teams', step: { error: { code: 'HTTP_500', status: 500, message: 'boom' } } } }) } });
    assert.equal(r.summary, 'navigation failed');
    assert.equal(r.findings[0]?.message, 'listing the smoke user\'s teams failed');
  });

  it('names the configuration keys when the journey does not know the team or channel', async () => {
    const { team: _t, channel: _c, ...j } = journey();
    const err = { code: 'HTTP_404', status: 404, message: 'not found' };
    const steps = j.steps.map((s) => (['team', 'channels', 'channel'].includes(s.name) ? { name: s.name, ok: false, error: err } : s));
    const r = await runCheck(check, { data: { smokeJourney: { ...j, steps } } });
    assert.deepEqual(r.findings.map((f) => f.message), [
      'finding the smoke team (mattermost.smoke.team) failed',
      'listing the smoke user\'s channels in the configured team failed',
      'finding the smoke channel (mattermost.smoke.channel) failed',
    ]);
  });
});
