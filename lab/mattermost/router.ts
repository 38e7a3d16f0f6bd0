/**
 * The route table shape shared by the per-endpoint modules, and the context a handler receives.
 * Routes carry the flags of Mattermost's handler wrappers (`APIHandler`, `APISessionRequired`,
 * `APIHandlerTrustRequester`) because the dispatcher applies the same auth and CSRF rules.
 */
import type { SimRequest, SimResponse } from './http.js';
import { AppError, invalidUrlParam, permissionError, sessionExpired } from './http.js';
import type { UserRec, SessionRec } from './model.js';
import { isValidId } from './model.js';
import type { PodServer } from './pod.js';
import type { BehaviourSpec } from './spec.js';
import { isSystemAdmin } from './store.js';
import type { Store } from './store.js';

/** What handlers may know about the installation beyond their own pod. */
export interface WorldView {
  readonly siteName: string;
  /** The installation's licence (a pod with `licensed: false` has none). */
  readonly license: ResolvedLicense;
  readonly behaviour: Readonly<Required<BehaviourSpec>>;
  readonly store: Store;
  pods(): readonly PodServer[];
}

export interface ResolvedLicense { readonly sku: string; readonly users: number; readonly cluster: boolean; readonly metrics: boolean; readonly expiresAt: number; readonly issuedAt: number }

export interface RouteContext {
  readonly world: WorldView;
  readonly store: Store;
  readonly pod: PodServer;
  readonly req: SimRequest;
  readonly url: URL;
  readonly params: Readonly<Record<string, string>>;
  readonly requestId: string;
  readonly session: SessionRec | undefined;
  /** The session's user; set whenever `session` is. */
  readonly user: UserRec | undefined;
  readonly now: Date;
  log(level: string, msg: string, caller: string, fields?: ReadonlyArray<readonly [string, unknown]>): void;
}

export type RouteKind = 'api' | 'hook' | 'web';

export interface Route {
  readonly method: string;
  /** Template with `{param}` segments, e.g. `/api/v4/posts/{post_id}`. */
  readonly path: string;
  /** Mattermost's handler function name: the `handler` label of `mattermost_api_time`. */
  readonly handler: string;
  readonly kind: RouteKind;
  /** `APISessionRequired`: 401 without a valid session. */
  readonly session?: boolean;
  /** `...TrustRequester`: exempt from the cookie CSRF check. */
  readonly trustRequester?: boolean;
  run(ctx: RouteContext): SimResponse | Promise<SimResponse>;
}

export interface RouteMatch {
  readonly route: Route;
  readonly params: Record<string, string>;
}

function matchTemplate(template: string, path: string): Record<string, string> | undefined {
  const t = template.split('/');
  const p = path.split('/');
  if (t.length !== p.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < t.length; i++) {
    const seg = t[i] ?? '';
    const val = p[i] ?? '';
    if (seg.startsWith('{') && seg.endsWith('}')) {
      if (val === '') return undefined;
      params[seg.slice(1, -1)] = decodeURIComponent(val);
    } else if (seg !== val) return undefined;
  }
  return params;
}

/** Fewer `{param}` segments first, so `/api/v4/users/login` wins over `/api/v4/users/{user_id}`. */
const specificity = (r: Route): number => (r.path.match(/\{/g) ?? []).length;

/**
 * Finds the route for a request. `methodMismatch` tells the caller the path exists under another
 * method (gorilla/mux answers 405 then, not 404).
 */
export function matchRoute(routes: readonly Route[], method: string, path: string): RouteMatch | { methodMismatch: boolean } {
  let mismatch = false;
  for (const route of [...routes].sort((a, b) => specificity(a) - specificity(b))) {
    const params = matchTemplate(route.path, path);
    if (!params) continue;
    if (route.method === method) return { route, params };
    mismatch = true;
  }
  return { methodMismatch: mismatch };
}

// ---- helpers shared by route modules

export function requireUser(ctx: RouteContext): UserRec {
  // The dispatcher already answered 401 for session routes; this guards misuse of a route flag.
  if (!ctx.user) throw sessionExpired();
  return ctx.user;
}

/** `c.RequireXxxId()`: ids in the path must be well-formed before anything is looked up. */
export function requireIdParam(ctx: RouteContext, name: string): string {
  const v = ctx.params[name];
  if (!isValidId(v)) throw invalidUrlParam(name);
  return v;
}

/** Admin-only permissions (`manage_system`, `sysconsole_read_*`, `manage_incoming_webhooks`...). */
export function requireAdmin(ctx: RouteContext, permission: string): UserRec {
  const user = requireUser(ctx);
  if (!isSystemAdmin(user)) throw permissionError(user.id, permission);
  return user;
}

/** `me` or the session user's own id; anybody else needs an admin (`edit_other_users`). */
export function resolveUserParam(ctx: RouteContext, name = 'user_id'): UserRec {
  const user = requireUser(ctx);
  const raw = ctx.params[name];
  if (raw === 'me' || raw === user.id) return user;
  if (!isValidId(raw)) throw invalidUrlParam(name);
  if (!isSystemAdmin(user)) throw permissionError(user.id, 'edit_other_users');
  const other = ctx.store.users.get(raw);
  if (!other) throw new AppError('app.user.missing_account.const', 'Unable to find the user.', 404, 'GetUser');
  return other;
}
