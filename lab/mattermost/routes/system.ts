/**
 * System endpoints: ping (the operator's probes and every health gate), client config and licence
 * (how clients learn the version without a session), applied schema migrations.
 */
import { AppError, header, invalidParam, json, sortedObject } from '../http.js';
import type { Route, RouteContext } from '../router.js';
import { requireAdmin } from '../router.js';
import { isSystemAdmin } from '../store.js';
import { sanitizeConfig } from '../config.js';

const OK = 'OK';
const UNHEALTHY = 'UNHEALTHY';

/** `getSystemPing` (api4/system.go): the server status map, 500 when unhealthy unless REST semantics are asked for. */
function ping(ctx: RouteContext) {
  const h = ctx.pod.conf.health;
  const q = ctx.url.searchParams;
  const s: Record<string, unknown> = {
    status: OK,
    AndroidLatestVersion: '',
    AndroidMinVersion: '',
    IosLatestVersion: '',
    IosMinVersion: '',
  };
  const headers: Record<string, string> = {};
  if (h.goroutinesUnhealthy) {
    ctx.log('warn', 'The number of running goroutines is over the health threshold', 'api4/system.go:172', [['goroutines', 30412], ['health_threshold', 30000]]);
    s.status = UNHEALTHY;
  }
  if (q.get('get_server_status') === 'true') {
    s.database_status = h.database ? OK : UNHEALTHY;
    s.filestore_status = h.filestore ? OK : UNHEALTHY;
    if (!h.database) {
      ctx.log('warn', 'Unable to write to database.', 'api4/system.go:186', [['error', 'dial tcp 10.96.0.20:5432: connect: connection refused']]);
      s.status = UNHEALTHY;
    }
    if (!h.filestore) {
      ctx.log('warn', 'Unable to test filestore connection.', 'api4/system.go:205', [['error', 'unable to connect to the S3 bucket']]);
      s.status = UNHEALTHY;
    }
    // Set with w.Header().Set(key): Go canonicalises `database_status` to `Database_status`.
    headers.Status = String(s.status);
    headers.Database_status = String(s.database_status);
    headers.Filestore_status = String(s.filestore_status);
    if (isSystemAdmin(ctx.user)) s.root_status = false;
  }
  if (q.get('device_id')) s.CanReceiveNotifications = 'unknown';
  s.ActiveSearchBackend = 'database';
  const status = s.status !== OK && q.get('use_rest_semantics') !== 'true' ? 500 : 200;
  return json(status, sortedObject(s), headers);
}

/** `GenerateLimitedClientConfig` plus, with a session, a part of `GenerateClientConfig`. All values are strings. */
function clientConfig(ctx: RouteContext) {
  const format = ctx.url.searchParams.get('format');
  // v11 ignores `format`; older servers insist on `format=old` (Client4 always sends it).
  if (ctx.pod.majorVersion() < 11) {
    if (format === null || format === '')
      throw new AppError(
        'api.config.client.old_format.app_error',
        'New format for the client configuration is not supported yet. Please specify format=old in the query string.',
        501,
        'getClientConfig',
      );
    if (format !== 'old') throw invalidParam('format');
  }
  const c = ctx.pod.conf;
  const b = ctx.pod.build();
  const bh = ctx.world.behaviour;
  const limited: Record<string, string> = {
    AboutLink: 'https://mattermost.com/pl/about-mattermost',
    AndroidAppDownloadLink: 'https://mattermost.com/pl/android-app/',
    AppDownloadLink: 'https://mattermost.com/pl/download-apps',
    BuildDate: b.date,
    BuildEnterpriseReady: 'true',
    BuildHash: b.hash,
    BuildHashEnterprise: b.hashEnterprise,
    BuildNumber: c.buildNumber,
    CustomBrandText: '',
    CustomDescriptionText: '',
    DefaultClientLocale: 'en',
    DiagnosticId: 'mmgatelabdiagnosticid00000',
    EnableCustomBrand: 'false',
    EnableLdap: 'false',
    EnableMultifactorAuthentication: 'false',
    EnableSaml: 'false',
    EnableSignInWithEmail: 'true',
    EnableSignInWithUsername: 'true',
    EnableSignUpWithEmail: 'true',
    EnableUserCreation: 'true',
    EnforceMultifactorAuthentication: 'false',
    HelpLink: 'https://mattermost.com/pl/help/',
    IosAppDownloadLink: 'https://mattermost.com/pl/ios-app/',
    NoAccounts: 'false',
    PasswordMinimumLength: '8',
    PluginsEnabled: 'true',
    PrivacyPolicyLink: 'https://mattermost.com/pl/privacy-policy/',
    ReportAProblemLink: 'https://mattermost.com/pl/report-a-bug',
    ServiceEnvironment: 'production',
    SiteName: ctx.world.siteName,
    SiteURL: `http://${header(ctx.req, 'host') ?? 'localhost:8065'}`,
    SupportEmail: '',
    TelemetryId: 'mmgatelabtelemetryid000000',
    TermsOfServiceLink: 'https://mattermost.com/pl/terms-of-use/',
    Version: c.version,
    WebsocketPort: '80',
    WebsocketSecurePort: '443',
    WebsocketURL: '',
  };
  if (ctx.pod.majorVersion() >= 11) limited.IsFipsEnabled = 'false';
  const full: Record<string, string> = ctx.user
    ? {
        CollapsedThreads: 'always_on',
        EnableCommands: 'true',
        EnableFileAttachments: String(!bh.uploadsDisabled),
        EnableIncomingWebhooks: String(bh.enableIncomingWebhooks),
        EnableOutgoingWebhooks: 'true',
        EnablePostUsernameOverride: 'false',
        EnableUserAccessTokens: 'true',
        ExperimentalEnablePostMetadata: 'true',
        MaxFileSize: String(MAX_FILE_SIZE),
        MaxPostSize: '16383',
        SchemaVersion: c.schemaVersion,
      }
    : {};
  return json(200, sortedObject({ ...limited, ...full }));
}

export const MAX_FILE_SIZE = 104857600;

/**
 * `getClientLicense`: the client licence map (all strings). A caller with read_license_information
 * (a system admin) gets it whole; anyone else the sanitized map, without Id, Name, Email,
 * IssuedAt, StartsAt, ExpiresAt and SkuName (utils/license.go GetClientLicense,
 * GetSanitizedClientLicense).
 */
function clientLicense(ctx: RouteContext) {
  const format = ctx.url.searchParams.get('format');
  if (format === null || format === '')
    throw new AppError(
      'api.license.client.old_format.app_error',
      'New format for the client license is not supported yet. Please specify format=old in the query string.',
      400,
      'getClientLicense',
    );
  if (format !== 'old') throw invalidParam('format');
  if (!ctx.pod.conf.licensed) return json(200, { IsLicensed: 'false' });
  const l = ctx.world.license;
  const features = ['Announcement', 'Compliance', 'CustomPermissionsSchemes', 'DataRetention', 'Elasticsearch', 'GuestAccounts', 'LDAP', 'LDAPGroups', 'MFA', 'MHPNS', 'MessageExport', 'OpenId', 'SAML'];
  const full: Record<string, string> = {
    IsLicensed: 'true',
    IsTrial: 'false',
    IsGovSku: 'false',
    Id: 'mmgatelablicenseid00000000',
    Name: 'Lab Admin',
    Email: 'licensing@example.com',
    Company: 'Example Corp',
    SkuName: `${l.sku[0]!.toUpperCase()}${l.sku.slice(1)}`,
    SkuShortName: l.sku,
    Users: String(l.users),
    Cluster: String(l.cluster),
    Metrics: String(l.metrics),
    IssuedAt: String(l.issuedAt),
    StartsAt: String(l.issuedAt),
    ExpiresAt: String(l.expiresAt),
    ...Object.fromEntries(features.map((f) => [f, 'true'])),
  };
  if (!isSystemAdmin(ctx.user)) for (const k of ['Id', 'Name', 'Email', 'IssuedAt', 'StartsAt', 'ExpiresAt', 'SkuName']) delete full[k];
  return json(200, sortedObject(full));
}

/** `getConfig` (manage_system): the configuration with secret settings replaced by model.FakeSetting (Config.Sanitize). */
function getConfig(ctx: RouteContext) {
  requireAdmin(ctx, 'manage_system');
  const config = sanitizeConfig(ctx.pod.conf.config);
  (config['TeamSettings'] as Record<string, unknown>)['SiteName'] = ctx.world.siteName;
  return json(200, config);
}

const ANALYTICS_NAMES = new Set(['standard', 'bot_post_counts_day', 'post_counts_day', 'user_counts_with_posts_day', 'extra_counts']);

/**
 * `getAnalytics` (`/analytics/old`): the standard rows of app/analytics.go, counted from the shared
 * database (live users, channels by type, posts not deleted). Other report names answer no rows.
 */
function analytics(ctx: RouteContext) {
  requireAdmin(ctx, 'get_analytics');
  const name = ctx.url.searchParams.get('name') || 'standard';
  if (!ANALYTICS_NAMES.has(name)) throw invalidParam('name');
  if (name !== 'standard') return json(200, []);
  const channels = [...ctx.store.channels.values()];
  const rows: Array<[string, number]> = [
    ['channel_open_count', channels.filter((c) => c.type === 'O').length],
    ['channel_private_count', channels.filter((c) => c.type === 'P').length],
    ['post_count', [...ctx.store.posts.values()].filter((p) => p.deleteAt === 0).length],
    ['unique_user_count', ctx.store.users.size],
    ['team_count', ctx.store.teams.size],
    ['total_websocket_connections', 0],
    ['total_master_db_connections', 10],
    ['total_read_db_connections', 0],
    ['daily_active_users', 0],
    ['monthly_active_users', 0],
    ['inactive_user_count', 0],
  ];
  return json(200, rows.map(([n, value]) => ({ name: n, value })));
}

/** `getAppliedSchemaMigrations`: one entry per applied morph migration, up to the pod's schema version. */
function schemaVersion(ctx: RouteContext) {
  requireAdmin(ctx, 'sysconsole_read_about_edition_and_license');
  const n = Number.parseInt(ctx.pod.conf.schemaVersion, 10);
  const count = Number.isFinite(n) && n > 0 ? Math.min(n, 1000) : 0;
  return json(200, Array.from({ length: count }, (_, i) => ({ version: i + 1, name: `migration_${String(i + 1).padStart(6, '0')}` })));
}

export const systemRoutes: Route[] = [
  { method: 'GET', path: '/api/v4/system/ping', handler: 'getSystemPing', kind: 'api', run: ping },
  { method: 'GET', path: '/api/v4/config/client', handler: 'getClientConfig', kind: 'api', run: clientConfig },
  { method: 'GET', path: '/api/v4/license/client', handler: 'getClientLicense', kind: 'api', run: clientLicense },
  { method: 'GET', path: '/api/v4/config', handler: 'getConfig', kind: 'api', session: true, run: getConfig },
  { method: 'GET', path: '/api/v4/analytics/old', handler: 'getAnalytics', kind: 'api', session: true, run: analytics },
  { method: 'GET', path: '/api/v4/system/schema/version', handler: 'getAppliedSchemaMigrations', kind: 'api', session: true, run: schemaVersion },
];
