/**
 * Prevents promoting a server where users log in to an empty screen: after an upgrade the team
 * and channel lists can fail (a migration that broke the Teams/Channels/ChannelMembers tables, a
 * permission scheme the new version reads differently) while login works. The smoke user lists its
 * teams and channels and finds the configured team and channel, as the web app does on load.
 */
import { z } from 'zod';
import { defineCheck } from '../../core/check.js';
import { failedStepFindings, stepMeasurements, stepOf } from '../../core/mattermost.js';
import { outcomeOf } from '../../core/outcome.js';

export const navigationCheck = defineCheck({
  meta: {
    id: 'navigation',
    phase: 'post',
    title: 'The smoke user lists its teams and channels and finds the smoke team and channel',
    failureTitle: 'The smoke user cannot list its teams or channels, or the smoke team or channel is missing',
    description: 'Lists the smoke user\'s teams (users/me/teams) and channels in the smoke team, and finds the configured team and channel by name, the way the web app loads. A server that logs users in but cannot show their teams and channels is not usable.',
    requires: ['smokeJourney'],
    recommended: 'error',
  },
  options: z.strictObject({}),
  evaluate(input, ctx) {
    const j = input.smokeJourney;
    const team = j.team?.name ?? 'the configured team';
    const { fails, errors } = failedStepFindings(j, ['teams', 'team', 'channels', 'channel'], {
      scope: ctx.scope,
      what: { teams: 'listing the smoke user\'s teams', team: `finding the smoke team ${j.team?.name ?? '(mattermost.smoke.team)'}`, channels: `listing the smoke user's channels in ${team}`, channel: `finding the smoke channel ${j.channel?.name ?? '(mattermost.smoke.channel)'}` },
      remediation: {
        team: 'check mattermost.smoke.team is the team\'s URL name (not its display name) and the smoke user is a member',
        channel: 'check mattermost.smoke.channel is the channel\'s URL name and the smoke user is a member of it',
        default: 'the list failed on the server: check the server log for the request and that database migrations finished',
      },
    });
    return outcomeOf({
      fails, errors,
      summary: fails.length || errors.length ? 'navigation failed' : `found ${j.team?.name}/${j.channel?.name} among ${stepOf(j, 'teams')?.detail?.['count'] ?? '?'} teams and ${stepOf(j, 'channels')?.detail?.['count'] ?? '?'} channels`,
      measured: stepMeasurements(j, { teams: 'teamsMs', team: 'teamMs', channels: 'channelsMs', channel: 'channelMs' }),
    });
  },
});

export default navigationCheck;
