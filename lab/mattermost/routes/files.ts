/**
 * Files: upload (multipart with `channel_id`, `files` parts and optional `client_ids`, or the raw
 * body with `?channel_id=&filename=`), download as an attachment, and file info.
 */
import { AppError, header, invalidParam, invalidUrlParam, json, permissionError } from '../http.js';
import type { SimResponse } from '../http.js';
import { fileInfoJson } from '../model.js';
import type { FileRec, UserRec } from '../model.js';
import { boundaryOf, parseMultipart } from '../multipart.js';
import type { Route, RouteContext } from '../router.js';
import { requireIdParam, requireUser } from '../router.js';
import { MAX_FILE_SIZE } from './system.js';

const fileNotFound = (): AppError => new AppError('app.file_info.get.app_error', 'Unable to get the file info.', 404, 'GetFileInfo');

function checkChannel(ctx: RouteContext, user: UserRec, channelId: string): void {
  const channel = ctx.store.channels.get(channelId);
  if (!channel || !ctx.store.canReadChannel(user, channel)) throw permissionError(user.id, 'upload_file');
}

function tooLarge(name: string): AppError {
  return new AppError('api.file.upload_file.large_file.app_error', `Unable to upload file. File is too large. File: ${name}`, 413, 'uploadFileStream');
}

function uploadFile(ctx: RouteContext): SimResponse {
  const user = requireUser(ctx);
  if (ctx.world.behaviour.uploadsDisabled) throw new AppError('api.file.attachments.disabled.app_error', 'File attachments have been disabled on this server.', 501, 'uploadFileStream');
  const now = ctx.now.getTime();
  const boundary = boundaryOf(header(ctx.req, 'content-type'));
  if (boundary === undefined) {
    // `uploadFileSimple`: the body is the file; channel and name come from the query.
    const q = ctx.url.searchParams;
    const channelId = q.get('channel_id') ?? '';
    const filename = q.get('filename') ?? '';
    if (channelId === '') throw invalidUrlParam('channel_id');
    if (filename === '') throw invalidUrlParam('filename');
    checkChannel(ctx, user, channelId);
    if (ctx.req.body.length > MAX_FILE_SIZE) throw tooLarge(filename);
    const info = ctx.store.createFile({ userId: user.id, channelId, name: filename, data: ctx.req.body }, now);
    const clientId = q.get('client_id');
    return json(201, { file_infos: [fileInfoJson(info)], client_ids: clientId ? [clientId] : [] });
  }
  const parts = parseMultipart(ctx.req.body, boundary);
  if (!parts) throw new AppError('api.file.upload_file.read_request.app_error', 'Unable to upload file(s). Error reading or parsing request data.', 400, 'uploadFileMultipart');
  const channelId = parts.find((p) => p.name === 'channel_id' && p.filename === undefined)?.data.toString('utf8') ?? ctx.url.searchParams.get('channel_id') ?? '';
  if (channelId === '') throw invalidParam('channel_id');
  checkChannel(ctx, user, channelId);
  const files = parts.filter((p) => p.name === 'files' && p.filename !== undefined);
  if (files.length === 0) throw new AppError('api.file.upload_file.incorrect_number_of_files.app_error', 'Unable to upload files. Incorrect number of files specified.', 400, 'uploadFileMultipart');
  const clientIds = parts.filter((p) => p.name === 'client_ids').map((p) => p.data.toString('utf8'));
  if (clientIds.length > 0 && clientIds.length !== files.length)
    throw new AppError(
      'api.file.upload_file.incorrect_number_of_client_ids.app_error',
      `Unable to upload file(s). Have ${clientIds.length} client_ids for ${files.length} files.`,
      400,
      'uploadFileMultipart',
    );
  for (const f of files) if (f.data.length > MAX_FILE_SIZE) throw tooLarge(f.filename ?? '');
  const infos: FileRec[] = files.map((f) => ctx.store.createFile({ userId: user.id, channelId, name: f.filename ?? 'file', data: f.data }, now));
  return json(201, { file_infos: infos.map(fileInfoJson), client_ids: clientIds });
}

/** The uploader, or anyone who can read the channel; deleted files are gone. */
function readableFile(ctx: RouteContext): FileRec {
  const user = requireUser(ctx);
  const id = requireIdParam(ctx, 'file_id');
  const f = ctx.store.files.get(id);
  if (!f || f.deleteAt !== 0) throw fileNotFound();
  const channel = ctx.store.channels.get(f.channelId);
  if (f.userId !== user.id && (!channel || !ctx.store.canReadChannel(user, channel))) throw permissionError(user.id, 'read_channel');
  return f;
}

/** `writeFileResponse` with forceDownload: bytes as an attachment, never cached, never framed. */
function getFile(ctx: RouteContext): SimResponse {
  const f = readableFile(ctx);
  let data = f.data;
  if (ctx.world.behaviour.corruptDownloads) {
    // Flip the first byte (or add one to an empty file) so checksums differ but sizes stay plausible.
    data = Buffer.from(f.data.length > 0 ? f.data : Buffer.alloc(1));
    data[0] = (data[0] ?? 0) ^ 0xff;
  }
  const name = encodeURIComponent(f.name);
  return {
    status: 200,
    headers: {
      'Cache-Control': 'private, no-cache',
      'X-Content-Type-Options': 'nosniff',
      'Content-Length': String(data.length),
      'Content-Type': f.mimeType === '' ? 'application/octet-stream' : f.mimeType.startsWith('text/html') ? 'text/plain' : f.mimeType,
      'Content-Disposition': `attachment;filename="${name}"; filename*=UTF-8''${name}`,
      'X-Frame-Options': 'DENY',
      'Content-Security-Policy': "Frame-ancestors 'none'",
      'Last-Modified': new Date(f.updateAt).toUTCString(),
      'Accept-Ranges': 'bytes',
    },
    body: data,
  };
}

function getFileInfo(ctx: RouteContext) {
  return json(200, fileInfoJson(readableFile(ctx)), { 'Cache-Control': 'max-age=2592000, private' });
}

export const fileRoutes: Route[] = [
  { method: 'POST', path: '/api/v4/files', handler: 'uploadFileStream', kind: 'api', session: true, run: uploadFile },
  { method: 'GET', path: '/api/v4/files/{file_id}', handler: 'getFile', kind: 'api', session: true, trustRequester: true, run: getFile },
  { method: 'GET', path: '/api/v4/files/{file_id}/info', handler: 'getFileInfo', kind: 'api', session: true, run: getFileInfo },
];
