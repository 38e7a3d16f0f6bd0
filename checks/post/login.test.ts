import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runCheck } from '../../core/testing.js';
import { collectError, journey } from '../../test/fixtures/post-upgrade.js';
import check from './login.js';

describe('login', () => {
  it('passes when login and users/me succeed', async () => {
    const r = await runCheck(check, { data: { smokeJourney: journey() } });
    assert.equal(r.status, 'pass');
    assert.equal(r.measured?.['loginMs'], 20);
    assert.match(r.summary ?? '', /mmgate-smoke logged in \(password\)/);
  });

  it('fails on refused credentials with the server error', async () => {
    const j = journey({ failStep: { name: 'login', step: { latencyMs: 8, error: { code: 'HTTP_401', status: 401, id: 'api.user.login.invalid_credentials_email_username', message: 'Enter a valid email or username and/or password.' } } } });
    const r = await runCheck(check, { data: { smokeJourney: { ...j, steps: j.steps.map((s) => (s.name === 'me' ? { name: 'me', ok: false, skipped: 'login failed' } : s)) } } });
    assert.equal(r.status, 'fail');
    assert.match(r.findings[0]?.message ?? '', /password login of the smoke user .* failed/);
    assert.equal(r.findings[0]?.actual, 'HTTP 401 (api.user.login.invalid_credentials_email_username): Enter a valid email or username and/or password.');
    assert.match(r.findings[0]?.remediation ?? '', /mattermost\.smoke\.password/);
    assert.match(r.findings[1]?.message ?? '', /was not tried: login failed/);
    assert.equal(r.summary, 'login of mmgate-smoke failed');
  });

  it('fails when the session belongs to someone else', async () => {
    const r = await runCheck(check, { data: { smokeJourney: journey({ failStep: { name: 'me', step: { error: { code: 'WRONG_USER', status: 200, message: 'the session belongs to admin, not mmgate-smoke' } } } }) } });
    assert.equal(r.status, 'fail');
    assert.match(r.findings[0]?.actual ?? '', /belongs to admin/);
    assert.match(r.findings[0]?.remediation ?? '', /session settings/);
  });

  it('a step missing from the journey is error NOT_TRIED: it was never looked at', async () => {
    const j = journey();
    const r = await runCheck(check, { data: { smokeJourney: { ...j, steps: j.steps.filter((s) => s.name !== 'me') } } });
    assert.equal(r.status, 'error');
    assert.deepEqual(r.error, { code: 'NOT_TRIED', message: 'could not look at Mattermost mm (NOT_TRIED)' });
    assert.equal(r.findings[0]?.actual, 'the step was not run');
    assert.equal(r.findings[0]?.message, 'reading users/me with the new session was not tried: the step was not run');
  });

  it('errors when the journey did not run', async () => {
    const r = await runCheck(check, { data: { smokeJourney: collectError('smokeJourney', 'no smoke user: set mattermost.smoke') } });
    assert.equal(r.status, 'error');
    assert.match(r.error?.message ?? '', /mattermost\.smoke/);
  });
  it('fails a refused personal access token, pointing at the token', async () => {
    const r = await runCheck(check, { data: { smokeJourney: journey({ auth: 'token', failStep: { name: 'login', step: { error: { code: 'HTTP_401', status: 401, message: 'Invalid or expired session, please login again.' } } } }) } });
    assert.equal(r.status, 'fail');
    assert.equal(r.findings[0]?.message, 'token authentication of the smoke user at https://chat.example.com failed');
    assert.match(r.findings[0]?.remediation ?? '', /personal access token \(mattermost\.smoke\.token\)/);
  });

  it('names "the smoke user" in the summary when the journey never learnt who it is', async () => {
    const { user: _u, ...j } = journey({ failStep: { name: 'login', step: { error: { code: 'HTTP_401', status: 401, message: 'no' } } } });
    const r = await runCheck(check, { data: { smokeJourney: j } });
    assert.equal(r.status, 'fail');
    assert.equal(r.summary, 'login of the smoke user failed');
  });
});
