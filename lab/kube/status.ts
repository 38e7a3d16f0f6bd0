/**
 * metav1.Status error bodies, shaped as k8s.io/apimachinery/pkg/api/errors builds them. Clients
 * parse these (kubectl prints `Error from server (NotFound): …`; client-node's Metrics reads
 * `code`/`message`), so errors are never plain text except where the real server sends text.
 */

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  causes?: { reason?: string; message?: string; field?: string }[];
  retryAfterSeconds?: number;
}

export interface StatusBody {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure';
  message: string;
  reason: string;
  details?: StatusDetails;
  code: number;
}

export function status(code: number, reason: string, message: string, details?: StatusDetails): StatusBody {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, ...(details ? { details } : {}), code };
}

/** errors.NewNotFound: `deployments.apps "x" not found`, details.kind is the plural resource. */
export function notFound(group: string, plural: string, name: string): StatusBody {
  const qualified = group ? `${plural}.${group}` : plural;
  return status(404, 'NotFound', `${qualified} "${name}" not found`, { name, ...(group ? { group } : {}), kind: plural });
}

export const unknownPath = (): StatusBody => status(404, 'NotFound', 'the server could not find the requested resource', {});
export const badRequest = (message: string): StatusBody => status(400, 'BadRequest', message);
export const unauthorized = (): StatusBody => status(401, 'Unauthorized', 'Unauthorized');
export const methodNotAllowed = (): StatusBody =>
  status(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource', {});
export const notAcceptable = (): StatusBody =>
  status(406, 'NotAcceptable', 'only the following media types are accepted: application/json, application/yaml, application/vnd.kubernetes.protobuf');
export const serviceUnavailable = (message: string): StatusBody => status(503, 'ServiceUnavailable', message);

/** The 410 a list answers when its continue token is too old (errors.NewResourceExpired). */
export const continueExpired = (): StatusBody =>
  status(
    410,
    'Expired',
    'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.',
  );

/** A Status for an arbitrary injected status code, with the reason the API server pairs with it. */
export function statusForCode(code: number): StatusBody {
  const known: Record<number, [string, string]> = {
    400: ['BadRequest', 'the server rejected our request for an unknown reason'],
    401: ['Unauthorized', 'Unauthorized'],
    403: ['Forbidden', 'forbidden: the lab refused this request'],
    404: ['NotFound', 'the server could not find the requested resource'],
    409: ['Conflict', 'the server reported a conflict'],
    410: ['Expired', 'the resource version is too old'],
    429: ['TooManyRequests', 'the server has received too many requests and has asked us to try again later'],
    500: ['InternalError', 'an error on the server ("injected fault") has prevented the request from succeeding'],
    503: ['ServiceUnavailable', 'the server is currently unable to handle the request'],
    504: ['Timeout', 'the server was unable to return a response in the time allotted, but may still be processing the request'],
  };
  const [reason, message] = known[code] ?? ['', `the server responded with the status code ${code} but did not return more information`];
  return status(code, reason, message);
}
