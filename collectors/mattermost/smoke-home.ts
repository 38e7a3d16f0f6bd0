/**
 * Where the smoke user lives, asked from Mattermost itself when init has an admin token: the
 * smoke user's first team, and in it a channel named like a smoke channel, else town-square.
 * Without a token, or when the user does not exist yet, the file says what to fill in.
 */
import { errorMessage } from '../../core/errors.js';

interface Named { id: string; name: string }

const TIMEOUT_MS = 10_000;
const SMOKE_CHANNELS = ['upgrade-smoke', 'mmgate-smoke', 'smoke'];

async function get<T>(base: string, path: string, token: string): Promise<T> {
  const res = await fetch(`${base.replace(/\/+$/, '')}${path}`, { headers: { Authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(TIMEOUT_MS) });
  if (!res.ok) throw new Error(`GET ${path} answered ${res.status}`);
  return (await res.json()) as T;
}

export async function smokeHome(url: string | undefined, username: string, token: string | undefined, notes: string[]): Promise<{ team?: string; channel?: string }> {
  if (!url || !token) {
    notes.push(`the smoke team and channel were not looked up (${!url ? 'no front-door URL' : 'MMGATE_ADMIN_TOKEN is not set'}): fill them in`);
    return {};
  }
  try {
    const user = await get<Named>(url, `/api/v4/users/username/${encodeURIComponent(username)}`, token);
    const teams = await get<Named[]>(url, `/api/v4/users/${user.id}/teams`, token);
    const team = teams[0];
    if (!team) {
      notes.push(`the smoke user ${username} is in no team yet: add it to one and fill in mattermost.smoke.team`);
      return {};
    }
    const channels = await get<Named[]>(url, `/api/v4/users/${user.id}/teams/${team.id}/channels`, token);
    const channel = SMOKE_CHANNELS.find((n) => channels.some((c) => c.name === n)) ?? 'town-square';
    return { team: team.name, channel };
  } catch (err) {
    notes.push(`could not ask ${url} where the smoke user ${username} is (${errorMessage(err)}): fill in mattermost.smoke.team and channel`);
    return {};
  }
}
