/**
 * The simulator driven by the official `@mattermost/client` (Client4), the way mmgate's smoke
 * test will drive a real server: if Client4 can walk the whole journey through the front door,
 * the simulator speaks the protocol (headers, content types, status codes) Client4 relies on.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import mmClient from '@mattermost/client';
import { startFrontDoor } from './front-door.js';
import { ADMIN, HOOK_ID, USER, sampleSpec } from './fixture.js';
import { MattermostWorld } from './world.js';

const { Client4, ClientError } = mmClient;

/** X-Version-Id (https://github.com/mattermost/mattermost/blob/master/server/channels/web/handlers.go): version = parts[0..2]; build = parts[3..n-3]; then config hash; then licensed. */
function parseVersionId(raw: string): { version: string; build: string; hash: string; licensed: boolean } {
  const parts = raw.split('.');
  return { version: parts.slice(0, 3).join('.'), build: parts.slice(3, -2).join('.'), hash: parts.at(-2) ?? '', licensed: parts.at(-1) === 'true' };
}

test('Client4 walks the smoke journey through the front door', async (t) => {
  const world = new MattermostWorld(sampleSpec());
  const door = await startFrontDoor(world);
  t.after(() => door.close());
  const admin = new Client4();
  admin.setUrl(door.url);
  const client = new Client4();
  client.setUrl(door.url);

  await t.test('login sets the token from the Token header', async () => {
    const me = await client.login(USER.username, USER.password);
    assert.equal(me.username, USER.username);
    assert.match(client.getToken(), /^[a-z0-9]{26}$/);
    assert.equal((await client.getMe()).id, me.id);
  });

  await t.test('ping and version header', async () => {
    const ping = await client.ping(true);
    assert.equal(ping.status, 'OK');
    assert.equal(ping.database_status, 'OK');
    assert.equal(ping.filestore_status, 'OK');
    const v = parseVersionId(client.getServerVersion());
    assert.ok(['10.11.2', '11.7.0'].includes(v.version), `version ${v.version}`);
    assert.equal(v.build, v.version);
    assert.match(v.hash, /^[0-9a-f]{32}$/);
    assert.equal(v.licensed, true);
    const config = await client.getClientConfig();
    assert.ok(['10.11.2', '11.7.0'].includes(config.Version ?? ''), `config Version ${config.Version}`);
    assert.equal(config.SiteName, 'Lab Mattermost');
    assert.equal(config.BuildEnterpriseReady, 'true');
  });

  let channelId = '';
  await t.test('teams and channels', async () => {
    const teams = await client.getMyTeams();
    assert.deepEqual(
      teams.map((x) => x.name),
      ['ad-1'],
    );
    const channel = await client.getChannelByNameAndTeamName('ad-1', 'smoke');
    assert.equal(channel.name, 'smoke');
    assert.equal(channel.team_id, teams[0]?.id);
    channelId = channel.id;
  });

  await t.test('upload, post with the file, read back, delete', async () => {
    const form = new FormData();
    form.append('channel_id', channelId); // first: the server streams when channel_id precedes the files
    form.append('files', new Blob(['smoke file body\n'], { type: 'text/plain' }), 'smoke.txt');
    form.append('client_ids', 'client-1');
    const upload = await client.uploadFile(form);
    assert.deepEqual(upload.client_ids, ['client-1']);
    const info = upload.file_infos[0];
    assert.ok(info);
    assert.equal(info.name, 'smoke.txt');
    assert.equal(info.size, 16);

    const post = await client.createPost({ channel_id: channelId, message: 'mmgate smoke', file_ids: [info.id] });
    assert.deepEqual(post.file_ids, [info.id]);
    const again = await client.getPost(post.id);
    assert.equal(again.message, 'mmgate smoke');
    const infos = await client.getFileInfosForPost(post.id);
    assert.deepEqual(
      infos.map((f) => f.id),
      [info.id],
    );
    const bytes = await fetch(`${door.url}/api/v4/files/${info.id}`, { headers: { Authorization: `Bearer ${client.getToken()}` } });
    assert.equal(await bytes.text(), 'smoke file body\n');
    assert.deepEqual(await client.deletePost(post.id), { status: 'OK' });
    await assert.rejects(client.getPost(post.id), (e: unknown) => {
      assert.ok(e instanceof ClientError);
      assert.equal(e.status_code, 404);
      assert.equal(e.server_error_id, 'app.post.get.app_error');
      return true;
    });
  });

  await t.test('incoming webhook answers ok and its post can be cleaned up', async () => {
    const res = await fetch(`${door.url}/hooks/${HOOK_ID}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ text: 'hook smoke' }) });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'text/plain');
    assert.equal(await res.text(), 'ok');
    const list = await client.getPosts(channelId);
    const hookPost = Object.values(list.posts).find((p) => p.message === 'hook smoke');
    assert.ok(hookPost, 'webhook post not found in the channel');
    assert.equal(hookPost.props.from_webhook, 'true');
    await admin.login(ADMIN.username, ADMIN.password);
    await admin.deletePost(hookPost.id); // posted as the hook's owner: an admin removes it
  });

  await t.test('admin views: plugin statuses per pod, cluster status per node', async () => {
    const statuses = await admin.getPluginStatuses();
    assert.equal(statuses.length, 4); // 2 plugins x 2 pods
    assert.equal(new Set(statuses.map((s) => s.cluster_id)).size, 2);
    assert.ok(statuses.every((s) => s.state === 2));
    const cluster = await admin.getClusterStatus();
    assert.deepEqual(cluster.map((n) => n.version).sort(), ['10.11.2', '11.7.0']);
    assert.deepEqual(new Set(cluster.map((n) => n.id)), new Set(statuses.map((s) => s.cluster_id)));
    await assert.rejects(client.getClusterStatus(), (e: unknown) => e instanceof ClientError && e.status_code === 403);
  });

  await t.test('logout ends the session', async () => {
    const token = client.getToken();
    await client.logout();
    const stale = new Client4();
    stale.setUrl(door.url);
    stale.setToken(token);
    await assert.rejects(stale.getMe(), (e: unknown) => e instanceof ClientError && e.status_code === 401 && e.server_error_id === 'api.context.session_expired.app_error');
  });

  await t.test('the journey left nothing behind and touched both pods', () => {
    assert.deepEqual(world.smokeLeftovers(), { posts: 0, files: 0 });
    assert.deepEqual(new Set(door.requests.map((r) => r.pod)), new Set(['mm-old-0', 'mm-new-0']));
  });
});
