/**
 * Records of the simulated database and their JSON forms on the wire. The JSON builders follow
 * the real server's field names (checked against `@mattermost/types`, whose types they are
 * annotated with, so a misspelt key fails the build).
 */
import { createHash, randomBytes } from 'node:crypto';
import type { UserProfile } from '@mattermost/types/users';
import type { Team } from '@mattermost/types/teams';
import type { ServerChannel } from '@mattermost/types/channels';
import type { Post } from '@mattermost/types/posts';
import type { FileInfo } from '@mattermost/types/files';
import type { IncomingWebhook } from '@mattermost/types/integrations';

/** Mattermost's base32 alphabet (`model.NewId`, utils.go). */
const ID_ALPHABET = 'ybndrfg8ejkmcpqxot1uwisza345h769';

/** A 26-character id the way `model.NewId` makes one: 16 random bytes in Mattermost's base32. */
export function newId(): string {
  const bytes = randomBytes(16);
  let bits = 0;
  let value = 0;
  let out = '';
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += ID_ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += ID_ALPHABET[(value << (5 - bits)) & 31];
  return out.slice(0, 26);
}

export const isValidId = (s: string | undefined): s is string => typeof s === 'string' && /^[a-z0-9]{26}$/.test(s);

export const md5 = (s: string): string => createHash('md5').update(s).digest('hex');
export const sha1 = (s: string): string => createHash('sha1').update(s).digest('hex');

export interface UserRec {
  readonly id: string;
  readonly username: string;
  readonly email: string;
  readonly password: string | undefined;
  readonly roles: string;
  readonly tokens: readonly string[];
  readonly createAt: number;
}

export interface TeamRec {
  readonly id: string;
  readonly name: string;
  readonly displayName: string;
  readonly createAt: number;
  readonly memberIds: Set<string>;
}

export interface ChannelRec {
  readonly id: string;
  readonly teamId: string;
  readonly name: string;
  readonly displayName: string;
  readonly type: 'O' | 'P';
  readonly createAt: number;
  readonly creatorId: string;
  lastPostAt: number;
  totalMsgCount: number;
}

export interface PostRec {
  readonly id: string;
  readonly channelId: string;
  readonly userId: string;
  readonly message: string;
  readonly rootId: string;
  readonly props: Record<string, unknown>;
  readonly createAt: number;
  updateAt: number;
  deleteAt: number;
  fileIds: string[];
  /** Created through the API (or a webhook) rather than seeded: counted by smokeLeftovers(). */
  readonly viaApi: boolean;
}

export interface FileRec {
  readonly id: string;
  readonly userId: string;
  readonly channelId: string;
  readonly name: string;
  readonly extension: string;
  readonly mimeType: string;
  readonly size: number;
  readonly width: number;
  readonly height: number;
  readonly createAt: number;
  readonly data: Buffer;
  postId: string;
  updateAt: number;
  deleteAt: number;
  readonly viaApi: boolean;
}

export interface HookRec {
  readonly id: string;
  readonly channelId: string;
  readonly teamId: string;
  readonly userId: string;
  readonly displayName: string;
  readonly description: string;
  readonly username: string;
  readonly iconUrl: string;
  readonly createAt: number;
}

export interface SessionRec {
  readonly id: string;
  readonly token: string;
  readonly userId: string;
  readonly csrf: string;
  readonly createAt: number;
  /** A session derived from a personal access token (never expires, logout only drops the derived session). */
  readonly isPat: boolean;
}

/**
 * A user as the server sends it after `Sanitize` (no password, no mfa secret). `timezone` is left
 * out on purpose: the real server sends `useAutomaticTimezone` as the string "true" where the
 * spec says boolean, and nothing in mmgate reads it.
 */
export function userJson(u: UserRec): Partial<UserProfile> {
  return {
    id: u.id,
    create_at: u.createAt,
    update_at: u.createAt,
    delete_at: 0,
    username: u.username,
    auth_data: '',
    auth_service: '',
    email: u.email,
    nickname: '',
    first_name: '',
    last_name: '',
    position: '',
    roles: u.roles,
    props: {},
    notify_props: {
      channel: 'true',
      comments: 'never',
      desktop: 'mention',
      desktop_sound: 'true',
      email: 'true',
      first_name: 'false',
      mention_keys: '',
      push: 'mention',
      push_status: 'away',
    } as UserProfile['notify_props'],
    last_password_update: u.createAt,
    last_picture_update: 0,
    locale: 'en',
    mfa_active: false,
    failed_attempts: 0,
  };
}

/** `policy_id` is left out: the server sends null where the spec types it as a plain string. */
export function teamJson(t: TeamRec): Partial<Team> {
  return {
    id: t.id,
    create_at: t.createAt,
    update_at: t.createAt,
    delete_at: 0,
    display_name: t.displayName,
    name: t.name,
    description: '',
    email: '',
    type: 'O',
    company_name: '',
    allowed_domains: '',
    invite_id: md5(`invite-${t.id}`).slice(0, 26),
    allow_open_invite: false,
    group_constrained: false,
  };
}

/** Every field optional and nullable: the server sends Go nil pointers as null. */
type Wire<T> = { [K in keyof T]?: T[K] | null };

export function channelJson(c: ChannelRec): Wire<ServerChannel> & { extra_update_at: number } {
  return {
    id: c.id,
    create_at: c.createAt,
    update_at: c.createAt,
    delete_at: 0,
    team_id: c.teamId,
    type: c.type,
    display_name: c.displayName,
    name: c.name,
    header: '',
    purpose: '',
    last_post_at: c.lastPostAt,
    total_msg_count: c.totalMsgCount,
    extra_update_at: 0,
    creator_id: c.creatorId,
    scheme_id: null,
    props: null,
    group_constrained: null,
    shared: null,
    total_msg_count_root: c.totalMsgCount,
    policy_id: null,
    last_root_post_at: c.lastPostAt,
  };
}

export function fileInfoJson(f: FileRec): Partial<FileInfo> {
  return {
    id: f.id,
    user_id: f.userId,
    post_id: f.postId,
    channel_id: f.channelId,
    create_at: f.createAt,
    update_at: f.updateAt,
    delete_at: f.deleteAt,
    name: f.name,
    extension: f.extension,
    size: f.size,
    mime_type: f.mimeType,
    width: f.width,
    height: f.height,
    has_preview_image: f.mimeType.startsWith('image/'),
    archived: false,
  };
}

export function postJson(p: PostRec, files: readonly FileRec[]): Partial<Post> {
  const post: Partial<Post> = {
    id: p.id,
    create_at: p.createAt,
    update_at: p.updateAt,
    edit_at: 0,
    delete_at: p.deleteAt,
    is_pinned: false,
    user_id: p.userId,
    channel_id: p.channelId,
    root_id: p.rootId,
    original_id: '',
    message: p.message,
    type: '' as Post['type'],
    props: p.props,
    hashtags: '',
    pending_post_id: '',
    reply_count: 0,
    last_reply_at: 0,
    participants: null,
    metadata: files.length > 0 ? ({ files: files.map(fileInfoJson) } as Post['metadata']) : ({} as Post['metadata']),
  };
  if (p.fileIds.length > 0) post.file_ids = [...p.fileIds];
  return post;
}

export function hookJson(h: HookRec): IncomingWebhook {
  return {
    id: h.id,
    create_at: h.createAt,
    update_at: h.createAt,
    delete_at: 0,
    last_used: 0,
    user_id: h.userId,
    channel_id: h.channelId,
    team_id: h.teamId,
    display_name: h.displayName,
    description: h.description,
    username: h.username,
    icon_url: h.iconUrl,
    channel_locked: false,
  };
}

/** Mime types the way Go's `mime.TypeByExtension` answers for the common cases. */
const MIME: Record<string, string> = {
  txt: 'text/plain; charset=utf-8',
  md: 'text/markdown; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  json: 'application/json',
  pdf: 'application/pdf',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  zip: 'application/zip',
};

export function fileMeta(name: string, data: Buffer): { extension: string; mimeType: string; width: number; height: number } {
  const dot = name.lastIndexOf('.');
  const extension = dot >= 0 ? name.slice(dot + 1).toLowerCase() : '';
  const mimeType = MIME[extension] ?? '';
  // PNG keeps its size in the IHDR chunk at a fixed offset; enough for the width/height fields.
  const isPng = data.length >= 24 && data.readUInt32BE(0) === 0x89504e47;
  return { extension, mimeType, width: isPng ? data.readUInt32BE(16) : 0, height: isPng ? data.readUInt32BE(20) : 0 };
}
