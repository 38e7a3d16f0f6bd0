/**
 * Conformance of the Mattermost simulator to Mattermost's own OpenAPI spec (a contract nobody on
 * this team wrote). Every endpoint the simulator serves and the spec documents is called for
 * real, and the status, content type and body are checked against the spec's response for that
 * status. The spec is wrong in a few known places (the server wins); those are an explicit
 * allow-list below, each entry proven to be still needed, and anything else fails.
 *
 * Needs the reference spec at `<repo>/../shared/reference/mattermost-openapi/`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ajvModule from 'ajv';
import type { ValidateFunction } from 'ajv';
import { parse as parseYaml } from 'yaml';
import { MattermostWorld } from './world.js';
import type { PodResponse } from './world.js';
import { ADMIN, HOOK_ID, USER, sampleSpec } from './fixture.js';

const Ajv = ajvModule.default;
type AjvInstance = InstanceType<typeof Ajv>;

// dist/lab/mattermost/conformance.test.js → the repo root is the parent of dist/.
const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const SPEC_DIR = join(REPO_ROOT, '..', 'shared', 'reference', 'mattermost-openapi');
/** The bundle order of api/Makefile `build-v4`, limited to the tags the simulator serves. */
const FRAGMENTS = ['introduction', 'users', 'teams', 'channels', 'posts', 'files', 'system', 'webhooks', 'plugins', 'cluster', 'definitions'];

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type JsonObject = { [k: string]: Json };
const isObj = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

function loadBundle(): JsonObject {
  if (!existsSync(SPEC_DIR)) assert.fail(`the Mattermost OpenAPI reference is expected at ${SPEC_DIR} (shared/reference beside the repo); it is missing`);
  const text = FRAGMENTS.map((f) => readFileSync(join(SPEC_DIR, `${f}.yaml`), 'utf8')).join('\n');
  const doc: unknown = parseYaml(text, { maxAliasCount: -1 });
  assert.ok(isObj(doc), 'the bundled spec is not a YAML mapping');
  return doc;
}

/** Inlines every local `$ref`. A reference cycle becomes `{}` (anything): the spec has none on our paths. */
function resolveRefs(doc: JsonObject): JsonObject {
  const lookup = (ref: string): Json => {
    let node: Json = doc;
    for (const seg of ref.replace(/^#\//, '').split('/')) node = isObj(node) ? (node[seg.replace(/~1/g, '/').replace(/~0/g, '~')] ?? null) : null;
    if (node === null) assert.fail(`unresolvable $ref ${ref}`);
    return node;
  };
  const walk = (node: Json, stack: readonly string[]): Json => {
    if (Array.isArray(node)) return node.map((n) => walk(n, stack));
    if (!isObj(node)) return node;
    const ref = node.$ref;
    if (typeof ref === 'string') return stack.includes(ref) ? {} : walk(lookup(ref), [...stack, ref]);
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, walk(v, stack)]));
  };
  return walk(doc, []) as JsonObject;
}

/** OpenAPI 3.0 schema → JSON Schema for ajv: `nullable`, and no OpenAPI-only annotations. */
function toJsonSchema(node: Json): Json {
  if (Array.isArray(node)) return node.map(toJsonSchema);
  if (!isObj(node)) return node;
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === 'nullable' || k === 'example' || k === 'xml' || k === 'externalDocs' || k === 'discriminator' || k.startsWith('x-')) continue;
    // Under `properties` the keys are property names, not keywords: keep them all.
    out[k] = k === 'properties' && isObj(v) ? Object.fromEntries(Object.entries(v).map(([p, s]) => [p, toJsonSchema(s)])) : toJsonSchema(v);
  }
  if (node.nullable === true && typeof node.type === 'string') {
    out.type = [node.type, 'null'];
    if (Array.isArray(out.enum)) out.enum = [...out.enum, null];
  }
  return out;
}

function collectFormats(node: Json, into: Set<string>): Set<string> {
  if (Array.isArray(node)) node.forEach((n) => collectFormats(n, into));
  else if (isObj(node)) {
    if (typeof node.format === 'string') into.add(node.format);
    Object.values(node).forEach((n) => collectFormats(n, into));
  }
  return into;
}

// ------------------------------------------------------------------------------------------------
// The allow-list. Each entry names a place where the spec and the real server disagree, says why
// the server is right, and must be exercised by this run (a stale entry fails the test).
// ------------------------------------------------------------------------------------------------

type Allowance =
  /** The server answers `actual` where the spec documents another status (or none): validate as `as`. */
  | { kind: 'status'; method: string; path: string; actual: number; as: { status: string } | { schema: string } | { binary: true }; why: string }
  /** A component schema the server contradicts, replaced for validation. */
  | { kind: 'schema'; schema: string; pointer: readonly string[]; replacement: Json; why: string }
  /** A documented status whose body is not the documented schema: validate against `schema` instead. */
  | { kind: 'body'; method: string; path: string; status: number; schema: string; why: string }
  /** Spec prose the schema cannot express; `seen` must hold for some response of that operation. */
  | { kind: 'prose'; method: string; path: string; status: number; seen: (body: unknown) => boolean; why: string };

/** Known mismatches where the frozen 2023 spec (mattermost/mattermost-api-reference) lags the server, which wins; no others are allowed. */
const README_ALLOWED: readonly Allowance[] = [
  {
    kind: 'status',
    method: 'POST',
    path: '/api/v4/users/login',
    actual: 200,
    as: { status: '201' },
    why: 'login never calls WriteHeader, so it answers 200; the spec says 201',
  },
  {
    kind: 'prose',
    method: 'DELETE',
    path: '/api/v4/posts/{post_id}',
    status: 200,
    seen: (b) => isObj(b) && b.status === 'OK',
    why: 'StatusOK is {"status":"OK"} (model.StatusOk); the spec describes "ok"',
  },
  {
    kind: 'schema',
    schema: 'PluginStatus',
    pointer: ['properties', 'state'],
    replacement: { type: 'integer', enum: [0, 1, 2, 3, 4, 5] },
    why: 'PluginStatus.state is an int (plugin_status.go); the spec gives a number with a string enum',
  },
  {
    kind: 'prose',
    method: 'GET',
    path: '/api/v4/system/ping',
    status: 200,
    seen: (b) => isObj(b) && !('DesktopLatestVersion' in b) && !('DesktopMinVersion' in b),
    why: 'getSystemPing no longer sets DesktopLatestVersion/DesktopMinVersion that SystemStatusResponse lists',
  },
  {
    kind: 'body',
    method: 'GET',
    path: '/api/v4/system/ping',
    status: 500,
    schema: 'SystemStatusResponse',
    why: 'unhealthy without use_rest_semantics=true, ping answers 500 with its status map, not an AppError',
  },
];

/**
 * Mismatches found while building the simulator that the README does not list yet. Each is the
 * real server's behaviour, with its source; they are reported to the lead to add to the README.
 */
const NOT_YET_IN_README: readonly Allowance[] = [
  {
    kind: 'status',
    method: 'POST',
    path: '/api/v4/users/logout',
    actual: 200,
    as: { status: '201' },
    why: 'Logout ends in ReturnStatusOK (api4/user.go), a 200; the spec says 201, like login',
  },
  {
    kind: 'status',
    method: 'POST',
    path: '/api/v4/users/login',
    actual: 401,
    as: { schema: 'AppError' },
    why: 'failed logins are masked to 401 api.user.login.invalid_credentials_*; the spec lists only 201/400/403',
  },
  {
    kind: 'status',
    method: 'GET',
    path: '/api/v4/posts/{post_id}',
    actual: 404,
    as: { schema: 'AppError' },
    why: 'a missing or deleted post is 404 app.post.get.app_error (GetSinglePost); the spec lists no 404',
  },
  {
    kind: 'status',
    method: 'GET',
    path: '/api/v4/files/{file_id}',
    actual: 200,
    as: { binary: true },
    why: 'the spec documents only error statuses for GetFile; success is 200 with the bytes',
  },
];

const ALLOWED: readonly Allowance[] = [...README_ALLOWED, ...NOT_YET_IN_README];

/** Endpoints of the simulator the spec documents: the run must reach every one of them. */
const MUST_COVER = [
  'GET /api/v4/system/ping',
  'POST /api/v4/users/login',
  'POST /api/v4/users/logout',
  'GET /api/v4/users/{user_id}',
  'GET /api/v4/users/{user_id}/teams',
  'GET /api/v4/teams/name/{name}',
  'GET /api/v4/teams/{team_id}',
  'GET /api/v4/users/{user_id}/teams/{team_id}/channels',
  'GET /api/v4/teams/{team_id}/channels',
  'GET /api/v4/teams/name/{team_name}/channels/name/{channel_name}',
  'GET /api/v4/channels/{channel_id}',
  'POST /api/v4/posts',
  'GET /api/v4/posts/{post_id}',
  'DELETE /api/v4/posts/{post_id}',
  'GET /api/v4/posts/{post_id}/files/info',
  'GET /api/v4/channels/{channel_id}/posts',
  'POST /api/v4/files',
  'GET /api/v4/files/{file_id}',
  'GET /api/v4/files/{file_id}/info',
  'POST /api/v4/hooks/incoming',
  'GET /api/v4/hooks/incoming',
  'GET /api/v4/plugins',
  'GET /api/v4/plugins/statuses',
  'GET /api/v4/cluster/status',
  'GET /api/v4/config/client',
  'GET /api/v4/license/client',
  'GET /api/v4/config',
  'GET /api/v4/analytics/old',
];

// ------------------------------------------------------------------------------------------------

interface Operation {
  readonly template: string;
  readonly responses: JsonObject;
}

class Contract {
  private readonly paths: Array<{ template: string; re: RegExp; params: number; item: JsonObject }>;
  private readonly strict: AjvInstance;
  private readonly allowed: AjvInstance;
  private readonly cache = new Map<string, ValidateFunction>();
  readonly used = new Set<Allowance>();
  readonly covered = new Set<string>();

  constructor(readonly raw: JsonObject) {
    const strictDoc = resolveRefs(raw);
    // The allowed variant: the same document with the schema allowances patched in before refs are inlined.
    const patched = structuredClone(raw);
    for (const a of ALLOWED) {
      if (a.kind !== 'schema') continue;
      let node: Json = (patched.components as JsonObject).schemas as JsonObject;
      node = (node as JsonObject)[a.schema] ?? null;
      for (const seg of a.pointer.slice(0, -1)) node = isObj(node) ? (node[seg] ?? null) : null;
      const last = a.pointer[a.pointer.length - 1] ?? '';
      assert.ok(isObj(node) && last in node, `allowance for ${a.schema}/${a.pointer.join('/')} points nowhere`);
      node[last] = a.replacement;
    }
    const allowedDoc = resolveRefs(patched);
    const formats = collectFormats(raw, new Set());
    const mk = (): AjvInstance => {
      const ajv = new Ajv({ strict: false, allErrors: true });
      // OpenAPI formats (int64, binary, ...) are annotations here: register them as always valid.
      for (const f of formats) ajv.addFormat(f, true);
      return ajv;
    };
    this.strict = mk();
    this.allowed = mk();
    this.strictDoc = strictDoc;
    this.allowedDoc = allowedDoc;
    this.paths = Object.entries((strictDoc.paths ?? {}) as JsonObject).map(([template, item]) => ({
      template,
      re: new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{[^}]+\\?\}/g, '[^/]+')}$`),
      params: (template.match(/\{/g) ?? []).length,
      item: item as JsonObject,
    }));
  }

  private readonly strictDoc: JsonObject;
  private readonly allowedDoc: JsonObject;

  pathCount(): number {
    return this.paths.length;
  }

  schemaCount(): number {
    return Object.keys(((this.raw.components as JsonObject).schemas ?? {}) as JsonObject).length;
  }

  /** The documented operation for a concrete path, preferring literal segments over parameters. */
  operation(method: string, path: string): Operation {
    const candidates = this.paths.filter((p) => p.re.test(path) && isObj(p.item[method.toLowerCase()])).sort((a, b) => a.params - b.params);
    const hit = candidates[0];
    assert.ok(hit, `${method} ${path} is not documented in the spec`);
    const op = hit.item[method.toLowerCase()] as JsonObject;
    return { template: hit.template, responses: op.responses as JsonObject };
  }

  /** The component schema `name`, from the strict or the allowed document. */
  component(name: string, allowed: boolean): Json {
    const schemas = ((allowed ? this.allowedDoc : this.strictDoc).components as JsonObject).schemas as JsonObject;
    const s = schemas[name];
    assert.ok(s, `no component schema ${name}`);
    return s;
  }

  /** The documented response object of an operation in either document. */
  response(method: string, template: string, status: string, allowed: boolean): JsonObject | undefined {
    const item = ((allowed ? this.allowedDoc : this.strictDoc).paths as JsonObject)[template] as JsonObject;
    const r = ((item[method.toLowerCase()] as JsonObject).responses as JsonObject)[status];
    return isObj(r) ? r : undefined;
  }

  validator(schema: Json, allowed: boolean): ValidateFunction {
    const key = `${allowed}:${JSON.stringify(schema)}`;
    let v = this.cache.get(key);
    if (!v) {
      v = (allowed ? this.allowed : this.strict).compile(toJsonSchema(schema) as object);
      this.cache.set(key, v);
    }
    return v;
  }
}

const jsonSchemaOf = (resp: JsonObject | undefined): Json | undefined => {
  const content = resp?.content;
  return isObj(content) && isObj(content['application/json']) ? (content['application/json'].schema ?? undefined) : undefined;
};

/** What the server defines an AppError to be (the spec's AppError has no required fields). */
function isAppError(body: unknown, status: number): boolean {
  return isObj(body) && typeof body.id === 'string' && body.id !== '' && typeof body.message === 'string' && body.status_code === status;
}

interface Checked {
  status: number;
  body: unknown;
}

/**
 * Checks one response against the contract. Returns a problem description, or undefined when it
 * conforms, strictly or through allowances (which are then marked used).
 */
function judge(c: Contract, method: string, path: string, res: PodResponse): { problem?: string; body: unknown; template: string } {
  const op = c.operation(method, path);
  c.covered.add(`${method} ${op.template}`);
  const ct = res.headers['Content-Type'];
  let body: unknown = undefined;
  if (ct === 'application/json') body = JSON.parse(res.body.toString('utf8')) as unknown;

  const attempt = (allowed: boolean): string | undefined => {
    let statusKey = String(res.status);
    let resp = c.response(method, op.template, statusKey, allowed);
    let schema: Json | undefined;
    let binary = false;
    let usedHere: Allowance[] = [];
    if (!resp && allowed) {
      const a = ALLOWED.find((x) => x.kind === 'status' && x.method === method && x.path === op.template && x.actual === res.status);
      if (a && a.kind === 'status') {
        usedHere.push(a);
        if ('status' in a.as) {
          statusKey = a.as.status;
          resp = c.response(method, op.template, statusKey, allowed);
        } else if ('schema' in a.as) {
          schema = c.component(a.as.schema, true);
          resp = {};
        } else binary = true;
      }
    }
    if (!resp && !binary) return `${method} ${op.template} answered ${res.status}; the spec documents ${Object.keys(op.responses).join(', ')}`;
    schema ??= jsonSchemaOf(resp);
    if (binary) {
      if (!/^attachment;/.test(res.headers['Content-Disposition'] ?? '')) return `${method} ${op.template} ${res.status}: expected an attachment download`;
    } else if (schema !== undefined) {
      if (ct !== 'application/json') return `${method} ${op.template} ${res.status}: Content-Type ${String(ct)}, the spec documents application/json`;
      // A documented AppError must be a real one; otherwise a body allowance may name the right schema.
      const documentedAppError = JSON.stringify(schema) === JSON.stringify(c.component('AppError', allowed));
      if (documentedAppError && !isAppError(body, res.status)) {
        const a = allowed ? ALLOWED.find((x) => x.kind === 'body' && x.method === method && x.path === op.template && x.status === res.status) : undefined;
        if (!a || a.kind !== 'body') return `${method} ${op.template} ${res.status}: body is not an AppError: ${res.body.toString('utf8').slice(0, 200)}`;
        usedHere.push(a);
        schema = c.component(a.schema, true);
      }
      const v = c.validator(schema, allowed);
      if (!v(body)) return `${method} ${op.template} ${res.status}: ${JSON.stringify(v.errors?.slice(0, 5))}`;
      if (allowed) {
        // A schema allowance counts as used when the strict schema would have rejected this body.
        for (const a of ALLOWED) if (a.kind === 'schema' && !c.validator(jsonSchemaOf(c.response(method, op.template, statusKey, false)) ?? {}, false)(body)) usedHere.push(a);
      }
    }
    usedHere = [...new Set(usedHere)];
    for (const a of usedHere) c.used.add(a);
    return undefined;
  };

  const strictProblem = attempt(false);
  for (const a of ALLOWED) if (a.kind === 'prose' && a.method === method && a.path === op.template && a.status === res.status && a.seen(body)) c.used.add(a);
  if (strictProblem === undefined) return { body, template: op.template };
  const allowedProblem = attempt(true);
  return allowedProblem === undefined ? { body, template: op.template } : { problem: allowedProblem, body, template: op.template };
}

// ------------------------------------------------------------------------------------------------

const EMPTY = Buffer.alloc(0);

function multipart(fields: Array<[string, string] | [string, string, Buffer]>): { body: Buffer; type: string } {
  const boundary = '----mmgateConformance7MA4YWxkTrZu0gW';
  const chunks: Buffer[] = [];
  for (const f of fields) {
    const [name, value, data] = f;
    const disp = data ? `form-data; name="${name}"; filename="${value}"` : `form-data; name="${name}"`;
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: ${disp}\r\n${data ? 'Content-Type: text/plain\r\n' : ''}\r\n`), data ?? Buffer.from(value), Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), type: `multipart/form-data; boundary=${boundary}` };
}

test('the simulator conforms to the Mattermost OpenAPI spec, except for the allow-listed mismatches', async (t) => {
  const contract = new Contract(loadBundle());
  // The README states what this bundle holds; a different count means the fragments were mis-joined.
  assert.equal(contract.pathCount(), 207);
  assert.equal(contract.schemaCount(), 139);

  const problems: string[] = [];
  const bodies = new Map<string, unknown>();

  /** Sends a request to a pod of `world` and judges the answer against the contract. */
  const call = async (
    world: MattermostWorld,
    pod: string,
    method: string,
    path: string,
    o: { token?: string; json?: unknown; body?: Buffer; type?: string; expect: number; label?: string },
  ): Promise<Checked> => {
    const headers: Record<string, string> = {};
    if (o.token) headers.Authorization = `Bearer ${o.token}`;
    let body: Buffer = EMPTY;
    if (o.json !== undefined) {
      body = Buffer.from(JSON.stringify(o.json));
      headers['Content-Type'] = 'application/json';
    } else if (o.body) {
      body = o.body;
      if (o.type) headers['Content-Type'] = o.type;
    }
    const res = await world.handlePod(pod, 8065, { method, path, headers, body });
    assert.equal(res.status, o.expect, `${method} ${path}: status ${res.status}, body ${res.body.toString('utf8').slice(0, 300)}`);
    // Headers every response of the API handler carries (https://github.com/mattermost/mattermost/blob/master/server/channels/web/handlers.go).
    assert.match(res.headers['X-Version-Id'] ?? '', /^\d+\.\d+\.\d+\..+\.[0-9a-f]{32}\.(true|false)$/, `${method} ${path}: X-Version-Id`);
    assert.match(res.headers['X-Request-Id'] ?? '', /^[a-z0-9]{26}$/, `${method} ${path}: X-Request-Id`);
    const verdict = judge(contract, method, new URL(path, 'http://x').pathname, res);
    if (verdict.problem) problems.push(verdict.problem);
    // An AppError names the request it belongs to (a ping 500 carries its status map instead).
    if (isAppError(verdict.body, res.status)) assert.equal((verdict.body as JsonObject).request_id, res.headers['X-Request-Id'], `${method} ${path}: request_id`);
    if (o.label) bodies.set(o.label, verdict.body);
    return { status: res.status, body: verdict.body };
  };

  const world = new MattermostWorld(sampleSpec());
  const pod = 'mm-new-0';
  const oldPod = 'mm-old-0';

  await t.test('system', async () => {
    await call(world, pod, 'GET', '/api/v4/system/ping', { expect: 200 });
    await call(world, pod, 'GET', '/api/v4/system/ping?get_server_status=true', { expect: 200 });
    await call(world, pod, 'GET', '/api/v4/config/client?format=old', { expect: 200 });
    // Before v11 the format parameter is mandatory.
    await call(world, oldPod, 'GET', '/api/v4/config/client', { expect: 501 });
    await call(world, pod, 'GET', '/api/v4/license/client?format=old', { expect: 200 });
    await call(world, pod, 'GET', '/api/v4/license/client', { expect: 400 });
    const sick = new MattermostWorld(sampleSpec({ pods: { sick: { version: '10.11.2', health: { filestore: false } } } }));
    await call(sick, 'sick', 'GET', '/api/v4/system/ping?get_server_status=true', { expect: 500 });
    const rest = await call(sick, 'sick', 'GET', '/api/v4/system/ping?get_server_status=true&use_rest_semantics=true', { expect: 200 });
    assert.equal((rest.body as JsonObject).status, 'UNHEALTHY');
  });

  let adminToken = '';
  let userToken = '';
  await t.test('users', async () => {
    const login = async (username: string, password: string): Promise<string> => {
      const res = await world.handlePod(pod, 8065, { method: 'POST', path: '/api/v4/users/login', headers: { 'Content-Type': 'application/json' }, body: Buffer.from(JSON.stringify({ login_id: username, password })) });
      const v = judge(contract, 'POST', '/api/v4/users/login', res);
      if (v.problem) problems.push(v.problem);
      assert.equal(res.status, 200);
      return res.headers.Token ?? assert.fail('no Token header on login');
    };
    adminToken = await login(ADMIN.username, ADMIN.password);
    userToken = await login(USER.username, USER.password);
    await call(world, pod, 'POST', '/api/v4/users/login', { json: { login_id: USER.username, password: 'wrong' }, expect: 401 });
    await call(world, pod, 'GET', '/api/v4/users/me', { token: userToken, expect: 200 });
    await call(world, pod, 'GET', '/api/v4/users/me', { expect: 401 });
    await call(world, pod, 'GET', '/api/v4/users/me/teams', { token: userToken, expect: 200, label: 'teams' });
  });

  const team = (bodies.get('teams') as JsonObject[])[0] as JsonObject;
  const teamId = String(team.id);
  let channelId = '';
  await t.test('teams and channels', async () => {
    await call(world, pod, 'GET', '/api/v4/teams/name/ad-1', { token: userToken, expect: 200 });
    await call(world, pod, 'GET', '/api/v4/teams/name/nope', { token: userToken, expect: 404 });
    await call(world, pod, 'GET', `/api/v4/teams/${teamId}`, { token: userToken, expect: 200 });
    await call(world, pod, 'GET', `/api/v4/users/me/teams/${teamId}/channels`, { token: userToken, expect: 200 });
    await call(world, pod, 'GET', `/api/v4/teams/${teamId}/channels?page=0&per_page=60`, { token: userToken, expect: 200 });
    const ch = await call(world, pod, 'GET', '/api/v4/teams/name/ad-1/channels/name/smoke', { token: userToken, expect: 200 });
    channelId = String((ch.body as JsonObject).id);
    await call(world, pod, 'GET', '/api/v4/teams/name/ad-1/channels/name/nope', { token: userToken, expect: 404 });
    await call(world, pod, 'GET', `/api/v4/channels/${channelId}`, { token: userToken, expect: 200 });
  });

  await t.test('files and posts', async () => {
    const mp = multipart([
      ['channel_id', channelId],
      ['files', 'hello.txt', Buffer.from('hello world')],
      ['client_ids', 'c1'],
    ]);
    const up = await call(world, pod, 'POST', '/api/v4/files', { token: userToken, body: mp.body, type: mp.type, expect: 201 });
    const fileId = String(((up.body as JsonObject).file_infos as JsonObject[])[0]?.id);
    await call(world, pod, 'POST', `/api/v4/files?channel_id=${channelId}&filename=raw.bin`, { token: userToken, body: Buffer.from([1, 2, 3]), type: 'application/octet-stream', expect: 201 });
    const noIds = multipart([
      ['channel_id', channelId],
      ['files', 'a.txt', Buffer.from('a')],
      ['client_ids', 'x'],
      ['client_ids', 'y'],
    ]);
    await call(world, pod, 'POST', '/api/v4/files', { token: userToken, body: noIds.body, type: noIds.type, expect: 400 });
    await call(world, pod, 'GET', `/api/v4/files/${fileId}/info`, { token: userToken, expect: 200 });
    await call(world, pod, 'GET', `/api/v4/files/${fileId}`, { token: userToken, expect: 200 });
    await call(world, pod, 'GET', '/api/v4/files/aaaaaaaaaaaaaaaaaaaaaaaaaa', { token: userToken, expect: 404 });
    await call(world, pod, 'GET', '/api/v4/files/aaaaaaaaaaaaaaaaaaaaaaaaaa/info', { token: userToken, expect: 404 });

    const created = await call(world, pod, 'POST', '/api/v4/posts', { token: userToken, json: { channel_id: channelId, message: 'conformance', file_ids: [fileId] }, expect: 201 });
    const postId = String((created.body as JsonObject).id);
    await call(world, pod, 'POST', '/api/v4/posts', { json: { channel_id: channelId, message: 'x' }, expect: 401 });
    const outsider = await world.handlePod(pod, 8065, { method: 'POST', path: '/api/v4/users/login', headers: {}, body: Buffer.from(JSON.stringify({ login_id: 'outsider', password: 'Outsider-pass1' })) });
    await call(world, pod, 'POST', '/api/v4/posts', { token: outsider.headers.Token, json: { channel_id: channelId, message: 'x' }, expect: 403 });
    await call(world, pod, 'GET', `/api/v4/posts/${postId}`, { token: userToken, expect: 200 });
    await call(world, pod, 'GET', `/api/v4/posts/${postId}/files/info`, { token: userToken, expect: 200 });
    await call(world, pod, 'GET', `/api/v4/channels/${channelId}/posts`, { token: userToken, expect: 200 });
    await call(world, pod, 'DELETE', `/api/v4/posts/${postId}`, { token: userToken, expect: 200 });
    await call(world, pod, 'GET', `/api/v4/posts/${postId}`, { token: userToken, expect: 404 });
    const off = new MattermostWorld(sampleSpec({ behaviour: { uploadsDisabled: true } }));
    const offLogin = await off.handlePod(pod, 8065, { method: 'POST', path: '/api/v4/users/login', headers: {}, body: Buffer.from(JSON.stringify({ login_id: USER.username, password: USER.password })) });
    const offChannel = off.store.channelByName(off.store.teamByName('ad-1')?.id ?? '', 'smoke')?.id ?? '';
    const offMp = multipart([
      ['channel_id', offChannel],
      ['files', 'a.txt', Buffer.from('a')],
    ]);
    await call(off, pod, 'POST', '/api/v4/files', { token: offLogin.headers.Token, body: offMp.body, type: offMp.type, expect: 501 });
  });

  await t.test('webhooks, plugins, cluster', async () => {
    await call(world, pod, 'POST', '/api/v4/hooks/incoming', { token: adminToken, json: { channel_id: channelId, display_name: 'conformance' }, expect: 201 });
    await call(world, pod, 'POST', '/api/v4/hooks/incoming', { token: userToken, json: { channel_id: channelId }, expect: 403 });
    const hooks = await call(world, pod, 'GET', '/api/v4/hooks/incoming', { token: adminToken, expect: 200 });
    assert.ok((hooks.body as JsonObject[]).some((h) => h.id === HOOK_ID));
    await call(world, pod, 'GET', '/api/v4/plugins', { token: adminToken, expect: 200 });
    await call(world, pod, 'GET', '/api/v4/plugins', { token: userToken, expect: 403 });
    await call(world, pod, 'GET', '/api/v4/plugins/statuses', { token: adminToken, expect: 200 });
    await call(world, pod, 'GET', '/api/v4/plugins/statuses', { token: userToken, expect: 403 });
    await call(world, pod, 'GET', '/api/v4/cluster/status', { token: adminToken, expect: 200 });
    await call(world, pod, 'GET', '/api/v4/cluster/status', { token: userToken, expect: 403 });
    const config = await call(world, pod, 'GET', '/api/v4/config', { token: adminToken, expect: 200 });
    await call(world, pod, 'GET', '/api/v4/config', { token: userToken, expect: 403 });
    // Secret settings come sanitized, as Config.Sanitize leaves them (model.FakeSetting).
    assert.equal(((config.body as JsonObject).SqlSettings as JsonObject).DataSource, '********************************');
    const full = await call(world, pod, 'GET', '/api/v4/license/client?format=old', { token: adminToken, expect: 200 });
    assert.match(String((full.body as JsonObject).ExpiresAt), /^\d{13}$/, 'an admin gets the licence expiry');
    const sanitized = await call(world, pod, 'GET', '/api/v4/license/client?format=old', { token: userToken, expect: 200 });
    assert.equal((sanitized.body as JsonObject).ExpiresAt, undefined, 'a non-admin gets the sanitized licence');
    assert.equal((sanitized.body as JsonObject).Cluster, 'true');
    const unlicensed = new MattermostWorld(sampleSpec({ defaults: { licensed: false } }));
    const l = await unlicensed.handlePod(pod, 8065, { method: 'POST', path: '/api/v4/users/login', headers: {}, body: Buffer.from(JSON.stringify({ login_id: ADMIN.username, password: ADMIN.password })) });
    const none = await call(unlicensed, pod, 'GET', '/api/v4/cluster/status', { token: l.headers.Token, expect: 200 });
    assert.deepEqual(none.body, []);
    const rows = await call(world, pod, 'GET', '/api/v4/analytics/old?name=standard', { token: adminToken, expect: 200 });
    assert.ok((rows.body as JsonObject[]).some((r) => r.name === 'post_count'));
    await call(world, pod, 'GET', '/api/v4/analytics/old', { token: userToken, expect: 403 });
    await call(world, pod, 'POST', '/api/v4/users/logout', { token: userToken, expect: 200 });
  });

  await t.test('no mismatch outside the allow-list', () => {
    assert.deepEqual(problems, []);
  });

  await t.test('every documented endpoint of the simulator was exercised', () => {
    assert.deepEqual(
      MUST_COVER.filter((k) => !contract.covered.has(k)),
      [],
    );
  });

  await t.test('every allowance is still needed (no stale entries)', () => {
    assert.deepEqual(
      ALLOWED.filter((a) => !contract.used.has(a)).map((a) => a.why),
      [],
    );
  });
});

test('the contract check itself rejects what the spec forbids', () => {
  // Guards against a validator that accepts everything (e.g. schemas lost while inlining refs).
  const contract = new Contract(loadBundle());
  const res = (status: number, body: unknown): PodResponse => ({ status, headers: { 'Content-Type': 'application/json' }, body: Buffer.from(JSON.stringify(body)) });
  const post = { id: 'p', create_at: 'yesterday', message: 'm' };
  assert.match(judge(contract, 'GET', '/api/v4/posts/abc', res(200, post)).problem ?? '', /create_at/);
  assert.match(judge(contract, 'GET', '/api/v4/posts/abc', res(418, {})).problem ?? '', /answered 418/);
  assert.match(judge(contract, 'GET', '/api/v4/teams/name/x', res(404, { message: 'no id' })).problem ?? '', /not an AppError/);
  const wrongType: PodResponse = { status: 200, headers: { 'Content-Type': 'application/json; charset=utf-8' }, body: Buffer.from('{}') };
  assert.match(judge(contract, 'GET', '/api/v4/users/me', wrongType).problem ?? '', /Content-Type/);
  // Allowances are narrow: login's 200 is allowed, a 202 is not.
  assert.match(judge(contract, 'POST', '/api/v4/users/login', res(202, {})).problem ?? '', /answered 202/);
  assert.equal(judge(contract, 'GET', '/api/v4/plugins/statuses', res(200, [{ plugin_id: 'x', state: 2 }])).problem, undefined);
  assert.match(judge(contract, 'GET', '/api/v4/plugins/statuses', res(200, [{ plugin_id: 'x', state: 'Running' }])).problem ?? '', /state/);
});
