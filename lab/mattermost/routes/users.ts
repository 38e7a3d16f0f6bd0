/**
 * Users and sessions: login (token in the `Token` header, cookies only for XHR callers), logout,
 * the current user and their teams.
 */
import { AppError, header, invalidUrlParam, json, jsonBody, stringMap } from '../http.js';
import { isValidId, teamJson, userJson } from '../model.js';
import type { Route, RouteContext } from '../router.js';
import { requireUser, resolveUserParam } from '../router.js';

/** Web sessions last `SessionLengthWebInHours` (30 days on a fresh install). */
const SESSION_SECONDS = 30 * 24 * 3600;

const invalidCredentials = (): AppError =>
  // Every authentication failure is masked to this id when email and username sign-in are both on.
  new AppError('api.user.login.invalid_credentials_email_username', 'Enter a valid email or username and/or password.', 401, 'login');

function login(ctx: RouteContext) {
  const props = stringMap(jsonBody(ctx.req));
  const m = ctx.pod.metrics;
  if (ctx.world.behaviour.loginRefused || ctx.pod.spec.loginRefused) {
    m.loginFails += 1;
    throw invalidCredentials();
  }
  const loginId = props.login_id ?? '';
  const password = props.password ?? '';
  if (password === '') {
    m.loginFails += 1;
    throw new AppError('api.user.login.blank_pwd.app_error', 'Password field must not be blank', 400, 'login');
  }
  const user = props.id ? ctx.store.users.get(props.id) : ctx.store.userByLogin(loginId);
  if (!user || user.password === undefined || user.password !== password) {
    m.loginFails += 1;
    throw invalidCredentials();
  }
  const session = ctx.store.createSession(user.id, ctx.now.getTime());
  m.logins += 1;
  // DoLogin always sets the Token header; AttachSessionCookies only runs for XHR requests.
  const headers: Record<string, string> = { Token: session.token };
  if (header(ctx.req, 'x-requested-with') === 'XMLHttpRequest') {
    // One Set-Cookie per response in this transport: the session cookie is the one that matters
    // (MMUSERID and MMCSRF are conveniences for the webapp).
    headers['Set-Cookie'] = `MMAUTHTOKEN=${session.token}; Path=/; Max-Age=${SESSION_SECONDS}; HttpOnly; SameSite=Lax`;
  }
  // Status 200 although the OpenAPI spec says 201: no WriteHeader is called in the handler.
  return json(200, userJson(user), headers);
}

/** `Logout`: an APIHandler, so it needs no session; always clears the cookie, always 200 OK. */
function logout(ctx: RouteContext) {
  if (ctx.session) ctx.store.revokeSession(ctx.session.token);
  return json(200, { status: 'OK' }, { 'Set-Cookie': 'MMAUTHTOKEN=; Path=/; Max-Age=0; HttpOnly' });
}

/** `getUser`: `me` or any id; any logged-in user may look others up (sanitized). */
function getUser(ctx: RouteContext) {
  const me = requireUser(ctx);
  const raw = ctx.params.user_id;
  if (raw === 'me') return json(200, userJson(me));
  if (!isValidId(raw)) throw invalidUrlParam('user_id');
  const u = ctx.store.users.get(raw);
  if (!u) throw new AppError('app.user.missing_account.const', 'Unable to find the user.', 404, 'GetUser');
  return json(200, userJson(u));
}

/** `getUserByUsername`: any logged-in user may look another up by name (sanitized). */
function getUserByUsername(ctx: RouteContext) {
  requireUser(ctx);
  const u = ctx.store.userByLogin(ctx.params.username ?? '');
  if (!u || u.username !== ctx.params.username) throw new AppError('app.user.missing_account.const', 'Unable to find the user.', 404, 'GetUserByUsername');
  return json(200, userJson(u));
}

function getTeamsForUser(ctx: RouteContext) {
  const u = resolveUserParam(ctx);
  return json(200, ctx.store.teamsOfUser(u.id).map(teamJson));
}

export const userRoutes: Route[] = [
  { method: 'POST', path: '/api/v4/users/login', handler: 'login', kind: 'api', run: login },
  { method: 'POST', path: '/api/v4/users/logout', handler: 'logout', kind: 'api', run: logout },
  { method: 'GET', path: '/api/v4/users/{user_id}', handler: 'getUser', kind: 'api', session: true, run: getUser },
  { method: 'GET', path: '/api/v4/users/username/{username}', handler: 'getUserByUsername', kind: 'api', session: true, run: getUserByUsername },
  { method: 'GET', path: '/api/v4/users/{user_id}/teams', handler: 'getTeamsForUser', kind: 'api', session: true, run: getTeamsForUser },
];
