/**
 * The scenario file format of the Mattermost simulator (`mattermost.yaml` in a lab scenario).
 * One spec describes one Mattermost installation: the shared database (users, teams, channels,
 * webhooks) and one simulated server per Mattermost pod. Validated with zod so a typo in a
 * scenario fails at load time with a path, not as a confusing 404 in the middle of a test.
 */
import { z } from 'zod';
import { parse as parseYaml } from 'yaml';

export type PluginState = 0 | 1 | 2 | 3 | 4 | 5;

export interface PluginSpec {
  id: string;
  name?: string;
  version: string;
  /** Mattermost's ints: 0 NotRunning, 1 Starting, 2 Running, 3 FailedToStart, 4 FailedToStayRunning, 5 Stopping. */
  state: PluginState;
  error?: string;
}

export interface LogLineSpec {
  level: string;
  msg: string;
  /** ISO timestamp, or relative to the pod's creation like '-5m', '-30s', '-2h'. Default: the pod's start. */
  at?: string;
  [field: string]: unknown;
}

export interface PodServerSpec {
  version: string;
  /** Default: the version. Real builds can use `dev` or a CI number here. */
  buildNumber?: string;
  /** Default: md5 of a fixed string, the same on every pod (pods of one installation share one config). */
  configHash?: string;
  /** Default: a number derived from the version, monotonic in it (the morph migration count). */
  schemaVersion?: string;
  /** Default true. Unlicensed servers have no cluster, no HA status and no Mattermost metrics. */
  licensed?: boolean;
  /** Default true; the front door skips unready pods. */
  ready?: boolean;
  health?: { database?: boolean; filestore?: boolean; goroutinesUnhealthy?: boolean };
  plugins?: PluginSpec[];
  /** Extra log lines; the server also writes its own lines at start and per request. */
  logs?: LogLineSpec[];
  hostname?: string;
  ip?: string;
  /** Merge patch (RFC 7386) on the server's configuration (GET /api/v4/config). */
  config?: Record<string, unknown>;
  /** The metrics listener on 8067: on (default); not-found: /metrics answers 404 (no licence with metrics); off: nothing listens (MetricsSettings.Enable=false). */
  metrics?: 'on' | 'not-found' | 'off';
  /** Faults the metrics checks must catch, on this pod's API handlers. */
  faults?: PodFaults;
  /** This server refuses every login (a broken build on one blue/green colour or the canary). */
  loginRefused?: boolean;
  /** Servers with the same value list each other in cluster/status (default: one cluster). */
  cluster?: string;
}

export interface PodFaults {
  /** Handlers the faults apply to (mattermost_api_time's handler label); default all. */
  handlers?: string[];
  /** Every request takes this many times its usual time (the server really answers later). */
  latencyFactor?: number;
  /** This share of requests answers 500, deterministically (every 1/ratio-th request). */
  errorRatio?: number;
}

/** The installation's licence (pods with `licensed: false` have none). */
export interface LicenseSpec {
  /** Default enterprise. */
  sku?: string;
  /** Licensed seats, default 1000. */
  users?: number;
  /** Default true. */
  cluster?: boolean;
  metrics?: boolean;
  /** When it expires, relative to the lab's start ('365d' by default, '7d', '-1d' for expired). */
  expiresIn?: string;
}

export interface UserSpec {
  username: string;
  email?: string;
  /** Absent: the user cannot log in with a password (personal access tokens still work). */
  password?: string;
  /** Personal access tokens. */
  tokens?: string[];
  /** Space-separated, e.g. 'system_user system_admin'. Default 'system_user'. */
  roles?: string;
}

export interface ChannelSpec {
  name: string;
  displayName?: string;
  type?: 'O' | 'P';
}

export interface TeamSpec {
  name: string;
  displayName?: string;
  /** town-square and off-topic are added when missing, as the real server does on team creation. */
  channels: ChannelSpec[];
  /** Usernames; default all users. */
  members?: string[];
}

export interface IncomingWebhookSpec {
  id?: string;
  team: string;
  channel: string;
  displayName?: string;
}

export interface BehaviourSpec {
  /** Every login answers 401. */
  loginRefused?: boolean;
  /** GET /files/{id} returns altered bytes. */
  corruptDownloads?: boolean;
  /** Default true. */
  enableIncomingWebhooks?: boolean;
  /** POST /files answers 501, as with FileSettings.EnableFileAttachments=false. */
  uploadsDisabled?: boolean;
  /** Which web app the pages imitate (login methods, landing page, locale, version differences). */
  webapp?: WebAppVariant;
}

/** Variants of the lab's web app: each a real configuration or version of Mattermost's (docs/browser-selectors.md). */
export interface WebAppVariant {
  /**
   * `password` (default): login id, password and button. `two-step`: the password field appears
   * after the first submit (EnableGuestMagicLink, 11.x). `sso-only`: SAML and OpenID buttons and no
   * form (email, username and AD/LDAP sign-in off).
   */
  login?: 'password' | 'two-step' | 'sso-only';
  /** Where a login lands: the first team's town-square (default), or /select_team. */
  landing?: 'channel' | 'select_team';
  /** The pages' language: `en` (default) or `de` (the button reads "Anmelden"). */
  locale?: 'en' | 'de';
  /** Recent builds' data-testid="post-message-text" on a post's text; false imitates an older web app. Default true. */
  postMessageTestId?: boolean;
  /** false: an upload succeeds but its preview never appears in the draft (a broken web app build). Default true. */
  uploadPreview?: boolean;
}

export interface MattermostSpec {
  siteName?: string;
  users: UserSpec[];
  teams: TeamSpec[];
  /** One entry per Mattermost pod of the scenario, keyed by pod name. */
  pods: Record<string, PodServerSpec>;
  /** Merged under each pod (health is merged key by key). */
  defaults?: Partial<PodServerSpec>;
  incomingWebhooks?: IncomingWebhookSpec[];
  behaviour?: BehaviourSpec;
  license?: LicenseSpec;
}

/** Mattermost ids: 26 characters of its base32 alphabet. */
const ID_RE = /^[a-z0-9]{26}$/;
const VERSION_RE = /^\d+\.\d+\.\d+/;
export const RELATIVE_TIME_RE = /^[-+]?\d+(?:ms|s|m|h|d)$/;

const pluginSchema = z.object({
  id: z.string().min(1),
  name: z.string().optional(),
  version: z.string().min(1),
  state: z.union([z.literal(0), z.literal(1), z.literal(2), z.literal(3), z.literal(4), z.literal(5)]),
  error: z.string().optional(),
});

const logLineSchema = z.looseObject({
  level: z.string().min(1),
  msg: z.string(),
  at: z
    .string()
    .refine((s) => RELATIVE_TIME_RE.test(s) || !Number.isNaN(Date.parse(s)), 'expected an ISO time or a relative one like -5m')
    .optional(),
});

const podFields = {
  version: z.string().regex(VERSION_RE, 'expected a version like 10.11.2'),
  buildNumber: z.string().min(1).optional(),
  configHash: z.string().min(1).optional(),
  schemaVersion: z.string().min(1).optional(),
  licensed: z.boolean().optional(),
  ready: z.boolean().optional(),
  health: z
    .object({ database: z.boolean().optional(), filestore: z.boolean().optional(), goroutinesUnhealthy: z.boolean().optional() })
    .strict()
    .optional(),
  plugins: z.array(pluginSchema).optional(),
  logs: z.array(logLineSchema).optional(),
  hostname: z.string().min(1).optional(),
  ip: z.string().min(1).optional(),
  config: z.record(z.string(), z.unknown()).optional(),
  metrics: z.enum(['on', 'not-found', 'off']).optional(),
  faults: z.object({
    handlers: z.array(z.string().min(1)).optional(),
    latencyFactor: z.number().min(1).optional(),
    errorRatio: z.number().gt(0).max(1).optional(),
  }).strict().optional(),
  loginRefused: z.boolean().optional(),
  cluster: z.string().min(1).optional(),
};

export const podServerSpecSchema: z.ZodType<PodServerSpec> = z.object(podFields).strict();
const partialPodSchema: z.ZodType<Partial<PodServerSpec>> = z.object(podFields).partial().strict();

export const mattermostSpecSchema: z.ZodType<MattermostSpec> = z
  .object({
    siteName: z.string().optional(),
    users: z.array(
      z
        .object({
          username: z.string().regex(/^[a-z0-9._-]+$/, 'usernames are lower-case letters, digits, . _ -'),
          email: z.email().optional(),
          password: z.string().min(1).optional(),
          tokens: z.array(z.string().min(1)).optional(),
          roles: z.string().optional(),
        })
        .strict(),
    ),
    teams: z.array(
      z
        .object({
          name: z.string().regex(/^[a-z0-9-]+$/, 'team names are lower-case letters, digits and -'),
          displayName: z.string().optional(),
          channels: z.array(
            z
              .object({
                name: z.string().regex(/^[a-z0-9_-]+$/, 'channel names are lower-case letters, digits, _ and -'),
                displayName: z.string().optional(),
                type: z.enum(['O', 'P']).optional(),
              })
              .strict(),
          ),
          members: z.array(z.string()).optional(),
        })
        .strict(),
    ),
    pods: z.record(z.string().min(1), podServerSpecSchema),
    defaults: partialPodSchema.optional(),
    incomingWebhooks: z
      .array(
        z
          .object({
            id: z.string().regex(ID_RE, 'webhook ids are 26 lower-case letters or digits').optional(),
            team: z.string(),
            channel: z.string(),
            displayName: z.string().optional(),
          })
          .strict(),
      )
      .optional(),
    license: z
      .object({
        sku: z.string().min(1).optional(),
        users: z.number().int().nonnegative().optional(),
        cluster: z.boolean().optional(),
        metrics: z.boolean().optional(),
        expiresIn: z.string().regex(/^-?\d+[smhd]$/, 'a duration like 365d, 7d or -1d').optional(),
      })
      .strict()
      .optional(),
    behaviour: z
      .object({
        loginRefused: z.boolean().optional(),
        corruptDownloads: z.boolean().optional(),
        enableIncomingWebhooks: z.boolean().optional(),
        uploadsDisabled: z.boolean().optional(),
        webapp: z.object({
          login: z.enum(['password', 'two-step', 'sso-only']).optional(),
          landing: z.enum(['channel', 'select_team']).optional(),
          locale: z.enum(['en', 'de']).optional(),
          postMessageTestId: z.boolean().optional(),
          uploadPreview: z.boolean().optional(),
        }).strict().optional(),
      })
      .strict()
      .optional(),
  })
  .strict()
  // Cross-references are checked here so the world can trust names without re-checking them.
  .superRefine((spec, ctx) => {
    const usernames = new Set<string>();
    spec.users.forEach((u, i) => {
      if (usernames.has(u.username)) ctx.addIssue({ code: 'custom', path: ['users', i, 'username'], message: `duplicate user ${u.username}` });
      usernames.add(u.username);
    });
    const teams = new Map<string, Set<string>>();
    spec.teams.forEach((t, i) => {
      if (teams.has(t.name)) ctx.addIssue({ code: 'custom', path: ['teams', i, 'name'], message: `duplicate team ${t.name}` });
      const channels = new Set<string>(['town-square', 'off-topic']);
      const seen = new Set<string>();
      t.channels.forEach((c, j) => {
        if (seen.has(c.name)) ctx.addIssue({ code: 'custom', path: ['teams', i, 'channels', j, 'name'], message: `duplicate channel ${c.name}` });
        seen.add(c.name);
        channels.add(c.name);
      });
      teams.set(t.name, channels);
      (t.members ?? []).forEach((m, j) => {
        if (!usernames.has(m)) ctx.addIssue({ code: 'custom', path: ['teams', i, 'members', j], message: `unknown user ${m}` });
      });
    });
    (spec.incomingWebhooks ?? []).forEach((h, i) => {
      const channels = teams.get(h.team);
      if (!channels) ctx.addIssue({ code: 'custom', path: ['incomingWebhooks', i, 'team'], message: `unknown team ${h.team}` });
      else if (!channels.has(h.channel)) ctx.addIssue({ code: 'custom', path: ['incomingWebhooks', i, 'channel'], message: `unknown channel ${h.team}/${h.channel}` });
    });
  });

/** Validates a parsed scenario; throws an Error listing every problem with its path. */
export function parseMattermostSpec(input: unknown): MattermostSpec {
  const r = mattermostSpecSchema.safeParse(input);
  if (!r.success) throw new Error(`invalid Mattermost scenario:\n${z.prettifyError(r.error)}`);
  return r.data;
}

/** Parses and validates the YAML text of a `mattermost.yaml`. */
export function parseMattermostYaml(text: string): MattermostSpec {
  return parseMattermostSpec(parseYaml(text));
}
