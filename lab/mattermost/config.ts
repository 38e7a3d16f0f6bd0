/**
 * The simulated server's configuration, as `GET /api/v4/config` serves it: a small but real-shaped
 * `model.Config` (the sections and types of the OpenAPI Config schema, plus the settings an
 * upgrade gate watches), with secret settings replaced by model.FakeSetting as Mattermost's
 * Config.Sanitize does. Scenarios change it with merge patches (`config:` on a pod or in
 * `defaults`), and the lab's simulated upgrade can change it too (lab/operator.ts).
 */
import { FAKE_SETTING } from '../../core/identity.js';

export function defaultConfig(siteName: string): Record<string, unknown> {
  return {
    ServiceSettings: {
      SiteURL: 'https://chat.example.com', ListenAddress: ':8065', ConnectionSecurity: '', ReadTimeout: 300, WriteTimeout: 300,
      MaximumLoginAttempts: 10, GoogleDeveloperKey: '', EnableIncomingWebhooks: true, EnableOutgoingWebhooks: true,
      EnableCommands: true, EnablePostUsernameOverride: false, EnableUserAccessTokens: true, EnableLinkPreviews: true,
    },
    TeamSettings: { SiteName: siteName, MaxUsersPerTeam: 50, EnableUserCreation: true, RestrictCreationToDomains: '' },
    SqlSettings: { DriverName: 'postgres', DataSource: 'postgres://mmuser:lab-db-password@mm-postgres:5432/mattermost?sslmode=disable', MaxIdleConns: 20, MaxOpenConns: 300, Trace: false, AtRestEncryptKey: 'lab-at-rest-encrypt-key-000000000' },
    LogSettings: { EnableConsole: true, ConsoleLevel: 'INFO', EnableFile: true, FileLevel: 'INFO', FileLocation: '', EnableWebhookDebugging: true, EnableDiagnostics: true },
    PasswordSettings: { MinimumLength: 8, Lowercase: false, Number: false, Uppercase: false, Symbol: false },
    FileSettings: { MaxFileSize: 104857600, DriverName: 'amazons3', Directory: './data/', EnablePublicLink: false, PublicLinkSalt: 'lab-public-link-salt-000000000000', AmazonS3AccessKeyId: 'AKIALABACCESSKEY0000', AmazonS3SecretAccessKey: 'lab-s3-secret', AmazonS3Bucket: 'mattermost-files', AmazonS3Region: 'eu-west-1', AmazonS3Endpoint: 's3.amazonaws.com', AmazonS3SSL: true },
    EmailSettings: { EnableSignUpWithEmail: true, EnableSignInWithEmail: true, EnableSignInWithUsername: true, SendEmailNotifications: true, RequireEmailVerification: false, SMTPServer: 'smtp.example.com', SMTPPort: '587', SMTPUsername: 'mattermost', SMTPPassword: 'lab-smtp-password' },
    GitLabSettings: { Enable: false, Secret: '', Id: '' },
    GoogleSettings: { Enable: false, Secret: '', Id: '' },
    Office365Settings: { Enable: false, Secret: '', Id: '' },
    OpenIdSettings: { Enable: false, Secret: '', Id: '' },
    LdapSettings: { Enable: false, LdapServer: '', BindPassword: '' },
    SamlSettings: { Enable: false, Verify: true, Encrypt: true },
    ClusterSettings: { Enable: true, InterNodeListenAddress: ':8075', InterNodeUrls: [] },
    MetricsSettings: { Enable: true, BlockProfileRate: 0, ListenAddress: ':8067' },
    PluginSettings: { Enable: true, EnableUploads: false, PluginStates: {} },
  };
}

/** Secret settings as Config.Sanitize leaves them: model.FakeSetting in place of the value. */
const SANITIZED: readonly (readonly [string, string])[] = [
  ['SqlSettings', 'DataSource'], ['SqlSettings', 'AtRestEncryptKey'], ['FileSettings', 'PublicLinkSalt'],
  ['FileSettings', 'AmazonS3SecretAccessKey'], ['EmailSettings', 'SMTPPassword'], ['GitLabSettings', 'Secret'],
  ['GoogleSettings', 'Secret'], ['Office365Settings', 'Secret'], ['OpenIdSettings', 'Secret'], ['LdapSettings', 'BindPassword'],
];

export function sanitizeConfig(config: Record<string, unknown>): Record<string, unknown> {
  const out = structuredClone(config);
  for (const [section, key] of SANITIZED) {
    const s = out[section] as Record<string, unknown> | undefined;
    if (s && typeof s[key] === 'string' && s[key] !== '') s[key] = FAKE_SETTING;
  }
  return out;
}
