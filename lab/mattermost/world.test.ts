/**
 * Per-pod behaviour of the simulated installation: what an upgrade gate must be able to observe
 * pod by pod (versions, health, plugins, readiness, logs, metrics), the auth rules browsers
 * depend on, and the leftover bookkeeping smoke tests are judged by.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startFrontDoor } from './front-door.js';
import { ADMIN, PAT, USER, sampleSpec } from './fixture.js';
import { parseMattermostYaml } from './spec.js';
import { MattermostWorld } from './world.js';
import type { PodResponse } from './world.js';

const T0 = new Date('2025-06-01T12:00:00.000Z');

/** A world on a hand-driven clock, so log filtering by time is deterministic. */
function clockedWorld(spec = sampleSpec()): { world: MattermostWorld; advance(ms: number): void } {
  let now = T0.getTime();
  const world = new MattermostWorld(spec, { now: () => new Date(now) });
  return { world, advance: (ms) => void (now += ms) };
}

async function call(
  world: MattermostWorld,
  pod: string,
  method: string,
  path: string,
  o: { headers?: Record<string, string>; json?: unknown; body?: Buffer; port?: number } = {},
): Promise<PodResponse & { json: () => unknown }> {
  const body = o.json !== undefined ? Buffer.from(JSON.stringify(o.json)) : (o.body ?? Buffer.alloc(0));
  const headers = { ...(o.json !== undefined ? { 'content-type': 'application/json' } : {}), ...o.headers };
  const res = await world.handlePod(pod, o.port ?? 8065, { method, path, headers, body });
  return { ...res, json: () => JSON.parse(res.body.toString('utf8')) as unknown };
}

async function login(world: MattermostWorld, pod: string, who: { username: string; password: string }): Promise<string> {
  const res = await call(world, pod, 'POST', '/api/v4/users/login', { json: { login_id: who.username, password: who.password } });
  assert.equal(res.status, 200);
  return res.headers.Token ?? assert.fail('no Token header');
}

const bearer = (token: string): Record<string, string> => ({ Authorization: `Bearer ${token}` });

test('each pod reports its own version, build and licence in X-Version-Id and cluster status', async () => {
  const { world } = clockedWorld(sampleSpec({ pods: { a: { version: '10.11.2' }, b: { version: '11.7.0', buildNumber: '11.7.0-rc2' }, c: { version: '11.7.0', licensed: false } } }));
  const ids = await Promise.all(['a', 'b', 'c'].map(async (p) => (await call(world, p, 'GET', '/api/v4/system/ping')).headers['X-Version-Id']));
  assert.match(ids[0] ?? '', /^10\.11\.2\.10\.11\.2\.[0-9a-f]{32}\.true$/);
  assert.match(ids[1] ?? '', /^11\.7\.0\.11\.7\.0-rc2\.[0-9a-f]{32}\.true$/);
  assert.match(ids[2] ?? '', /^11\.7\.0\.11\.7\.0\.[0-9a-f]{32}\.false$/);
  const token = await login(world, 'a', ADMIN);
  const cluster = (await call(world, 'a', 'GET', '/api/v4/cluster/status', { headers: bearer(token) })).json() as Array<{ version: string; hostname: string; schema_version: string }>;
  // The unlicensed pod has no cluster membership; the other two show their own version and schema.
  assert.deepEqual(
    cluster.map((n) => [n.hostname, n.version]),
    [
      ['a', '10.11.2'],
      ['b', '11.7.0'],
    ],
  );
  assert.ok(Number(cluster[1]?.schema_version) > Number(cluster[0]?.schema_version), 'schema version grows with the version');
  assert.deepEqual((await call(world, 'c', 'GET', '/api/v4/cluster/status', { headers: bearer(token) })).json(), []);
});

test('an unhealthy filestore fails the full ping: 500 by default, 200 UNHEALTHY with REST semantics', async () => {
  const { world } = clockedWorld(sampleSpec({ pods: { ok: { version: '11.7.0' }, sick: { version: '11.7.0', health: { filestore: false } } } }));
  const plain = await call(world, 'sick', 'GET', '/api/v4/system/ping');
  assert.equal(plain.status, 200, 'the probe form does not check the filestore');
  const full = await call(world, 'sick', 'GET', '/api/v4/system/ping?get_server_status=true');
  assert.equal(full.status, 500);
  assert.deepEqual(full.json(), {
    ActiveSearchBackend: 'database',
    AndroidLatestVersion: '',
    AndroidMinVersion: '',
    IosLatestVersion: '',
    IosMinVersion: '',
    database_status: 'OK',
    filestore_status: 'UNHEALTHY',
    status: 'UNHEALTHY',
  });
  assert.equal(full.headers.Filestore_status, 'UNHEALTHY');
  assert.equal(full.headers.Status, 'UNHEALTHY');
  const rest = await call(world, 'sick', 'GET', '/api/v4/system/ping?get_server_status=true&use_rest_semantics=true');
  assert.equal(rest.status, 200);
  assert.equal((rest.json() as { status: string }).status, 'UNHEALTHY');
  assert.equal((await call(world, 'ok', 'GET', '/api/v4/system/ping?get_server_status=true')).status, 200);
  world.setPod('ok', { health: { goroutinesUnhealthy: true } });
  assert.equal((await call(world, 'ok', 'GET', '/api/v4/system/ping')).status, 500, 'goroutine pressure fails even the plain ping');
});

test('a plugin that failed on one pod shows in that pod’s statuses and logs only', async () => {
  const calls = { id: 'com.mattermost.calls', name: 'Calls', version: '1.2.0', state: 2 as const };
  const { world } = clockedWorld(
    sampleSpec({
      defaults: {},
      pods: {
        good: { version: '11.7.0', plugins: [calls] },
        bad: { version: '11.7.0', plugins: [{ ...calls, state: 3, error: 'manifest min_server_version not met' }] },
      },
    }),
  );
  const token = await login(world, 'good', ADMIN);
  const statuses = (await call(world, 'good', 'GET', '/api/v4/plugins/statuses', { headers: bearer(token) })).json() as Array<{ cluster_id: string; state: number; error: string }>;
  const cluster = (await call(world, 'good', 'GET', '/api/v4/cluster/status', { headers: bearer(token) })).json() as Array<{ id: string; hostname: string }>;
  const podOf = new Map(cluster.map((n) => [n.id, n.hostname]));
  assert.deepEqual(statuses.map((s) => [podOf.get(s.cluster_id), s.state, s.error]).sort(), [
    ['bad', 3, 'manifest min_server_version not met'],
    ['good', 2, ''],
  ]);
  const badLog = world.podLogs('bad') ?? '';
  assert.match(badLog, /"level":"error","msg":"Unable to activate plugin".*"plugin_id":"com.mattermost.calls"/);
  assert.doesNotMatch(world.podLogs('good') ?? '', /Unable to activate plugin/);
  const active = (await call(world, 'bad', 'GET', '/api/v4/plugins', { headers: bearer(token) })).json() as { active: unknown[]; inactive: Array<{ id: string }> };
  assert.deepEqual([active.active.length, active.inactive.map((p) => p.id)], [0, ['com.mattermost.calls']]);
});

test('the front door skips unready pods and answers 503 when none is ready', async (t) => {
  const { world } = clockedWorld();
  const door = await startFrontDoor(world);
  t.after(() => door.close());
  world.setPod('mm-old-0', { ready: false });
  for (let i = 0; i < 4; i++) assert.equal((await fetch(`${door.url}/api/v4/system/ping`)).status, 200);
  assert.deepEqual(new Set(door.requests.map((r) => r.pod)), new Set(['mm-new-0']));
  world.setPod('mm-old-0', { ready: true });
  for (let i = 0; i < 4; i++) await fetch(`${door.url}/api/v4/system/ping`);
  assert.deepEqual(new Set(door.requests.slice(4).map((r) => r.pod)), new Set(['mm-old-0', 'mm-new-0']), 'round-robin over both once ready');
  world.removePod('mm-old-0');
  world.setPod('mm-new-0', { ready: false });
  const none = await fetch(`${door.url}/api/v4/system/ping`);
  assert.equal(none.status, 503);
  await none.text();
  assert.equal(door.requests.at(-1)?.pod, '');
});

test('cookie sessions need X-Requested-With (or the CSRF token) on non-GET requests; bearer ones do not', async () => {
  const { world } = clockedWorld();
  const pod = 'mm-new-0';
  const xhrLogin = await call(world, pod, 'POST', '/api/v4/users/login', { json: { login_id: USER.username, password: USER.password }, headers: { 'X-Requested-With': 'XMLHttpRequest' } });
  const setCookie = xhrLogin.headers['Set-Cookie'] ?? '';
  assert.match(setCookie, /^MMAUTHTOKEN=[a-z0-9]{26}; Path=\/; .*HttpOnly/);
  const plainLogin = await call(world, pod, 'POST', '/api/v4/users/login', { json: { login_id: USER.username, password: USER.password } });
  assert.equal(plainLogin.headers['Set-Cookie'], undefined, 'cookies are attached only for XHR logins');
  const cookie = setCookie.split(';')[0] ?? '';
  const channel = world.store.channelByName(world.store.teamByName('ad-1')?.id ?? '', 'smoke');
  const post = { channel_id: channel?.id, message: 'csrf' };

  assert.equal((await call(world, pod, 'GET', '/api/v4/users/me', { headers: { Cookie: cookie } })).status, 200, 'GET needs no CSRF proof');
  const forged = await call(world, pod, 'POST', '/api/v4/posts', { json: post, headers: { Cookie: cookie } });
  assert.equal(forged.status, 401);
  assert.equal((forged.json() as { id: string }).id, 'api.context.session_expired.app_error');
  assert.match(forged.headers['Set-Cookie'] ?? '', /^MMAUTHTOKEN=;/, 'v11 clears the cookie on a CSRF failure');
  assert.equal((await call(world, pod, 'POST', '/api/v4/posts', { json: post, headers: { Cookie: cookie, 'X-CSRF-Token': 'wrong' } })).status, 401);
  assert.equal((await call(world, pod, 'POST', '/api/v4/posts', { json: post, headers: { Cookie: cookie, 'X-Requested-With': 'XMLHttpRequest' } })).status, 201);
  assert.equal((await call(world, pod, 'POST', '/api/v4/posts', { json: post, headers: bearer(plainLogin.headers.Token ?? '') })).status, 201);
  // Other accepted forms of the header: upper-case BEARER (Client4), `Token <t>`, a personal access token.
  assert.equal((await call(world, pod, 'GET', '/api/v4/users/me', { headers: { Authorization: `BEARER ${plainLogin.headers.Token}` } })).status, 200);
  assert.equal((await call(world, pod, 'GET', '/api/v4/users/me', { headers: { Authorization: `Token ${plainLogin.headers.Token}` } })).status, 200);
  const viaPat = await call(world, pod, 'GET', '/api/v4/users/me', { headers: bearer(PAT) });
  assert.equal((viaPat.json() as { username: string }).username, ADMIN.username);
});

test('logs are Mattermost JSON lines: start lines, scenario lines, request lines, filtered like kubelet', async () => {
  const { world, advance } = clockedWorld(
    sampleSpec({
      pods: {
        p: { version: '11.7.0', logs: [{ level: 'error', msg: 'pq: deadlock detected', at: '-5m', caller: 'sqlstore/post_store.go:88', table: 'Posts' }, { level: 'warn', msg: 'slow query' }] },
      },
    }),
  );
  advance(60_000);
  await call(world, 'p', 'GET', '/api/v4/system/ping');
  const text = world.podLogs('p') ?? '';
  assert.ok(text.endsWith('\n'));
  const lines = text.trimEnd().split('\n');
  const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  for (const e of parsed) {
    assert.deepEqual(Object.keys(e).slice(0, 3), ['timestamp', 'level', 'msg']);
    assert.match(String(e.timestamp), /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} Z$/);
    assert.equal(typeof e.caller, 'string');
  }
  assert.deepEqual(parsed[0], { timestamp: '2025-06-01 11:55:00.000 Z', level: 'error', msg: 'pq: deadlock detected', caller: 'sqlstore/post_store.go:88', table: 'Posts' });
  assert.ok(parsed.some((e) => e.level === 'info' && e.msg === 'Server is listening on [::]:8065'));
  assert.ok(parsed.some((e) => e.level === 'warn' && e.msg === 'slow query'));
  const request = parsed.at(-1);
  assert.equal(request?.level, 'debug');
  assert.equal(request?.path, '/api/v4/system/ping');
  assert.equal(request?.timestamp, '2025-06-01 12:01:00.000 Z');

  assert.equal(world.podLogs('p', { tailLines: 2 })?.trimEnd().split('\n').length, 2);
  const recent = world.podLogs('p', { sinceSeconds: 30 })?.trimEnd().split('\n') ?? [];
  assert.deepEqual(
    recent.map((l) => (JSON.parse(l) as { msg: string }).msg),
    ['Received HTTP request'],
  );
  assert.match(world.podLogs('p', { tailLines: 1, timestamps: true }) ?? '', /^2025-06-01T12:01:00\.000000000Z \{"timestamp"/);
  assert.equal(world.podLogs('nope'), undefined);
});

test('a new version on a pod restarts its server: new start time, fresh logs and metrics', async () => {
  const { world, advance } = clockedWorld();
  const pod = 'mm-old-0';
  await call(world, pod, 'GET', '/api/v4/system/ping');
  advance(3_600_000);
  world.setPod(pod, { version: '11.7.0' });
  assert.match((await call(world, pod, 'GET', '/api/v4/system/ping')).headers['X-Version-Id'] ?? '', /^11\.7\.0\./);
  const metrics = (await call(world, pod, 'GET', '/metrics', { port: 8067 })).body.toString('utf8');
  assert.match(metrics, /^mattermost_system_server_start_time 1748782799$/m);
  assert.match(metrics, /^mattermost_http_requests_total 1$/m);
  assert.match(world.podLogs(pod) ?? '', /^\{"timestamp":"2025-06-01 12:59:59.000 Z","level":"info","msg":"Server is initializing..."/);
});

test('metrics on 8067 carry the requests this pod served, and nothing from Mattermost when unlicensed', async () => {
  const { world } = clockedWorld(sampleSpec({ pods: { lic: { version: '11.7.0' }, free: { version: '11.7.0', licensed: false } } }));
  for (let i = 0; i < 3; i++) await call(world, 'lic', 'GET', '/api/v4/system/ping');
  await call(world, 'lic', 'GET', '/api/v4/users/me');
  const res = await call(world, 'lic', 'GET', '/metrics', { port: 8067 });
  assert.equal(res.headers['Content-Type'], 'text/plain; version=0.0.4; charset=utf-8');
  const text = res.body.toString('utf8');
  assert.match(text, /^mattermost_api_time_count\{handler="getSystemPing",method="GET",origin_client="",page_load_context="",status_code="200"\} 3$/m);
  assert.match(text, /^mattermost_api_time_bucket\{handler="getUser",method="GET",origin_client="",page_load_context="",status_code="401",le="\+Inf"\} 1$/m);
  assert.match(text, /^mattermost_http_requests_total 4$/m);
  assert.match(text, /^mattermost_http_errors_total 1$/m);
  assert.match(text, /^# TYPE mattermost_api_time histogram$/m);
  assert.match(text, /^mattermost_process_resident_memory_bytes \d+$/m);
  const free = (await call(world, 'free', 'GET', '/metrics', { port: 8067 })).body.toString('utf8');
  assert.doesNotMatch(free, /^mattermost_/m);
  assert.match(free, /^go_goroutines \d+$/m);
  assert.equal((await call(world, 'lic', 'GET', '/', { port: 8067 })).status, 404);
  assert.equal((await call(world, 'lic', 'GET', '/metrics', { port: 9999 })).status, 502);
  assert.equal((await call(world, 'gone', 'GET', '/api/v4/system/ping')).status, 502);
});

test('smokeLeftovers counts API posts and files until the post holding the files is deleted', async () => {
  const { world } = clockedWorld();
  const pod = 'mm-new-0';
  const token = await login(world, pod, USER);
  const channelId = world.store.channelByName(world.store.teamByName('ad-1')?.id ?? '', 'smoke')?.id ?? '';
  const upload = await call(world, pod, 'POST', `/api/v4/files?channel_id=${channelId}&filename=a.bin`, { headers: bearer(token), body: Buffer.from('abc') });
  assert.equal(upload.status, 201);
  const fileId = (upload.json() as { file_infos: Array<{ id: string }> }).file_infos[0]?.id;
  const before = world.counts();
  const admin = await login(world, pod, ADMIN);
  const postCount = async (): Promise<number | undefined> =>
    ((await call(world, pod, 'GET', '/api/v4/analytics/old?name=standard', { headers: bearer(admin) })).json() as Array<{ name: string; value: number }>).find((r) => r.name === 'post_count')?.value;
  assert.equal(await postCount(), before.posts);
  const post = await call(world, pod, 'POST', '/api/v4/posts', { headers: bearer(token), json: { channel_id: channelId, message: 'leftover?', file_ids: [fileId] } });
  assert.deepEqual(world.smokeLeftovers(), { posts: 1, files: 1 });
  assert.equal(world.counts().posts, before.posts + 1);
  assert.equal(await postCount(), before.posts + 1, 'analytics counts the shared database');
  const postId = (post.json() as { id: string }).id;
  assert.equal((await call(world, pod, 'DELETE', `/api/v4/posts/${postId}`, { headers: bearer(token) })).status, 200);
  assert.deepEqual(world.smokeLeftovers(), { posts: 0, files: 0 });
  // A file never attached to a post cannot be deleted through API v4: it stays a leftover.
  await call(world, pod, 'POST', `/api/v4/files?channel_id=${channelId}&filename=b.bin`, { headers: bearer(token), body: Buffer.from('b') });
  assert.deepEqual(world.smokeLeftovers(), { posts: 0, files: 1 });
});

test('root webhooks take JSON or a payload= form, post as the hook owner and answer text ok', async () => {
  const { world } = clockedWorld();
  const pod = 'mm-old-0';
  const asJson = await call(world, pod, 'POST', '/hooks/hook0000000000000000000000', { json: { text: 'from json' } });
  assert.deepEqual([asJson.status, asJson.headers['Content-Type'], asJson.body.toString('utf8')], [200, 'text/plain', 'ok']);
  const form = `payload=${encodeURIComponent(JSON.stringify({ text: 'from form', username: 'ci-bot' }))}`;
  const asForm = await call(world, pod, 'POST', '/hooks/hook0000000000000000000000', { body: Buffer.from(form), headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
  assert.equal(asForm.status, 200);
  const posts = [...world.store.posts.values()];
  assert.deepEqual(
    posts.map((p) => [p.message, p.props.from_webhook, p.props.override_username]),
    [
      ['from json', 'true', undefined],
      ['from form', 'true', 'ci-bot'],
    ],
  );
  const admin = [...world.store.users.values()].find((u) => u.username === ADMIN.username);
  assert.ok(posts.every((p) => p.userId === admin?.id), 'hook posts belong to the hook owner');
  assert.deepEqual(world.smokeLeftovers(), { posts: 2, files: 0 });
  const unknown = await call(world, pod, 'POST', '/hooks/zzzzzzzzzzzzzzzzzzzzzzzzzz', { json: { text: 'x' } });
  assert.equal(unknown.status, 400);
  assert.equal((unknown.json() as { id: string }).id, 'web.incoming_webhook.invalid.app_error');
  assert.equal((await call(world, pod, 'POST', '/hooks/hook0000000000000000000000', { json: { text: '' } })).status, 400);
});

test('scenario behaviours: refused logins, corrupt downloads, disabled webhooks', async () => {
  const { world } = clockedWorld(sampleSpec({ behaviour: { corruptDownloads: true, enableIncomingWebhooks: false } }));
  const pod = 'mm-new-0';
  const token = await login(world, pod, USER);
  const channelId = world.store.channelByName(world.store.teamByName('ad-1')?.id ?? '', 'smoke')?.id ?? '';
  const up = await call(world, pod, 'POST', `/api/v4/files?channel_id=${channelId}&filename=c.txt`, { headers: bearer(token), body: Buffer.from('intact') });
  const id = (up.json() as { file_infos: Array<{ id: string }> }).file_infos[0]?.id;
  const got = await call(world, pod, 'GET', `/api/v4/files/${id}`, { headers: bearer(token) });
  assert.equal(got.status, 200);
  assert.equal(got.body.length, 6);
  assert.notEqual(got.body.toString('utf8'), 'intact');
  assert.match(got.headers['Content-Disposition'] ?? '', /^attachment;filename="c.txt"/);
  const hook = await call(world, pod, 'POST', '/hooks/hook0000000000000000000000', { json: { text: 'x' } });
  assert.equal(hook.status, 501);
  assert.equal((hook.json() as { id: string }).id, 'web.incoming_webhook.disabled.app_error');

  const refused = clockedWorld(sampleSpec({ behaviour: { loginRefused: true } })).world;
  const res = await call(refused, pod, 'POST', '/api/v4/users/login', { json: { login_id: ADMIN.username, password: ADMIN.password } });
  assert.equal(res.status, 401);
  assert.equal((res.json() as { id: string }).id, 'api.user.login.invalid_credentials_email_username');
});

test('routing edges behave like the server: API 404 without version header, 405, config format by version', async () => {
  const { world } = clockedWorld();
  const unknown = await call(world, 'mm-new-0', 'GET', '/api/v4/nothing/here');
  assert.equal(unknown.status, 404);
  assert.equal((unknown.json() as { id: string }).id, 'api.context.404.app_error');
  assert.equal(unknown.headers['X-Version-Id'], undefined, 'router 404s never reach ServeHTTP');
  assert.equal((await call(world, 'mm-new-0', 'PUT', '/api/v4/system/ping')).status, 405);
  assert.equal((await call(world, 'mm-old-0', 'GET', '/api/v4/config/client')).status, 501);
  assert.equal((await call(world, 'mm-new-0', 'GET', '/api/v4/config/client')).status, 200, 'v11 ignores format');
  assert.equal((await call(world, 'mm-new-0', 'GET', '/api/v4/posts/not-an-id', { headers: bearer(PAT) })).status, 400);
});

test('the web app serves the login page and, with a session cookie, the channel view', async () => {
  const { world } = clockedWorld();
  const pod = 'mm-new-0';
  const loginPage = await call(world, pod, 'GET', '/login');
  const html = loginPage.body.toString('utf8');
  // The error banner is inserted by the page's script on a refused login (its markup is in the script).
  for (const needle of ['id="input_loginId"', 'id="input_password-input"', 'id="saveSetting"', '>Log in</button>', 'class=\\"AlertBanner danger\\"', 'The email/username or password is invalid.']) assert.ok(html.includes(needle), needle);
  assert.match(loginPage.headers['X-Version-Id'] ?? '', /^11\.7\.0\./);
  const anonymous = await call(world, pod, 'GET', '/ad-1/channels/town-square');
  assert.equal(anonymous.status, 302);
  assert.equal(anonymous.headers.Location, '/login?redirect_to=%2Fad-1%2Fchannels%2Ftown-square');
  const cookie = `MMAUTHTOKEN=${await login(world, pod, USER)}`;
  const view = (await call(world, pod, 'GET', '/ad-1/channels/town-square', { headers: { Cookie: cookie } })).body.toString('utf8');
  for (const needle of ['id="channel_view"', 'data-testid="channel_view"', 'data-testid="post-create"', 'id="post_textbox"', 'data-testid="SendMessageButton"', 'id="fileUploadInput"', 'type="file"']) assert.ok(view.includes(needle), needle);
  assert.equal((await call(world, pod, 'GET', '/', { headers: { Cookie: cookie } })).headers.Location, '/ad-1/channels/town-square');
});

test('scenario YAML is validated with paths to the problems', () => {
  const spec = parseMattermostYaml(`
users: [{ username: a, password: x }]
teams: [{ name: t, channels: [{ name: general }] }]
pods: { mm-0: { version: 11.7.0 } }
`);
  assert.equal(spec.pods['mm-0']?.version, '11.7.0');
  assert.throws(
    () => parseMattermostYaml('users: []\nteams: [{ name: t, channels: [], members: [ghost] }]\npods: {}\nincomingWebhooks: [{ team: t, channel: nope }]\n'),
    (e: unknown) => e instanceof Error && /unknown user ghost/.test(e.message) && /teams\.0\.members\.0|teams\[0\]/.test(e.message) && /unknown channel t\/nope/.test(e.message),
  );
  assert.throws(() => new MattermostWorld({ users: [], teams: [], pods: { p: { version: 'latest' } } }), /version/);
});
