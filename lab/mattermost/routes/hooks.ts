/**
 * Incoming webhooks: create and list them under /api/v4, and the root-router `POST /hooks/{id}`
 * (no auth; JSON, `payload=` form or multipart) that posts as the hook's owner and answers
 * `ok` as text/plain.
 */
import { AppError, header, isRecord, json, jsonBody, text } from '../http.js';
import { hookJson, isValidId } from '../model.js';
import { boundaryOf, parseMultipart } from '../multipart.js';
import type { Route, RouteContext } from '../router.js';
import { requireAdmin } from '../router.js';

const disabled = (where: string, id: string): AppError => new AppError(id, 'Incoming webhooks have been disabled by the system admin.', 501, where);

function createIncomingHook(ctx: RouteContext) {
  if (!ctx.world.behaviour.enableIncomingWebhooks) throw disabled('createIncomingHook', 'api.incoming_webhook.disabled.app_error');
  const user = requireAdmin(ctx, 'manage_incoming_webhooks');
  const body = jsonBody(ctx.req);
  if (!isRecord(body)) throw new AppError('api.context.invalid_body_param.app_error', 'Invalid or missing incoming_webhook in request body.', 400, 'createIncomingHook');
  const channel = typeof body.channel_id === 'string' ? ctx.store.channels.get(body.channel_id) : undefined;
  if (!channel) throw new AppError('api.incoming_webhook.invalid_channel.app_error', 'Invalid channel.', 400, 'createIncomingHook');
  const str = (k: string): string => (typeof body[k] === 'string' ? (body[k] as string) : '');
  const hook = ctx.store.addHook(
    { channelId: channel.id, teamId: channel.teamId, userId: user.id, displayName: str('display_name'), description: str('description'), username: str('username'), iconUrl: str('icon_url') },
    ctx.now.getTime(),
  );
  return json(201, hookJson(hook));
}

function getIncomingHooks(ctx: RouteContext) {
  requireAdmin(ctx, 'manage_incoming_webhooks');
  const teamId = ctx.url.searchParams.get('team_id');
  const page = Math.max(0, Number.parseInt(ctx.url.searchParams.get('page') ?? '0', 10) || 0);
  const perPage = Math.min(200, Math.max(1, Number.parseInt(ctx.url.searchParams.get('per_page') ?? '60', 10) || 60));
  const hooks = [...ctx.store.hooks.values()].filter((h) => !teamId || h.teamId === teamId).sort((a, b) => a.createAt - b.createAt);
  return json(200, hooks.slice(page * perPage, (page + 1) * perPage).map(hookJson));
}

/** Decodes the three payload forms the server accepts. */
function webhookPayload(ctx: RouteContext): Record<string, unknown> | undefined {
  const type = (header(ctx.req, 'content-type') ?? '').split(';')[0]?.trim().toLowerCase();
  if (type === 'application/x-www-form-urlencoded') {
    const payload = new URLSearchParams(ctx.req.body.toString('utf8')).get('payload') ?? '';
    try {
      const v: unknown = JSON.parse(payload);
      return isRecord(v) ? v : undefined;
    } catch {
      return undefined;
    }
  }
  const boundary = boundaryOf(header(ctx.req, 'content-type'));
  if (boundary !== undefined) {
    const parts = parseMultipart(ctx.req.body, boundary);
    return parts ? Object.fromEntries(parts.filter((p) => p.filename === undefined).map((p) => [p.name, p.data.toString('utf8')])) : undefined;
  }
  const v = jsonBody(ctx.req);
  return isRecord(v) ? v : undefined;
}

/** `incomingWebhook` (web/webhook.go) + `HandleIncomingWebhook`. */
function incomingWebhook(ctx: RouteContext) {
  if (!ctx.world.behaviour.enableIncomingWebhooks) throw disabled('incomingWebhook', 'web.incoming_webhook.disabled.app_error');
  const id = ctx.params.id ?? '';
  const hook = isValidId(id) ? ctx.store.hooks.get(id) : undefined;
  if (!hook) throw new AppError('web.incoming_webhook.invalid.app_error', 'Invalid webhook.', 400, 'HandleIncomingWebhook', `hook_id=${id}`);
  const payload = webhookPayload(ctx);
  if (!payload) throw new AppError('api.webhook.incoming.decode.app_error', 'Unable to decode the incoming webhook payload.', 400, 'incomingWebhook');
  const message = typeof payload.text === 'string' ? payload.text : '';
  if (message === '' && !Array.isArray(payload.attachments)) throw new AppError('web.incoming_webhook.text.app_error', 'No text specified.', 400, 'HandleIncomingWebhook');
  let channelId = hook.channelId;
  if (typeof payload.channel === 'string' && payload.channel !== '') {
    const target = ctx.store.channelByName(hook.teamId, payload.channel.replace(/^#/, ''));
    if (!target) throw new AppError('web.incoming_webhook.channel.app_error', 'Couldn\u2019t find the channel.', 404, 'HandleIncomingWebhook');
    channelId = target.id;
  }
  const props: Record<string, unknown> = { from_webhook: 'true' };
  if (typeof payload.username === 'string' && payload.username !== '') props.override_username = payload.username;
  if (Array.isArray(payload.attachments)) props.attachments = payload.attachments;
  ctx.store.createPost({ channelId, userId: hook.userId, message, props }, ctx.now.getTime());
  ctx.pod.metrics.posts += 1;
  ctx.pod.metrics.postWebhooks += 1;
  return text(200, 'ok', 'text/plain');
}

export const hookRoutes: Route[] = [
  { method: 'POST', path: '/api/v4/hooks/incoming', handler: 'createIncomingHook', kind: 'api', session: true, run: createIncomingHook },
  { method: 'GET', path: '/api/v4/hooks/incoming', handler: 'getIncomingHooks', kind: 'api', session: true, run: getIncomingHooks },
  // On the root router, not under /api/v4; `APIHandlerTrustRequester`, so no CSRF check.
  { method: 'POST', path: '/hooks/{id}', handler: 'incomingWebhook', kind: 'hook', trustRequester: true, run: incomingWebhook },
];
