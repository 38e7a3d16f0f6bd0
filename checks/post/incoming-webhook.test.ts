import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runCheck } from '../../core/testing.js';
import { collectError, journey } from '../../test/fixtures/post-upgrade.js';
import check from './incoming-webhook.js';

describe('incoming-webhook', () => {
  it('passes when the webhook post appears and is deleted', async () => {
    const r = await runCheck(check, { data: { smokeJourney: journey() } });
    assert.equal(r.status, 'pass');
    assert.equal(r.measured?.['sendMs'], 20);
    assert.equal(r.measured?.['leftovers'], 0);
    assert.equal(r.summary, 'webhook post appeared in ops/upgrade-smoke and was deleted');
  });

  it('is not applicable when no webhook is configured', async () => {
    const j = journey({ webhookConfigured: false });
    const r = await runCheck(check, { data: { smokeJourney: { ...j, steps: j.steps.filter((s) => !s.name.startsWith('webhook')) } } });
    assert.equal(r.status, 'not-applicable');
    assert.match(r.reason ?? '', /mattermost\.incomingWebhook/);
  });

  it('fails when webhooks are disabled', async () => {
    const r = await runCheck(check, { data: { smokeJourney: journey({ failStep: { name: 'webhook.send', step: { error: { code: 'HTTP_501', status: 501, id: 'web.incoming_webhook.disabled.app_error', message: 'Incoming webhooks have been disabled by the system admin.' } } } }) } });
    assert.equal(r.status, 'fail');
    assert.equal(r.findings[0]?.message, 'posting to the incoming webhook failed');
    assert.match(r.findings[0]?.remediation ?? '', /EnableIncomingWebhooks/);
    assert.equal(r.summary, 'incoming webhook failed');
  });

  it('fails when the post never appears', async () => {
    const r = await runCheck(check, { data: { smokeJourney: journey({ failStep: { name: 'webhook.find', step: { error: { code: 'NOT_FOUND', message: 'did not appear within 10s' } } } }) } });
    assert.equal(r.status, 'fail');
    assert.match(r.findings[0]?.actual ?? '', /did not appear/);
  });

  it('fails and names a webhook post left behind', async () => {
    const left = { kind: 'post' as const, id: 'w'.repeat(26), part: 'webhook' as const, deleted: false, error: { code: 'HTTP_403', status: 403, message: 'You do not have the appropriate permissions.' } };
    const r = await runCheck(check, { data: { smokeJourney: journey({ failStep: { name: 'webhook.delete', step: { error: left.error } }, leftovers: [left] }) } });
    assert.equal(r.status, 'fail');
    assert.ok(r.findings.some((f) => f.subject?.name === left.id && /left behind/.test(f.message)));
    assert.equal(r.measured?.['leftovers'], 1);
  });

  it('errors without a journey (even if no webhook is configured: it cannot know)', async () => {
    assert.equal((await runCheck(check, { data: { smokeJourney: collectError('smokeJourney') } })).status, 'error');
  });
  it('leaves a leftover of the post round trip to that check', async () => {
    const left = { kind: 'post' as const, id: 'p'.repeat(26), part: 'post' as const, deleted: false };
    const r = await runCheck(check, { data: { smokeJourney: journey({ leftovers: [left] }) } });
    assert.equal(r.status, 'pass');
    assert.equal(r.measured?.['leftovers'], 0);
  });
});
