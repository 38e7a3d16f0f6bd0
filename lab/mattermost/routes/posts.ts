/**
 * Posts: create (201), read, soft delete (`{"status":"OK"}`), a post's file infos, and a
 * channel's recent posts (so a smoke test can find and remove what a webhook posted).
 */
import { AppError, invalidParam, isRecord, json, jsonBody, permissionError } from '../http.js';
import { fileInfoJson, postJson } from '../model.js';
import type { PostRec } from '../model.js';
import type { Route, RouteContext } from '../router.js';
import { requireIdParam, requireUser } from '../router.js';
import { isSystemAdmin } from '../store.js';

/** `GetSinglePost` on a missing or deleted post. */
const postNotFound = (): AppError => new AppError('app.post.get.app_error', 'Unable to get the post.', 404, 'GetSinglePost');

function createPost(ctx: RouteContext) {
  const user = requireUser(ctx);
  const body = jsonBody(ctx.req);
  if (!isRecord(body)) throw invalidParam('post');
  const channelId = typeof body.channel_id === 'string' ? body.channel_id : '';
  const channel = ctx.store.channels.get(channelId);
  if (!channel || !ctx.store.canReadChannel(user, channel)) throw permissionError(user.id, 'create_post');
  const fileIds = Array.isArray(body.file_ids) ? body.file_ids.filter((x): x is string => typeof x === 'string') : [];
  const post = ctx.store.createPost(
    {
      channelId,
      userId: user.id,
      message: typeof body.message === 'string' ? body.message : '',
      rootId: typeof body.root_id === 'string' ? body.root_id : '',
      props: isRecord(body.props) ? body.props : {},
      fileIds,
    },
    ctx.now.getTime(),
  );
  ctx.pod.metrics.posts += 1;
  ctx.pod.metrics.postFileAttachments += post.fileIds.length;
  return json(201, postJson(post, ctx.store.filesOfPost(post)));
}

/** Finds a post the caller may read; a deleted one only with `include_deleted` and manage_system. */
function readablePost(ctx: RouteContext, allowDeleted: boolean): PostRec {
  const user = requireUser(ctx);
  const id = requireIdParam(ctx, 'post_id');
  const includeDeleted = ctx.url.searchParams.get('include_deleted') === 'true';
  if (includeDeleted && !isSystemAdmin(user)) throw permissionError(user.id, 'manage_system');
  const post = ctx.store.posts.get(id);
  if (!post || (post.deleteAt !== 0 && !includeDeleted && !allowDeleted)) throw postNotFound();
  const channel = ctx.store.channels.get(post.channelId);
  if (!channel || !ctx.store.canReadChannel(user, channel)) throw permissionError(user.id, 'read_channel');
  return post;
}

function getPost(ctx: RouteContext) {
  const post = readablePost(ctx, false);
  return json(200, postJson(post, ctx.store.filesOfPost(post)));
}

/** Own posts, or anybody's with delete_others_posts (admins). */
function deletePost(ctx: RouteContext) {
  const user = requireUser(ctx);
  const post = readablePost(ctx, false);
  if (post.userId !== user.id && !isSystemAdmin(user)) throw permissionError(user.id, 'delete_others_posts');
  ctx.store.deletePost(post, ctx.now.getTime());
  return json(200, { status: 'OK' });
}

/** The infos of the files attached to a post; a deleted post's files are deleted too, so `[]`. */
function getFileInfosForPost(ctx: RouteContext) {
  const post = readablePost(ctx, true);
  return json(200, ctx.store.filesOfPost(post).map(fileInfoJson));
}

/** `getPostsForChannel`: a PostList, newest first, paged (default 60). */
function getPostsForChannel(ctx: RouteContext) {
  const user = requireUser(ctx);
  const id = requireIdParam(ctx, 'channel_id');
  const channel = ctx.store.channels.get(id);
  if (!channel || !ctx.store.canReadChannel(user, channel)) throw permissionError(user.id, 'read_channel');
  const page = Math.max(0, Number.parseInt(ctx.url.searchParams.get('page') ?? '0', 10) || 0);
  const perPage = Math.min(200, Math.max(1, Number.parseInt(ctx.url.searchParams.get('per_page') ?? '60', 10) || 60));
  const all = [...ctx.store.posts.values()].filter((p) => p.channelId === id && p.deleteAt === 0).sort((a, b) => b.createAt - a.createAt);
  const slice = all.slice(page * perPage, (page + 1) * perPage);
  return json(200, {
    order: slice.map((p) => p.id),
    posts: Object.fromEntries(slice.map((p) => [p.id, postJson(p, ctx.store.filesOfPost(p))])),
    next_post_id: '',
    prev_post_id: '',
    has_next: all.length > (page + 1) * perPage,
  });
}

export const postRoutes: Route[] = [
  { method: 'POST', path: '/api/v4/posts', handler: 'createPost', kind: 'api', session: true, run: createPost },
  { method: 'GET', path: '/api/v4/posts/{post_id}', handler: 'getPost', kind: 'api', session: true, run: getPost },
  { method: 'DELETE', path: '/api/v4/posts/{post_id}', handler: 'deletePost', kind: 'api', session: true, run: deletePost },
  { method: 'GET', path: '/api/v4/posts/{post_id}/files/info', handler: 'getFileInfosForPost', kind: 'api', session: true, run: getFileInfosForPost },
  { method: 'GET', path: '/api/v4/channels/{channel_id}/posts', handler: 'getPostsForChannel', kind: 'api', session: true, run: getPostsForChannel },
];
