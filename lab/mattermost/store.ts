/**
 * The shared database of a simulated installation: every pod reads and writes the same Store, as
 * every Mattermost node shares one PostgreSQL. Sessions live here too, so a token issued by one
 * pod works on the others (the front door spreads requests across pods).
 */
import type { MattermostSpec } from './spec.js';
import { fileMeta, newId } from './model.js';
import type { ChannelRec, FileRec, HookRec, PostRec, SessionRec, TeamRec, UserRec } from './model.js';

const DEFAULT_CHANNELS = [
  { name: 'town-square', displayName: 'Town Square', type: 'O' as const },
  { name: 'off-topic', displayName: 'Off-Topic', type: 'O' as const },
];

const titleCase = (name: string): string =>
  name
    .split(/[-_]/)
    .filter(Boolean)
    .map((w) => w[0]?.toUpperCase() + w.slice(1))
    .join(' ');

export class Store {
  readonly users = new Map<string, UserRec>();
  readonly teams = new Map<string, TeamRec>();
  readonly channels = new Map<string, ChannelRec>();
  readonly posts = new Map<string, PostRec>();
  readonly files = new Map<string, FileRec>();
  readonly hooks = new Map<string, HookRec>();
  private readonly sessions = new Map<string, SessionRec>();

  constructor(spec: MattermostSpec, nowMs: number) {
    // Seeded data predates the scenario: date it a month back so it never looks "just created".
    const seeded = nowMs - 30 * 86_400_000;
    for (const u of spec.users) {
      const rec: UserRec = {
        id: newId(),
        username: u.username,
        email: u.email ?? `${u.username}@example.com`,
        password: u.password,
        roles: u.roles ?? 'system_user',
        tokens: u.tokens ?? [],
        createAt: seeded,
      };
      this.users.set(rec.id, rec);
    }
    const admin = [...this.users.values()].find((u) => isSystemAdmin(u)) ?? [...this.users.values()][0];
    for (const t of spec.teams) {
      const members = t.members ? [...this.users.values()].filter((u) => t.members?.includes(u.username)) : [...this.users.values()];
      const team: TeamRec = { id: newId(), name: t.name, displayName: t.displayName ?? titleCase(t.name), createAt: seeded, memberIds: new Set(members.map((u) => u.id)) };
      this.teams.set(team.id, team);
      const listed = new Set(t.channels.map((c) => c.name));
      for (const c of [...DEFAULT_CHANNELS.filter((d) => !listed.has(d.name)), ...t.channels]) {
        const ch: ChannelRec = {
          id: newId(),
          teamId: team.id,
          name: c.name,
          displayName: c.displayName ?? titleCase(c.name),
          type: c.type ?? 'O',
          createAt: seeded,
          creatorId: admin?.id ?? '',
          lastPostAt: seeded,
          totalMsgCount: 0,
        };
        this.channels.set(ch.id, ch);
      }
    }
    for (const h of spec.incomingWebhooks ?? []) {
      const team = this.teamByName(h.team);
      const channel = team && this.channelByName(team.id, h.channel);
      if (!team || !channel) continue; // the spec schema already rejected dangling references
      const owner = [...this.users.values()].find((u) => isSystemAdmin(u) && team.memberIds.has(u.id)) ?? admin;
      this.addHook({ channelId: channel.id, teamId: team.id, userId: owner?.id ?? '', displayName: h.displayName ?? '', description: '', username: '', iconUrl: '' }, seeded, h.id);
    }
  }

  // ---- users and sessions

  /** `GetForLogin`: username or email, case-insensitive. */
  userByLogin(loginId: string): UserRec | undefined {
    const l = loginId.trim().toLowerCase();
    return [...this.users.values()].find((u) => u.username === l || u.email.toLowerCase() === l);
  }

  createSession(userId: string, nowMs: number, isPat = false): SessionRec {
    const s: SessionRec = { id: newId(), token: newId(), userId, csrf: newId(), createAt: nowMs, isPat };
    this.sessions.set(s.token, s);
    return s;
  }

  /** Sessions made by logging in (not personal access tokens): a journey that logs out leaves none. */
  loginSessions(): number {
    return [...this.sessions.values()].filter((s) => !s.isPat).length;
  }

  /** A session token, or a personal access token (which gets a derived session, as the server does). */
  sessionByToken(token: string, nowMs: number): SessionRec | undefined {
    const s = this.sessions.get(token);
    if (s) return s;
    const owner = [...this.users.values()].find((u) => u.tokens.includes(token));
    if (!owner) return undefined;
    // A token's session has no CSRF token (docs/browser-selectors.md, "Sessions without a password
    // form"): a cookie request without the X-CSRF-Token header matches its empty value.
    const derived: SessionRec = { id: newId(), token, userId: owner.id, csrf: '', createAt: nowMs, isPat: true };
    this.sessions.set(token, derived);
    return derived;
  }

  revokeSession(token: string): void {
    this.sessions.delete(token);
  }

  // ---- teams and channels

  teamByName(name: string): TeamRec | undefined {
    return [...this.teams.values()].find((t) => t.name === name);
  }

  channelByName(teamId: string, name: string): ChannelRec | undefined {
    return [...this.channels.values()].find((c) => c.teamId === teamId && c.name === name);
  }

  channelsOfTeam(teamId: string): ChannelRec[] {
    return [...this.channels.values()].filter((c) => c.teamId === teamId);
  }

  teamsOfUser(userId: string): TeamRec[] {
    return [...this.teams.values()].filter((t) => t.memberIds.has(userId));
  }

  /** Channel members are the team's members: scenarios have no per-channel membership. */
  canReadChannel(user: UserRec, ch: ChannelRec): boolean {
    return this.teams.get(ch.teamId)?.memberIds.has(user.id) === true || isSystemAdmin(user);
  }

  // ---- posts and files

  createPost(p: { channelId: string; userId: string; message: string; rootId?: string; props?: Record<string, unknown>; fileIds?: readonly string[] }, nowMs: number, viaApi = true): PostRec {
    const id = newId();
    // `attachFilesToPost`: only the poster's own, unattached files of the same channel stick; the
    // post's file_ids is rewritten to what was actually attached.
    const attached = (p.fileIds ?? []).filter((fid) => {
      const f = this.files.get(fid);
      return f !== undefined && f.deleteAt === 0 && f.postId === '' && f.userId === p.userId && f.channelId === p.channelId;
    });
    for (const fid of attached) {
      const f = this.files.get(fid);
      if (f) {
        f.postId = id;
        f.updateAt = nowMs;
      }
    }
    const post: PostRec = {
      id,
      channelId: p.channelId,
      userId: p.userId,
      message: p.message,
      rootId: p.rootId ?? '',
      props: p.props ?? {},
      createAt: nowMs,
      updateAt: nowMs,
      deleteAt: 0,
      fileIds: [...new Set(attached)],
      viaApi,
    };
    this.posts.set(id, post);
    const ch = this.channels.get(p.channelId);
    if (ch) {
      ch.lastPostAt = nowMs;
      ch.totalMsgCount += 1;
    }
    return post;
  }

  /** Soft delete, as the server does; the post's files are marked deleted with it. */
  deletePost(post: PostRec, nowMs: number): void {
    post.deleteAt = nowMs;
    post.updateAt = nowMs;
    for (const fid of post.fileIds) {
      const f = this.files.get(fid);
      if (f) {
        f.deleteAt = nowMs;
        f.updateAt = nowMs;
      }
    }
    for (const reply of this.posts.values()) if (reply.rootId === post.id && reply.deleteAt === 0) this.deletePost(reply, nowMs);
  }

  filesOfPost(post: PostRec): FileRec[] {
    return post.fileIds.map((id) => this.files.get(id)).filter((f): f is FileRec => f !== undefined && f.deleteAt === 0);
  }

  createFile(f: { userId: string; channelId: string; name: string; data: Buffer }, nowMs: number): FileRec {
    const meta = fileMeta(f.name, f.data);
    const rec: FileRec = { id: newId(), userId: f.userId, channelId: f.channelId, name: f.name, ...meta, size: f.data.length, createAt: nowMs, updateAt: nowMs, deleteAt: 0, postId: '', data: f.data, viaApi: true };
    this.files.set(rec.id, rec);
    return rec;
  }

  // ---- webhooks

  addHook(h: Omit<HookRec, 'id' | 'createAt'>, nowMs: number, id?: string): HookRec {
    // Scenarios give an id when a test needs to know the hook URL in advance.
    const rec: HookRec = { ...h, id: id ?? newId(), createAt: nowMs };
    this.hooks.set(rec.id, rec);
    return rec;
  }

  // ---- bookkeeping for tests

  leftovers(): { posts: number; files: number } {
    return {
      posts: [...this.posts.values()].filter((p) => p.viaApi && p.deleteAt === 0).length,
      files: [...this.files.values()].filter((f) => f.viaApi && f.deleteAt === 0).length,
    };
  }

  counts(): { users: number; teams: number; channels: number; posts: number } {
    return { users: this.users.size, teams: this.teams.size, channels: this.channels.size, posts: [...this.posts.values()].filter((p) => p.deleteAt === 0).length };
  }
}

export const isSystemAdmin = (u: UserRec | undefined): boolean => u?.roles.split(/\s+/).includes('system_admin') === true;
