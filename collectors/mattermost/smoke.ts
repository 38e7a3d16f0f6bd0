/**
 * The API smoke journey, as the smoke user (mattermost.smoke) with @mattermost/client's Client4 at
 * the front door: login (password, or token + users/me), users/me, my teams, the configured team
 * and channel, a post written and read back (through every ready pod when there are two or more,
 * with the session as the MMAUTHTOKEN cookie through the pod proxy) and deleted, a generated file
 * uploaded (channel_id first), attached, downloaded and compared by SHA-256, then deleted with its
 * post, and — when mattermost.incomingWebhook is set — a webhook post found in the channel and
 * deleted.
 *
 * Cleanup always runs (a step that fails half-way, an interrupted run): every object created is
 * registered as soon as its id is known and deleted in `finally`; a sweep of the channel removes
 * posts carrying this run's unique marker whose create answer was lost. Only objects with this
 * run's marker are ever deleted, so two runs at the same time never touch each other's data.
 * What could not be deleted is recorded as a leftover for the checks to report.
 */
import { createHash, randomBytes, randomInt } from 'node:crypto';
import type { Client4 } from '@mattermost/client';
import type { Collector, CollectEnv } from '../../core/collector.js';
import { CollectFailure } from '../../core/collector.js';
import { parseDuration } from '../../core/duration.js';
import { errorMessage } from '../../core/errors.js';
import { isPodReady, mattermostPods } from '../../core/installation.js';
import type {
  CallError, SmokeJourney, SmokeObject, SmokePart, SmokeRead, SmokeStep, SmokeStepName,
} from '../../core/mattermost-types.js';
import { type KubeClient, kubeClient } from '../kube/client.js';
import {
  excerpt, fetchError, frontDoorHeaders, frontDoorUrl, httpError, kubeCallError, proxyFailure, requestTimeoutMs, sessionCookie, USER_AGENT,
} from './http.js';

declare module '../../core/types.js' {
  interface SnapshotData {
    /** The API smoke journey of the smoke user: each step, reads through each pod, what was created and cleaned up. */
    smokeJourney: SmokeJourney;
  }
}

/** The journey order of the steps (core/mattermost-types.ts): the report lists them so, whichever journey finished first. */
const STEP_ORDER: readonly SmokeStepName[] = [
  'login', 'me', 'teams', 'team', 'channels', 'channel',
  'post.create', 'post.read', 'post.delete',
  'file.upload', 'file.attach', 'file.download', 'file.delete',
  'webhook.send', 'webhook.find', 'webhook.delete',
];

/** At most this many pods are read through (the post and the file), to bound the journey on big clusters. */
const MAX_POD_READS = 5;
const FILE_BASE_SIZE = 64 * 1024;

/** A step's own failure (a mismatch, a missing membership) with the CallError to record. */
class StepFailure extends Error {
  constructor(readonly call: CallError) { super(call.message); }
}

type Detail = Record<string, string | number | boolean>;

interface Tracked { kind: 'post' | 'file'; id: string; part: SmokePart; deleted: boolean; error?: CallError; attachedTo?: string }

/** Client4 with a timeout on every request (Client4 itself sets none); the run's abort signal is deliberately not used, so cleanup still runs after an interrupt. */
async function makeClient(url: string, timeoutMs: number, headers: Record<string, string> = {}): Promise<Client4> {
  const mod = await import('@mattermost/client');
  const Base = mod.default.Client4;
  class TimedClient4 extends Base {
    override getOptions(options: Parameters<Client4['getOptions']>[0]): ReturnType<Client4['getOptions']> {
      return { ...super.getOptions(options), signal: AbortSignal.timeout(timeoutMs) } as ReturnType<Client4['getOptions']>;
    }
  }
  const client: Client4 = new TimedClient4();
  client.setUrl(url);
  client.setUserAgent(USER_AGENT);
  client.setIncludeCookies(false);
  for (const [k, v] of Object.entries(headers)) client.setHeader(k, v);
  return client;
}

/** Any error of a step as a CallError (ClientError keeps its status and AppError id). */
function callError(err: unknown, where: string): CallError {
  if (err instanceof StepFailure) return err.call;
  if (err instanceof CollectFailure) return { code: err.code, message: err.message };
  const e = err as { name?: string; message?: string; status_code?: unknown; server_error_id?: unknown; cause?: unknown };
  if (e && typeof e === 'object' && ('server_error_id' in e || 'status_code' in e)) {
    if (e.cause) return fetchError(e.cause, where);
    const status = typeof e.status_code === 'number' ? e.status_code : undefined;
    return {
      code: status !== undefined ? `HTTP_${status}` : 'BAD_RESPONSE',
      ...(status !== undefined ? { status } : {}),
      ...(typeof e.server_error_id === 'string' && e.server_error_id ? { id: e.server_error_id } : {}),
      message: e.message || `${where} gave an answer that is not a Mattermost error (a proxy or login page in the way?)`,
    };
  }
  return fetchError(err, where);
}

const isNotFound = (err: unknown): boolean => {
  const c = err instanceof StepFailure ? err.call : callError(err, '');
  return c.status === 404;
};

const ms = (t0: number): number => Math.round(performance.now() - t0);
const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');
const sleep = (n: number) => new Promise((r) => setTimeout(r, n));

export async function runSmokeJourney(env: CollectEnv): Promise<SmokeJourney> {
  const smoke = env.config.mattermost?.smoke;
  if (!smoke) throw new CollectFailure('NOT_CONFIGURED', 'no smoke user: set mattermost.smoke (username, password or token, team, channel) to run the API journeys');
  env.redactor.add(smoke.password);
  env.redactor.add(smoke.token);
  const hook = env.config.mattermost?.incomingWebhook;
  env.redactor.add(hook?.id);
  const adminToken = env.config.mattermost?.admin?.token;
  env.redactor.add(adminToken);
  const url = await frontDoorUrl(env);
  const timeoutMs = requestTimeoutMs(env);
  const port = env.config.mattermost?.podPort ?? 8065;

  const startedAt = env.now();
  const runId = randomBytes(4).toString('hex');
  const marker = `mmgate-smoke ${runId} ${startedAt.toISOString()} ${randomBytes(6).toString('hex')}`;

  let readyPods: { name: string; namespace: string }[] | null = null;
  let readyPodsError: string | undefined;
  let kube: KubeClient | undefined;
  // The pods are listed while the session starts: only the reads through each pod need them.
  const podsListed = (async () => {
    try {
      const pods = await env.need('pods');
      readyPods = mattermostPods(pods, env.scope).filter(isPodReady)
        .map((p) => ({ name: p.metadata.name, namespace: p.metadata.namespace ?? env.scope.namespace }))
        .sort((a, b) => a.name.localeCompare(b.name));
      if (readyPods.length >= 2) kube = await kubeClient(env);
    } catch (err) {
      readyPods = null;
      readyPodsError = `the pods could not be listed, so reads through each pod were not tried: ${errorMessage(err)}`;
    }
  })();

  const client = await makeClient(url, timeoutMs, frontDoorHeaders(env));
  const steps: SmokeStep[] = [];
  const objects = new Map<string, Tracked>();
  const postReads: SmokeRead[] = [];
  const fileDownloads: SmokeRead[] = [];
  let upload: { size: number; sha256: string } | undefined;
  let user: { id: string; username: string } | undefined;
  let team: { id: string; name: string } | undefined;
  let channel: { id: string; name: string } | undefined;
  let token = smoke.token ?? '';
  let interrupted = false;

  const track = (kind: 'post' | 'file', id: string, part: SmokePart): Tracked => {
    const t = objects.get(id) ?? { kind, id, part, deleted: false };
    objects.set(id, t);
    return t;
  };
  const skip = (name: SmokeStepName, reason: string) => { steps.push({ name, ok: false, skipped: reason }); };
  const abandoned = new Promise<never>((_, reject) => {
    const stop = () => { interrupted = true; reject(new StepFailure({ code: 'INTERRUPTED', status: 0, message: 'the run was interrupted (deadline or signal) during this step' })); };
    if (env.signal.aborted) stop(); else env.signal.addEventListener('abort', stop, { once: true });
  });
  abandoned.catch(() => undefined);
  /** Runs one step: records ok/latency/error; returns undefined when it failed or was not run. */
  const step = async <T>(name: SmokeStepName, fn: () => Promise<T>, detail?: (v: T) => Detail): Promise<T | undefined> => {
    if (env.signal.aborted) {
      interrupted = true;
      skip(name, 'the run was interrupted (deadline or signal) before this step');
      return undefined;
    }
    const t0 = performance.now();
    try {
      // An interrupt does not wait for a step stuck on a slow answer: the cleanup runs now.
      const v = await Promise.race([fn(), abandoned]);
      steps.push({ name, ok: true, latencyMs: ms(t0), ...(detail ? { detail: detail(v) } : {}) });
      return v;
    } catch (err) {
      steps.push({ name, ok: false, latencyMs: ms(t0), error: callError(err, `${url} (${name})`) });
      return undefined;
    }
  };

  /** DELETE a post as the smoke user; someone else's (a webhook's) with the admin token when the user may not. */
  const deletePost = async (id: string): Promise<void> => {
    try {
      await client.deletePost(id);
    } catch (err) {
      const c = callError(err, url);
      if (c.status !== 403 || !adminToken) throw err;
      const res = await fetch(`${url}/api/v4/posts/${encodeURIComponent(id)}`, {
        // Deletes are the cleanup: they run after an interrupt too, so only their own timeout stops them.
        method: 'DELETE', headers: { Authorization: `Bearer ${adminToken}`, 'X-Requested-With': 'XMLHttpRequest', 'User-Agent': USER_AGENT, ...frontDoorHeaders(env) }, signal: AbortSignal.timeout(timeoutMs),
      });
      if (res.status !== 200) throw new StepFailure(httpError(res.status, await res.text(), `${url} (delete post as admin)`));
    }
    const t = objects.get(id);
    if (t) t.deleted = true;
    // A deleted post takes its attachments with it.
    for (const o of objects.values()) if (o.kind === 'file' && o.attachedTo === id) o.deleted = true;
  };

  /** A GET at the front door with the session (for endpoints Client4 has no method for). */
  const frontGet = async (path: string): Promise<string> => {
    let res: Response;
    try {
      res = await fetch(`${url}${path}`, { headers: { Authorization: `Bearer ${token}`, 'X-Requested-With': 'XMLHttpRequest', 'User-Agent': USER_AGENT, ...frontDoorHeaders(env) }, signal: AbortSignal.any([env.signal, AbortSignal.timeout(timeoutMs)]) });
    } catch (err) {
      throw new StepFailure(fetchError(err, url));
    }
    const body = await res.text();
    if (res.status !== 200) throw new StepFailure(httpError(res.status, body, url));
    return body;
  };

  /** A GET through one pod's proxy with the session cookie; retried briefly on 404 (a replica that lags). */
  const viaPod = async (pod: { name: string; namespace: string }, path: string, check: (body: Buffer) => string | undefined): Promise<SmokeRead & { body?: Buffer }> => {
    const t0 = performance.now();
    let last: CallError | undefined;
    for (let attempt = 1; attempt <= 3; attempt++) {
      try {
        const res = await kube!.podProxy(pod.namespace, pod.name, port, path, { headers: { ...sessionCookie(token), Accept: '*/*', 'User-Agent': USER_AGENT, ...frontDoorHeaders(env) } });
        const refused = proxyFailure(res, pod.name);
        if (refused) return { via: pod.name, ok: false, latencyMs: ms(t0), attempts: attempt, error: refused };
        if (res.status === 200) {
          const problem = check(res.body);
          if (!problem) return { via: pod.name, ok: true, latencyMs: ms(t0), attempts: attempt, body: res.body };
          last = { code: 'MISMATCH', status: 200, message: problem };
        } else {
          last = httpError(res.status, res.body.toString('utf8'), `pod ${pod.name}`);
          if (res.status !== 404 && res.status < 500) break;
        }
      } catch (err) {
        last = kubeCallError(err);
      }
      if (attempt < 3) await sleep(300);
    }
    return { via: pod.name, ok: false, latencyMs: ms(t0), attempts: 3, ...(last ? { error: last } : {}) };
  };
  const podsToRead = async (): Promise<{ name: string; namespace: string }[]> => {
    await podsListed;
    return readyPods && readyPods.length >= 2 && kube ? readyPods.slice(0, MAX_POD_READS) : [];
  };

  try {
    // --- session
    const loggedIn = smoke.password
      ? await step('login', async () => {
        const u = await client.login(smoke.username, smoke.password!);
        token = client.getToken();
        env.redactor.add(token);
        if (!token) throw new StepFailure({ code: 'BAD_RESPONSE', status: 200, message: 'login answered without a Token header' });
        return u;
      }, () => ({ auth: 'password' }))
      : await step('login', async () => { client.setToken(smoke.token!); return client.getMe(); }, () => ({ auth: 'token' }));
    const me = loggedIn && await step('me', async () => {
      const m = await client.getMe();
      if (m.username.toLowerCase() !== smoke.username.toLowerCase()) throw new StepFailure({ code: 'WRONG_USER', status: 200, message: `the session belongs to ${m.username}, not ${smoke.username}` });
      return m;
    }, (m) => ({ userId: m.id, username: m.username }));
    if (me) user = { id: me.id, username: me.username };
    if (!loggedIn) skip('me', 'login failed');

    // --- navigation
    const noSession = !loggedIn ? 'login failed' : !me ? 'users/me failed' : undefined;
    if (noSession) {
      for (const n of ['teams', 'team', 'channels', 'channel'] as const) skip(n, noSession);
    } else {
      // Each list and the lookup it checks membership against are asked at once.
      const teamsAsked = step('teams', () => client.getMyTeams(), (t) => ({ count: t.length }));
      const t = await step('team', async () => {
        const found = await client.getTeamByName(smoke.team);
        const teams = await teamsAsked;
        if (teams && !teams.some((x) => x.id === found.id)) throw new StepFailure({ code: 'NOT_MEMBER', status: 200, message: `the smoke user ${smoke.username} is not a member of team ${smoke.team}` });
        return found;
      }, (x) => ({ teamId: x.id }));
      if (t) team = { id: t.id, name: t.name };
      await teamsAsked;
      const channelsAsked = t ? step('channels', () => client.getMyChannels(t.id), (c) => ({ count: c.length })) : (skip('channels', `team ${smoke.team} was not found`), Promise.resolve(undefined));
      const c = t ? await step('channel', async () => {
        const found = await client.getChannelByNameAndTeamName(smoke.team, smoke.channel);
        const channels = await channelsAsked;
        if (channels && !channels.some((x) => x.id === found.id)) throw new StepFailure({ code: 'NOT_MEMBER', status: 200, message: `the smoke user ${smoke.username} is not a member of channel ${smoke.team}/${smoke.channel}` });
        return found;
      }, (x) => ({ channelId: x.id })) : (skip('channel', `team ${smoke.team} was not found`), undefined);
      await channelsAsked;
      if (c) channel = { id: c.id, name: c.name };
    }

    const noChannel = noSession ?? (channel ? undefined : `the smoke channel ${smoke.team}/${smoke.channel} was not found`);

    // --- post: create, read back (front door + each ready pod), delete
    const postJourney = async (): Promise<void> => {
      if (noChannel) {
        for (const n of ['post.create', 'post.read', 'post.delete'] as const) skip(n, noChannel);
      } else {
        const ch = channel!;
        const message = `${marker} post`;
        const post = await step('post.create', async () => {
          const p = await client.createPost({ channel_id: ch.id, message });
          track('post', p.id, 'post');
          if (p.message !== message) throw new StepFailure({ code: 'MISMATCH', status: 201, message: 'the created post does not carry the message sent' });
          return p;
        }, (p) => ({ postId: p.id }));
        if (!post) {
          skip('post.read', 'post.create failed');
          skip('post.delete', 'post.create failed');
        } else {
          await step('post.read', async () => {
            const atFrontDoor = async (): Promise<SmokeRead> => {
              const t0 = performance.now();
              try {
                const got = await client.getPost(post.id);
                return got.message === message
                  ? { via: 'front-door', ok: true, latencyMs: ms(t0), attempts: 1 }
                  : { via: 'front-door', ok: false, latencyMs: ms(t0), attempts: 1, error: { code: 'MISMATCH', status: 200, message: 'the post read back differs from the one written' } };
              } catch (err) {
                return { via: 'front-door', ok: false, latencyMs: ms(t0), attempts: 1, error: callError(err, url) };
              }
            };
            const throughPod = async (pod: { name: string; namespace: string }): Promise<SmokeRead> => {
              const { body: _b, ...read } = await viaPod(pod, `/api/v4/posts/${encodeURIComponent(post.id)}`, (b) => {
                try { return (JSON.parse(b.toString('utf8')) as { message?: string }).message === message ? undefined : 'the post read back differs from the one written'; } catch { return 'the answer is not a post'; }
              });
              return read;
            };
            // The front door and every pod are read at once; the results keep that order.
            const [front, pods] = await Promise.all([atFrontDoor(), podsToRead().then((ps) => Promise.all(ps.map(throughPod)))]);
            postReads.push(front, ...pods);
            const bad = postReads.filter((r) => !r.ok);
            if (bad.length) throw new StepFailure({ ...bad[0]!.error!, message: `read back failed through ${bad.map((r) => r.via).join(', ')}: ${bad[0]!.error?.message ?? ''}` });
            return true;
          }, () => ({ reads: postReads.length, throughPods: postReads.filter((r) => r.via !== 'front-door').length }));
          await step('post.delete', async () => {
            await deletePost(post.id);
            await expectGone(() => client.getPost(post.id), objects.get(post.id)!);
            return true;
          });
        }
      }
    };

    // --- file: upload (channel_id first), attach to a post, download and compare, delete with the post
    const fileJourney = async (): Promise<void> => {
      if (noChannel) {
        for (const n of ['file.upload', 'file.attach', 'file.download', 'file.delete'] as const) skip(n, noChannel);
      } else {
        const ch = channel!;
        const bytes = randomBytes(FILE_BASE_SIZE + randomInt(0, 4096));
        upload = { size: bytes.length, sha256: sha256(bytes) };
        const name = `mmgate-smoke-${runId}.bin`;
        const info = await step('file.upload', async () => {
          const form = new FormData();
          form.append('channel_id', ch.id);
          form.append('files', new Blob([new Uint8Array(bytes)], { type: 'application/octet-stream' }), name);
          const res = await client.uploadFile(form);
          const fi = res.file_infos?.[0];
          if (!fi?.id) throw new StepFailure({ code: 'BAD_RESPONSE', status: 201, message: 'the upload answer has no file_infos' });
          track('file', fi.id, 'file');
          if (fi.size !== bytes.length) throw new StepFailure({ code: 'MISMATCH', status: 201, message: `the server stored ${fi.size} bytes of the ${bytes.length} sent` });
          return fi;
        }, (fi) => ({ fileId: fi.id, size: fi.size }));
        if (!info) {
          for (const n of ['file.attach', 'file.download', 'file.delete'] as const) skip(n, 'file.upload failed');
        } else {
          const attached = await step('file.attach', async () => {
            const p = await client.createPost({ channel_id: ch.id, message: `${marker} file`, file_ids: [info.id] });
            track('post', p.id, 'file');
            const f = objects.get(info.id);
            if (f) f.attachedTo = p.id;
            if (!(p.file_ids ?? []).includes(info.id)) throw new StepFailure({ code: 'MISMATCH', status: 201, message: 'the post was created without the attachment' });
            return p;
          }, (p) => ({ postId: p.id }));
          await step('file.download', async () => {
            const expect = (b: Uint8Array): string | undefined => (sha256(b) === upload!.sha256 ? undefined : `downloaded ${b.length} bytes with SHA-256 ${sha256(b).slice(0, 12)}…, uploaded ${upload!.size} bytes with ${upload!.sha256.slice(0, 12)}…`);
            const atFrontDoor = async (): Promise<SmokeRead> => {
              const t0 = performance.now();
              try {
                const res = await fetch(`${url}/api/v4/files/${encodeURIComponent(info.id)}`, { headers: { Authorization: `Bearer ${token}`, 'X-Requested-With': 'XMLHttpRequest', 'User-Agent': USER_AGENT, ...frontDoorHeaders(env) }, signal: AbortSignal.any([env.signal, AbortSignal.timeout(timeoutMs)]) });
                const body = new Uint8Array(await res.arrayBuffer());
                if (res.status !== 200) return { via: 'front-door', ok: false, latencyMs: ms(t0), attempts: 1, error: httpError(res.status, Buffer.from(body).toString('utf8'), url) };
                const problem = expect(body);
                return { via: 'front-door', ok: !problem, latencyMs: ms(t0), attempts: 1, sha256: sha256(body), size: body.length, ...(problem ? { error: { code: 'MISMATCH', status: 200, message: problem } } : {}) };
              } catch (err) {
                return { via: 'front-door', ok: false, latencyMs: ms(t0), attempts: 1, error: callError(err, url) };
              }
            };
            const throughPod = async (pod: { name: string; namespace: string }): Promise<SmokeRead> => {
              const { body, ...read } = await viaPod(pod, `/api/v4/files/${encodeURIComponent(info.id)}`, expect);
              return body ? { ...read, sha256: sha256(body), size: body.length } : read;
            };
            // The front door and every pod are read at once; the results keep that order.
            const [front, pods] = await Promise.all([atFrontDoor(), podsToRead().then((ps) => Promise.all(ps.map(throughPod)))]);
            fileDownloads.push(front, ...pods);
            const bad = fileDownloads.filter((r) => !r.ok);
            if (bad.length) throw new StepFailure({ ...bad[0]!.error!, message: `download failed through ${bad.map((r) => r.via).join(', ')}: ${bad[0]!.error?.message ?? ''}` });
            return true;
          }, () => ({ downloads: fileDownloads.length, throughPods: fileDownloads.filter((r) => r.via !== 'front-door').length }));
          if (attached) {
            await step('file.delete', async () => {
              await deletePost(attached.id);
              await expectGone(() => frontGet(`/api/v4/files/${encodeURIComponent(info.id)}/info`), objects.get(info.id)!);
              return true;
            });
          } else {
            skip('file.delete', 'file.attach failed (the cleanup attaches the upload to a post and deletes both)');
          }
        }
      }
    };

    // --- incoming webhook: POST /hooks/{id} → "ok", find the post in the channel, delete it
    const webhookJourney = async (): Promise<void> => {
      if (hook) {
        if (noChannel) {
          for (const n of ['webhook.send', 'webhook.find', 'webhook.delete'] as const) skip(n, noChannel);
        } else {
          const ch = channel!;
          const text = `${marker} webhook`;
          const sent = await step('webhook.send', async () => {
            let res: Response;
            try {
              res = await fetch(`${url}/hooks/${encodeURIComponent(hook.id)}`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'User-Agent': USER_AGENT, ...frontDoorHeaders(env) }, body: JSON.stringify({ text }), signal: AbortSignal.any([env.signal, AbortSignal.timeout(timeoutMs)]) });
            } catch (err) {
              throw new StepFailure(fetchError(err, `${url}/hooks/…`));
            }
            const body = await res.text();
            if (res.status !== 200) throw new StepFailure(httpError(res.status, body, `${url}/hooks/…`));
            if (body.trim() !== 'ok') throw new StepFailure({ code: 'BAD_RESPONSE', status: 200, message: `the webhook answered "${excerpt(body, 80)}" instead of "ok"` });
            return true;
          });
          if (!sent) {
            skip('webhook.find', 'webhook.send failed');
            skip('webhook.delete', 'webhook.send failed');
          } else {
            const waitMs = parseDuration(env.config.mattermost?.webhookTimeout ?? '10s');
            const found = await step('webhook.find', async () => {
              const deadline = performance.now() + waitMs;
              for (;;) {
                const list = await client.getPosts(ch.id, 0, 200);
                const hit = Object.values(list.posts ?? {}).find((p) => p.message === text && !p.delete_at);
                if (hit) { track('post', hit.id, 'webhook'); return hit; }
                if (performance.now() > deadline || env.signal.aborted) {
                  throw new StepFailure({ code: 'NOT_FOUND', message: `the webhook's post did not appear in ${smoke.team}/${smoke.channel} within ${Math.round(waitMs / 1000)}s: does the webhook post into that channel?` });
                }
                await sleep(400);
              }
            }, (p) => ({ postId: p.id }));
            if (found) {
              await step('webhook.delete', async () => {
                await deletePost(found.id);
                await expectGone(() => client.getPost(found.id), objects.get(found.id)!);
                return true;
              });
            } else {
              skip('webhook.delete', 'webhook.find failed');
            }
          }
        }
      }
    };

    // The three journeys are independent once the channel is known: they run at once. Each still
    // runs its own steps in order, and every one has settled before the cleanup below starts.
    const settled = await Promise.allSettled([postJourney(), fileJourney(), webhookJourney()]);
    const broken = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (broken) throw broken.reason;
  } catch (err) {
    // A bug in the journey itself must not skip the cleanup below; it is reported as a collector failure after it.
    throw new CollectFailure('FAILED', `the smoke journey stopped unexpectedly: ${errorMessage(err)}`);
  } finally {
    await cleanup();
  }

  // The pod list may still be on its way when no journey needed it.
  await podsListed;
  const listed = readyPods as { name: string; namespace: string }[] | null;
  if (env.signal.aborted) interrupted = true;
  steps.sort((a, b) => STEP_ORDER.indexOf(a.name) - STEP_ORDER.indexOf(b.name));
  const all: SmokeObject[] = [...objects.values()].map(({ attachedTo: _a, ...o }) => o);
  const journey: SmokeJourney = {
    url, runId, marker, startedAt: startedAt.toISOString(), auth: smoke.password ? 'password' : 'token',
    ...(user ? { user } : {}), ...(team ? { team } : {}), ...(channel ? { channel } : {}),
    readyPods: listed ? listed.map((p) => p.name) : null, ...(readyPodsError ? { readyPodsError } : {}),
    steps, postReads, fileDownloads, ...(upload ? { upload } : {}),
    webhookConfigured: hook !== undefined,
    objects: all,
    leftovers: all.filter((o) => !o.deleted),
    ...(interrupted ? { interrupted } : {}),
  };
  return env.redactor.redactDeep(journey);

  /** After a DELETE: the object must be gone (404); retried briefly, as a read replica may lag. */
  async function expectGone(get: () => Promise<unknown>, t: Tracked): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await get();
      } catch (err) {
        if (isNotFound(err)) return;
        throw err;
      }
      if (attempt >= 3) {
        t.deleted = false;
        throw new StepFailure({ code: 'STILL_THERE', status: 200, message: `${t.kind} ${t.id} can still be read after it was deleted` });
      }
      await sleep(300);
    }
  }

  /** Deletes everything this run created that is still there, then sweeps the channel for posts with this run's marker. */
  async function cleanup(): Promise<void> {
    // Posts first: deleting a post deletes its attachments.
    for (const o of [...objects.values()].filter((x) => x.kind === 'post' && !x.deleted)) {
      try { await deletePost(o.id); delete o.error; } catch (err) {
        if (isNotFound(err)) { o.deleted = true; delete o.error; } else o.error = callError(err, url);
      }
    }
    // An upload never attached to a post has no delete API of its own: attach it to a post, then delete that post.
    if (channel) {
      for (const f of [...objects.values()].filter((x) => x.kind === 'file' && !x.deleted && !x.attachedTo)) {
        try {
          const p = await client.createPost({ channel_id: channel.id, message: `${marker} cleanup`, file_ids: [f.id] });
          track('post', p.id, f.part);
          f.attachedTo = p.id;
          await deletePost(p.id);
          delete f.error;
        } catch (err) {
          f.error = callError(err, url);
        }
      }
      // Posts whose create answer was lost (timeout, interrupt) still carry the marker: find and delete them.
      try {
        const list = await client.getPosts(channel.id, 0, 200);
        for (const p of Object.values(list.posts ?? {})) {
          if (!p.message?.startsWith(marker) || p.delete_at || objects.get(p.id)?.deleted) continue;
          const part: SmokePart = p.message.endsWith(' webhook') ? 'webhook' : p.message.endsWith(' file') || p.message.endsWith(' cleanup') ? 'file' : 'post';
          const t = track('post', p.id, part);
          try { await deletePost(p.id); delete t.error; } catch (err) { t.error = callError(err, url); }
        }
      } catch {
        // The sweep is a safety net; the registered objects above are what the checks judge.
      }
    }
    for (const f of objects.values()) {
      if (f.kind === 'file' && !f.deleted && !f.error) f.error = { code: 'NOT_DELETED', message: f.attachedTo ? `its post ${f.attachedTo} could not be deleted` : 'it could not be attached to a post to delete it' };
    }
    // A password login opened a session: close it, so repeated runs do not pile up sessions.
    if (smoke?.password && token) {
      try { await client.logout(); } catch { /* the session expires on its own */ }
    }
  }
}

export const smokeJourneyCollector: Collector<'smokeJourney'> = {
  key: 'smokeJourney',
  source: 'Mattermost API at the front door: smoke journey of the smoke user (login, navigation, post, file, webhook)',
  // Never retried: a journey creates data; a retry would double it and hide a flaky server.
  retries: 0,
  collect: runSmokeJourney,
};
