/**
 * A small installation the simulator's tests share (and an example of the scenario format):
 * two pods mid-upgrade, an admin, a user, a team with a private channel, one webhook.
 */
import type { MattermostSpec } from './spec.js';

export const ADMIN = { username: 'sysadmin', password: 'Sys@dmin-sample1' } as const;
export const USER = { username: 'user-1', password: 'SampleUs@r-1' } as const;
export const PAT = 'pat0000000000000000000000a';
export const HOOK_ID = 'hook0000000000000000000000';

export function sampleSpec(overrides: Partial<MattermostSpec> = {}): MattermostSpec {
  return {
    siteName: 'Lab Mattermost',
    users: [
      { username: ADMIN.username, password: ADMIN.password, roles: 'system_user system_admin', tokens: [PAT] },
      { username: USER.username, password: USER.password },
      { username: 'outsider', password: 'Outsider-pass1' },
    ],
    teams: [
      { name: 'ad-1', displayName: 'AD 1', channels: [{ name: 'smoke', displayName: 'Smoke' }, { name: 'ops', type: 'P' }], members: [ADMIN.username, USER.username] },
      { name: 'other', channels: [], members: ['outsider'] },
    ],
    defaults: {
      plugins: [
        { id: 'com.mattermost.calls', name: 'Calls', version: '1.2.0', state: 2 },
        { id: 'playbooks', name: 'Playbooks', version: '2.0.1', state: 2 },
      ],
    },
    pods: {
      'mm-old-0': { version: '10.11.2' },
      'mm-new-0': { version: '11.7.0', schemaVersion: '227' },
    },
    incomingWebhooks: [{ id: HOOK_ID, team: 'ad-1', channel: 'smoke', displayName: 'smoke hook' }],
    ...overrides,
  };
}
