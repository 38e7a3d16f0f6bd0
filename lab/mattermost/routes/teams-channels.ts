/**
 * Teams and channels: the lookups a smoke test needs to find where to post.
 */
import { AppError, permissionError, json } from '../http.js';
import { channelJson, teamJson } from '../model.js';
import type { ChannelRec, TeamRec, UserRec } from '../model.js';
import type { Route, RouteContext } from '../router.js';
import { requireIdParam, requireUser, resolveUserParam } from '../router.js';
import { isSystemAdmin } from '../store.js';

const teamNotFound = (): AppError => new AppError('app.team.get_by_name.missing.app_error', 'Unable to find the existing team.', 404, 'GetTeamByName');
const channelNotFound = (teamName: string, channelName: string): AppError =>
  new AppError('app.channel.get_by_name.missing.app_error', 'Channel does not exist.', 404, 'getChannelByNameForTeamName', `teamName=${teamName}, channelName=${channelName}`);

const isMember = (team: TeamRec, user: UserRec): boolean => team.memberIds.has(user.id) || isSystemAdmin(user);

function teamById(ctx: RouteContext, user: UserRec, permission: string): TeamRec {
  const id = requireIdParam(ctx, 'team_id');
  const team = ctx.store.teams.get(id);
  // The permission check comes first in the server, so an unknown team is a 403 too.
  if (!team || !isMember(team, user)) throw permissionError(user.id, permission);
  return team;
}

/** `getTeamByName`: teams are invite-only here, so non-members get 403. */
function getTeamByName(ctx: RouteContext) {
  const user = requireUser(ctx);
  const team = ctx.store.teamByName(ctx.params.name ?? '');
  if (!team) throw teamNotFound();
  if (!isMember(team, user)) throw permissionError(user.id, 'view_team');
  return json(200, teamJson(team));
}

function getTeam(ctx: RouteContext) {
  const user = requireUser(ctx);
  return json(200, teamJson(teamById(ctx, user, 'view_team')));
}

const byName = (a: ChannelRec, b: ChannelRec): number => a.name.localeCompare(b.name);

/** `getChannelsForTeamForUser` (Client4 `getMyChannels`): every channel of the team the user is in. */
function getChannelsForTeamForUser(ctx: RouteContext) {
  const user = resolveUserParam(ctx);
  const team = teamById(ctx, user, 'view_team');
  return json(200, ctx.store.channelsOfTeam(team.id).sort(byName).map(channelJson));
}

/** `getPublicChannelsForTeam`, paged with the server's defaults (page 0, 60 per page). */
function getPublicChannelsForTeam(ctx: RouteContext) {
  const user = requireUser(ctx);
  const team = teamById(ctx, user, 'list_team_channels');
  const page = Math.max(0, Number.parseInt(ctx.url.searchParams.get('page') ?? '0', 10) || 0);
  const perPage = Math.min(200, Math.max(1, Number.parseInt(ctx.url.searchParams.get('per_page') ?? '60', 10) || 60));
  const open = ctx.store
    .channelsOfTeam(team.id)
    .filter((c) => c.type === 'O')
    .sort(byName);
  return json(200, open.slice(page * perPage, (page + 1) * perPage).map(channelJson));
}

/** `getChannelByNameForTeamName`: a channel the caller may not read is reported as missing. */
function getChannelByNameForTeamName(ctx: RouteContext) {
  const user = requireUser(ctx);
  const teamName = ctx.params.team_name ?? '';
  const channelName = ctx.params.channel_name ?? '';
  const team = ctx.store.teamByName(teamName);
  const channel = team && ctx.store.channelByName(team.id, channelName);
  if (!team || !channel || !ctx.store.canReadChannel(user, channel)) throw channelNotFound(teamName, channelName);
  return json(200, channelJson(channel));
}

function getChannel(ctx: RouteContext) {
  const user = requireUser(ctx);
  const id = requireIdParam(ctx, 'channel_id');
  const channel = ctx.store.channels.get(id);
  if (!channel || !ctx.store.canReadChannel(user, channel)) throw permissionError(user.id, 'read_channel');
  return json(200, channelJson(channel));
}

export const teamChannelRoutes: Route[] = [
  { method: 'GET', path: '/api/v4/teams/name/{name}', handler: 'getTeamByName', kind: 'api', session: true, run: getTeamByName },
  { method: 'GET', path: '/api/v4/teams/{team_id}', handler: 'getTeam', kind: 'api', session: true, run: getTeam },
  { method: 'GET', path: '/api/v4/users/{user_id}/teams/{team_id}/channels', handler: 'getChannelsForTeamForUser', kind: 'api', session: true, run: getChannelsForTeamForUser },
  { method: 'GET', path: '/api/v4/teams/{team_id}/channels', handler: 'getPublicChannelsForTeam', kind: 'api', session: true, run: getPublicChannelsForTeam },
  { method: 'GET', path: '/api/v4/teams/name/{team_name}/channels/name/{channel_name}', handler: 'getChannelByNameForTeamName', kind: 'api', session: true, run: getChannelByNameForTeamName },
  { method: 'GET', path: '/api/v4/channels/{channel_id}', handler: 'getChannel', kind: 'api', session: true, run: getChannel },
];
