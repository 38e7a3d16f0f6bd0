/**
 * What the browser journeys need besides the page: their inputs (environment variables, so
 * `npx playwright test` works by hand as well as under the collector), a record of what they
 * created, and the cleanup that deletes it through Mattermost's API with the browser's own session
 * cookie (the way the web app itself calls the API: `X-Requested-With: XMLHttpRequest`, plus the
 * `MMCSRF` cookie's value as `X-CSRF-Token` when the server set one).
 */
import { randomBytes } from 'node:crypto';
import type { APIResponse, BrowserContext, Response } from '@playwright/test';
import { BROWSER_ENV, BROWSER_MARKER_PREFIX } from '../core/browser-types.js';
import { SESSION_COOKIES } from './selectors.js';

export interface SmokeInputs {
  /** The front door (or whichever host URL the gate routes the journeys through). */
  readonly baseUrl: string;
  readonly user: string;
  /** At least one of password and token is set. */
  readonly password?: string;
  readonly token?: string;
  readonly team: string;
  readonly channel: string;
  /** Shared by every attempt of one run: cleanup sweeps `mmgate-browser <runId> …`. */
  readonly runId: string;
}

const REQUIRED = [BROWSER_ENV.baseUrl, BROWSER_ENV.user, BROWSER_ENV.team, BROWSER_ENV.channel];

/** Reads the inputs; a missing one is an error naming the variable (never a value). */
export function smokeInputs(env: NodeJS.ProcessEnv = process.env): SmokeInputs {
  const need = (name: string): string => {
    const v = env[name];
    if (!v) throw new Error(`${name} is not set: the browser journeys need ${REQUIRED.join(', ')} and ${BROWSER_ENV.password} or ${BROWSER_ENV.token} (mmgate verify sets them from mattermost.url and mattermost.smoke)`);
    return v;
  };
  const password = env[BROWSER_ENV.password] || undefined;
  const token = env[BROWSER_ENV.token] || undefined;
  if (!password && !token) need(BROWSER_ENV.password);
  return {
    baseUrl: need(BROWSER_ENV.baseUrl).replace(/\/+$/, ''),
    user: need(BROWSER_ENV.user),
    ...(password ? { password } : {}),
    ...(token ? { token } : {}),
    team: need(BROWSER_ENV.team),
    channel: need(BROWSER_ENV.channel),
    runId: env[BROWSER_ENV.runId] || randomBytes(4).toString('hex'),
  };
}

/** The ids of what the journeys created, taken from the API answers the page received. */
export class Created {
  readonly posts = new Map<string, { fileIds: string[] }>();
  readonly files = new Set<string>();
  private readonly pending: Promise<void>[] = [];

  /**
   * Follows the page's POSTs from the moment they are sent: every post and file the web app created
   * is recorded, even when a later assertion fails, and the cleanup can wait for a request an
   * interrupt caught in flight (its post would otherwise land after the sweep).
   */
  watch(context: BrowserContext): void {
    context.on('request', (req) => {
      if (req.method() !== 'POST') return;
      this.pending.push(req.response().then((res) => (res ? this.record(res) : undefined)).catch(() => undefined));
    });
  }

  private async record(res: Response): Promise<void> {
    if (res.status() !== 201) return;
    const path = new URL(res.url()).pathname;
    if (path.endsWith('/api/v4/posts')) {
      const p = (await res.json()) as { id?: unknown; file_ids?: unknown };
      if (typeof p.id === 'string') this.posts.set(p.id, { fileIds: Array.isArray(p.file_ids) ? p.file_ids.filter((x): x is string => typeof x === 'string') : [] });
    } else if (path.endsWith('/api/v4/files')) {
      const r = (await res.json()) as { file_infos?: { id?: unknown }[] };
      for (const f of r.file_infos ?? []) if (typeof f.id === 'string') this.files.add(f.id);
    }
  }

  /** Resolves once every POST sent so far was answered (or failed), or after `ms`. */
  settled(ms: number): Promise<unknown> {
    let timer: NodeJS.Timeout | undefined;
    return Promise.race([Promise.allSettled(this.pending), new Promise((r) => { timer = setTimeout(r, ms); })]).finally(() => clearTimeout(timer));
  }
}

export interface CleanupRecord {
  readonly runId: string;
  readonly session: boolean;
  readonly postsDeleted: string[];
  readonly filesDeleted: string[];
  readonly leftovers: { kind: 'post' | 'file'; id: string; error?: string }[];
  readonly errors: string[];
}

const MMAUTHTOKEN = SESSION_COOKIES.token;

/**
 * Deletes every post this run wrote in the smoke channel — the ones the page saw created, and any
 * other carrying the run's marker (an answer the page lost) — then the uploads no deleted post
 * took with it (attached to a cleanup post first: files have no delete API of their own), checks
 * nothing with the marker is left, and logs the session out. Never throws: it reports.
 */
export async function cleanUp(context: BrowserContext, input: SmokeInputs, created: Created, marker: string, timeoutMs: number): Promise<CleanupRecord> {
  await created.settled(timeoutMs);
  const rec: CleanupRecord = { runId: input.runId, session: false, postsDeleted: [], filesDeleted: [], leftovers: [], errors: [] };
  const cookies = await context.cookies(input.baseUrl);
  const sessionToken = cookies.find((c) => c.name === MMAUTHTOKEN)?.value ?? '';
  const session = sessionToken !== '';
  if (!session) {
    // Without a session nothing can have been written; anything recorded anyway cannot be deleted from here.
    for (const id of created.posts.keys()) rec.leftovers.push({ kind: 'post', id, error: 'no session to delete it with' });
    for (const id of created.files) rec.leftovers.push({ kind: 'file', id, error: 'no session to delete it with' });
    return rec;
  }
  (rec as { session: boolean }).session = true;
  const csrf = cookies.find((c) => c.name === 'MMCSRF')?.value;
  const api = (method: string, path: string, data?: unknown): Promise<APIResponse> => context.request.fetch(`${input.baseUrl}${path}`, {
    method,
    headers: { 'X-Requested-With': 'XMLHttpRequest', ...(csrf ? { 'X-CSRF-Token': csrf } : {}), ...(data !== undefined ? { 'Content-Type': 'application/json' } : {}) },
    ...(data !== undefined ? { data: JSON.stringify(data) } : {}),
    failOnStatusCode: false,
    timeout: timeoutMs,
  });
  const fail = (what: string, res: APIResponse | Error): string => (res instanceof Error ? `${what}: ${res.message.split('\n')[0]}` : `${what}: HTTP ${res.status()}`);
  const runPrefix = `${BROWSER_MARKER_PREFIX} ${input.runId} `;

  let channelId: string | undefined;
  try {
    const res = await api('GET', `/api/v4/teams/name/${encodeURIComponent(input.team)}/channels/name/${encodeURIComponent(input.channel)}`);
    if (res.ok()) channelId = ((await res.json()) as { id?: string }).id;
    else rec.errors.push(fail(`look up ${input.team}/${input.channel}`, res));
  } catch (err) {
    rec.errors.push(fail(`look up ${input.team}/${input.channel}`, err as Error));
  }
  /** This run's posts still in the channel (all attempts share the run id). */
  const sweep = async (): Promise<Map<string, string[]> | undefined> => {
    if (!channelId) return undefined;
    try {
      const res = await api('GET', `/api/v4/channels/${encodeURIComponent(channelId)}/posts?page=0&per_page=200`);
      if (!res.ok()) { rec.errors.push(fail('list the channel\'s posts', res)); return undefined; }
      const list = (await res.json()) as { posts?: Record<string, { id: string; message?: string; delete_at?: number; file_ids?: string[] }> };
      const mine = new Map<string, string[]>();
      for (const p of Object.values(list.posts ?? {})) if (!p.delete_at && p.message?.startsWith(runPrefix)) mine.set(p.id, p.file_ids ?? []);
      return mine;
    } catch (err) {
      rec.errors.push(fail('list the channel\'s posts', err as Error));
      return undefined;
    }
  };

  const toDelete = new Map<string, string[]>();
  for (const [id, p] of created.posts) toDelete.set(id, p.fileIds);
  for (const [id, files] of (await sweep()) ?? []) toDelete.set(id, files);
  const filesGone = new Set<string>();
  const deletePost = async (id: string): Promise<boolean> => {
    try {
      const res = await api('DELETE', `/api/v4/posts/${encodeURIComponent(id)}`);
      // 404: already gone (deleted by an earlier attempt's cleanup).
      if (res.ok() || res.status() === 404) return true;
      rec.leftovers.push({ kind: 'post', id, error: fail('delete', res) });
    } catch (err) {
      rec.leftovers.push({ kind: 'post', id, error: fail('delete', err as Error) });
    }
    return false;
  };
  for (const [id, files] of toDelete) {
    if (await deletePost(id)) {
      rec.postsDeleted.push(id);
      for (const f of files) filesGone.add(f);
    }
  }
  // An upload that never made it into a post: attach it to a post of its own, then delete that post.
  for (const f of created.files) {
    if (filesGone.has(f)) continue;
    if (!channelId) { rec.leftovers.push({ kind: 'file', id: f, error: 'the smoke channel could not be looked up to attach it to a cleanup post' }); continue; }
    try {
      const res = await api('POST', '/api/v4/posts', { channel_id: channelId, message: `${marker} cleanup`, file_ids: [f] });
      if (!res.ok()) { rec.leftovers.push({ kind: 'file', id: f, error: fail('attach to a cleanup post', res) }); continue; }
      const p = (await res.json()) as { id: string };
      if (await deletePost(p.id)) { rec.postsDeleted.push(p.id); filesGone.add(f); }
    } catch (err) {
      rec.leftovers.push({ kind: 'file', id: f, error: fail('attach to a cleanup post', err as Error) });
    }
  }
  rec.filesDeleted.push(...filesGone);
  // Whatever still carries the run's marker was not cleaned up.
  for (const id of (await sweep())?.keys() ?? []) if (!rec.leftovers.some((l) => l.id === id)) rec.leftovers.push({ kind: 'post', id, error: 'still in the channel after cleanup' });
  // A session the journeys opened is closed; a personal access token's is the token itself, left alone.
  if (sessionToken !== input.token) {
    try {
      await api('POST', '/api/v4/users/logout');
    } catch {
      // The session expires on its own.
    }
  }
  return rec;
}

/**
 * Opens the web app's session from a personal access token with the cookies the server sets after
 * a login: `MMAUTHTOKEN` (HttpOnly) is the token, `MMUSERID` the user's id (asked with the token),
 * `MMCSRF` the session's CSRF token — empty for a token's session, so the web app sends none and
 * the server's check (header == session CSRF) holds (docs/browser-selectors.md, "Sessions without
 * a password form").
 */
export async function openTokenSession(context: BrowserContext, input: SmokeInputs, timeoutMs: number): Promise<void> {
  const token = input.token;
  if (!token) throw new Error('no personal access token for the smoke user (mattermost.smoke.token)');
  const res = await context.request.get(`${input.baseUrl}/api/v4/users/me`, {
    headers: { Authorization: `Bearer ${token}`, 'X-Requested-With': 'XMLHttpRequest' }, failOnStatusCode: false, timeout: timeoutMs,
  });
  if (!res.ok()) throw new Error(`the smoke user's personal access token was refused: GET /api/v4/users/me answered HTTP ${res.status()}`);
  const me = (await res.json()) as { id?: unknown; username?: unknown };
  if (typeof me.id !== 'string') throw new Error('GET /api/v4/users/me answered without a user id');
  if (typeof me.username === 'string' && me.username !== input.user) throw new Error(`the smoke token belongs to ${me.username}, not to the smoke user ${input.user}`);
  const url = `${input.baseUrl}/`;
  await context.addCookies([
    { name: SESSION_COOKIES.token, value: token, url, httpOnly: true, sameSite: 'Lax' },
    { name: SESSION_COOKIES.userId, value: me.id, url, sameSite: 'Lax' },
    { name: SESSION_COOKIES.csrf, value: '', url, sameSite: 'Lax' },
  ]);
}

/**
 * Logs in through the API as the web app's own client does (`X-Requested-With: XMLHttpRequest`,
 * so the server answers with its session cookies), for a login page that has no password form.
 */
export async function apiLogin(context: BrowserContext, input: SmokeInputs, timeoutMs: number): Promise<void> {
  const res = await context.request.post(`${input.baseUrl}/api/v4/users/login`, {
    headers: { 'X-Requested-With': 'XMLHttpRequest', 'Content-Type': 'application/json' },
    data: JSON.stringify({ login_id: input.user, password: input.password ?? '' }),
    failOnStatusCode: false, timeout: timeoutMs,
  });
  if (!res.ok()) {
    const id = ((await res.json().catch(() => ({}))) as { id?: string }).id;
    throw new Error(`the login page offers SSO only and the API refused the smoke user's password login (HTTP ${res.status()}${id ? ` ${id}` : ''}): give the smoke user a personal access token (mattermost.smoke.token)`);
  }
}

/** Whether the browser holds a session cookie for the web app. */
export async function hasSession(context: BrowserContext, input: SmokeInputs): Promise<boolean> {
  return (await context.cookies(input.baseUrl)).some((c) => c.name === MMAUTHTOKEN && c.value !== '');
}
