/**
 * Prevents promoting a server whose integrations went silent: alerting, CI and monitoring tools
 * post through incoming webhooks, which an upgrade can disable (EnableIncomingWebhooks), break
 * (the root router, a proxy rule for /hooks) or slow. When mattermost.incomingWebhook is set, the
 * journey posts a marked message to /hooks/{id}, expects `ok`, finds the post in the smoke channel
 * and deletes it.
 */
import { z } from 'zod';
import { defineCheck } from '../../core/check.js';
import { failedStepFindings, leftoverFindings, stepMeasurements } from '../../core/mattermost.js';
import { outcomeOf } from '../../core/outcome.js';

export const incomingWebhookCheck = defineCheck({
  meta: {
    id: 'incoming-webhook',
    phase: 'post',
    title: 'An incoming webhook posts into the smoke channel',
    failureTitle: 'The incoming webhook does not post into the smoke channel',
    description: 'Posts a marked message to the configured incoming webhook (POST /hooks/{id} at the front door, answer "ok"), finds it in the smoke channel within mattermost.webhookTimeout, and deletes it. Integrations that post through webhooks must keep working after the upgrade. Not applicable without mattermost.incomingWebhook.',
    requires: ['smokeJourney'],
    recommended: 'error',
  },
  options: z.strictObject({}),
  evaluate(input, ctx) {
    const j = input.smokeJourney;
    if (!j.webhookConfigured) return { status: 'not-applicable', reason: 'no incoming webhook is configured (mattermost.incomingWebhook.id)' };
    const steps = failedStepFindings(j, ['webhook.send', 'webhook.find', 'webhook.delete'], {
      scope: ctx.scope,
      what: { 'webhook.send': 'posting to the incoming webhook', 'webhook.find': 'finding the webhook\'s post in the smoke channel', 'webhook.delete': 'deleting the webhook\'s post' },
      remediation: {
        'webhook.send': 'check ServiceSettings.EnableIncomingWebhooks is on, the webhook id exists, and the ingress routes /hooks/ to Mattermost',
        'webhook.find': 'check the webhook posts into the smoke channel (mattermost.smoke.channel) and is not locked to another one',
        'webhook.delete': 'the webhook\'s post belongs to the webhook\'s creator: give mattermost.admin.token so the journey can delete it',
        default: 'check the server log',
      },
    });
    const fails = [...steps.fails, ...leftoverFindings(j, 'webhook', ctx.scope)];
    const { errors } = steps;
    return outcomeOf({
      fails, errors,
      summary: fails.length || errors.length ? 'incoming webhook failed' : `webhook post appeared in ${j.team?.name}/${j.channel?.name} and was deleted`,
      measured: { ...stepMeasurements(j, { 'webhook.send': 'sendMs', 'webhook.find': 'findMs', 'webhook.delete': 'deleteMs' }), leftovers: j.leftovers.filter((o) => o.part === 'webhook').length },
    });
  },
});

export default incomingWebhookCheck;
