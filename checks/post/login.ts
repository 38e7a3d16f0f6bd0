/**
 * Prevents promoting a server nobody can sign in to: an upgrade can break authentication (a
 * changed password hashing or session setting, a broken LDAP/SAML sync, a database migration that
 * left the Users or Sessions table unusable) while every pod is healthy. The smoke user logs in
 * through the front door (password, or its token) and reads users/me.
 */
import { z } from 'zod';
import { defineCheck } from '../../core/check.js';
import { failedStepFindings, stepMeasurements } from '../../core/mattermost.js';
import { outcomeOf } from '../../core/outcome.js';

export const loginCheck = defineCheck({
  meta: {
    id: 'login',
    phase: 'post',
    title: 'The smoke user logs in through the front door',
    failureTitle: 'The smoke user cannot log in through the front door',
    description: 'Logs the smoke user (mattermost.smoke) in through the front door with @mattermost/client — password login (the Token header) or its personal access token — and reads users/me. An upgrade that breaks sign-in must not be promoted, however healthy the pods look.',
    requires: ['smokeJourney'],
    recommended: 'error',
  },
  options: z.strictObject({}),
  evaluate(input, ctx) {
    const j = input.smokeJourney;
    const { fails, errors } = failedStepFindings(j, ['login', 'me'], {
      scope: ctx.scope,
      what: { login: `${j.auth === 'password' ? 'password login' : 'token authentication'} of the smoke user at ${j.url}`, me: 'reading users/me with the new session' },
      remediation: {
        login: j.auth === 'password'
          ? 'check the smoke user exists, is active, is not locked after failed attempts, and its password (mattermost.smoke.password) is right; check the server log for the login error'
          : 'check the smoke user\'s personal access token (mattermost.smoke.token) is valid and personal access tokens are enabled',
        me: 'the session was not accepted right after login: check the server log and the session settings (ServiceSettings.SessionLengthWebInHours)',
        default: 'check the server log for the failed request',
      },
    });
    return outcomeOf({
      fails, errors,
      summary: fails.length || errors.length ? `login of ${j.user?.username ?? 'the smoke user'} failed` : `${j.user?.username ?? 'the smoke user'} logged in (${j.auth})`,
      measured: stepMeasurements(j, { login: 'loginMs', me: 'meMs' }),
    });
  },
});

export default loginCheck;
