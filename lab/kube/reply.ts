/**
 * A buffered answer. Handlers return one instead of writing to the socket, so the request log
 * and fault injection (a malformed body is the real body cut short) see every answer the same way.
 */
import type { StatusBody } from './status.js';

export interface Reply {
  status: number;
  contentType: string;
  body: string | Buffer;
  headers?: Record<string, string>;
}

export function jsonReply(status: number, body: unknown, contentType = 'application/json'): Reply {
  return { status, contentType, body: JSON.stringify(body) };
}

export const statusReply = (s: StatusBody): Reply => jsonReply(s.code, s);

/** The Go http.NotFound answer the real server gives for paths outside any API group. */
export const pageNotFound = (): Reply => ({ status: 404, contentType: 'text/plain; charset=utf-8', body: '404 page not found\n' });

export function truncated(reply: Reply): Reply {
  const body = Buffer.from(reply.body);
  return { ...reply, status: 200, body: body.subarray(0, Math.max(1, Math.floor(body.length / 2))) };
}
