/**
 * The simulator's transport-free request/response shapes and the helpers every route uses.
 * Requests arrive as plain objects (from the front door or the Kubernetes simulator's pod proxy),
 * so nothing here depends on node:http.
 */

export interface SimRequest {
  readonly method: string;
  /** Path with its query string, e.g. `/api/v4/system/ping?get_server_status=true`. */
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
}

export interface SimResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/** Case-insensitive header lookup: Go canonicalises names, Node lower-cases them. */
export function header(req: Pick<SimRequest, 'headers'>, name: string): string | undefined {
  const want = name.toLowerCase();
  for (const [k, v] of Object.entries(req.headers)) if (k.toLowerCase() === want) return v;
  return undefined;
}

export function cookies(req: Pick<SimRequest, 'headers'>): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (header(req, 'cookie') ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) out.set(part.slice(0, eq).trim(), decodeURIComponent(part.slice(eq + 1).trim()));
  }
  return out;
}

/**
 * `model.AppError`: what the server answers for every API error. `detailed_error` stays empty as
 * on a server without `EnableDeveloper`; `request_id` is filled in by the dispatcher.
 */
export class AppError extends Error {
  constructor(
    readonly id: string,
    message: string,
    readonly status: number,
    readonly where = 'ServeHTTP',
    readonly detailed = '',
    /** Extra response headers (e.g. clearing the session cookie on a 401). */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const sessionExpired = (detail = ''): AppError =>
  new AppError('api.context.session_expired.app_error', 'Invalid or expired session, please login again.', 401, 'ServeHTTP', detail);

export const permissionError = (userId: string, permission: string): AppError =>
  new AppError('api.context.permissions.app_error', 'You do not have the appropriate permissions.', 403, 'Permissions', `userId=${userId}, permission=${permission}`);

/** `c.SetInvalidURLParam`: a missing or malformed id in the path. */
export const invalidUrlParam = (name: string): AppError =>
  new AppError('api.context.invalid_url_param.app_error', `Invalid or missing ${name} parameter in request URL.`, 400, 'Context');

/** `c.SetInvalidParam`: a missing or malformed value in the body or query. */
export const invalidParam = (name: string): AppError =>
  new AppError('api.context.invalid_body_param.app_error', `Invalid or missing ${name} in request body.`, 400, 'Context');

export const JSON_TYPE = 'application/json';

export function json(status: number, value: unknown, headers: Record<string, string> = {}): SimResponse {
  return { status, headers: { 'Content-Type': JSON_TYPE, ...headers }, body: Buffer.from(JSON.stringify(value)) };
}

export function text(status: number, body: string, contentType = 'text/plain; charset=utf-8', headers: Record<string, string> = {}): SimResponse {
  return { status, headers: { 'Content-Type': contentType, ...headers }, body: Buffer.from(body) };
}

/** Go's `encoding/json` writes map keys sorted; map-shaped answers (ping, client config) follow suit. */
export function sortedObject<T>(m: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(m).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Parses a JSON body; undefined when absent or malformed (handlers decide which error that is). */
export function jsonBody(req: SimRequest): unknown {
  if (req.body.length === 0) return undefined;
  try {
    return JSON.parse(req.body.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

export const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `model.MapFromJSON`: a string map; non-string values become "" as Go's decoder leaves them. */
export function stringMap(v: unknown): Record<string, string> {
  if (!isRecord(v)) return {};
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, typeof x === 'string' ? x : '']));
}
