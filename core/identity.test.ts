import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { licenseFrom } from '../collectors/mattermost/identity.js';
import { FAKE_SETTING, MASKED, dataSourceHost, diffSettings, flattenConfig, pathMatches } from './identity.js';

describe('identity: masking the effective configuration', () => {
  const { settings, masked } = flattenConfig({
    EmailSettings: { SMTPServer: 'smtp.example.com', SMTPPassword: 'hunter2', EnableSignInWithEmail: true },
    SqlSettings: { DataSource: 'postgres://mmuser:hunter2@db-a:5432/mattermost?sslmode=disable', DataSourceReplicas: ['postgres://ro:hunter2@db-r:5432/mattermost'], AtRestEncryptKey: FAKE_SETTING },
    FileSettings: { AmazonS3SecretAccessKey: 'AWSSECRET', AmazonS3AccessKeyId: 'AKIAEXAMPLE', DriverName: 'amazons3' },
    GitLabSettings: { Secret: '', Enable: false },
    ServiceSettings: { GoogleDeveloperKey: 'AIzaExample', SiteURL: 'https://chat.example.com', EnableUserAccessTokens: true },
  });
  it('masks secrets by key and reduces data sources to their host; no secret survives', () => {
    assert.equal(settings['EmailSettings.SMTPPassword'], MASKED);
    assert.equal(settings['FileSettings.AmazonS3SecretAccessKey'], MASKED);
    assert.equal(settings['FileSettings.AmazonS3AccessKeyId'], MASKED);
    assert.equal(settings['ServiceSettings.GoogleDeveloperKey'], MASKED);
    assert.equal(settings['SqlSettings.AtRestEncryptKey'], FAKE_SETTING, 'Mattermost\'s own mask is kept as it came');
    assert.equal(settings['SqlSettings.DataSource'], 'postgres://db-a:5432/mattermost');
    assert.equal(settings['SqlSettings.DataSourceReplicas'], '["postgres://db-r:5432/mattermost"]');
    assert.doesNotMatch(JSON.stringify(settings), /hunter2|AWSSECRET|AKIAEXAMPLE|AIzaExample|mmuser/);
    assert.deepEqual([...masked].sort(), ['EmailSettings.SMTPPassword', 'FileSettings.AmazonS3AccessKeyId', 'FileSettings.AmazonS3SecretAccessKey', 'ServiceSettings.GoogleDeveloperKey', 'SqlSettings.AtRestEncryptKey', 'SqlSettings.DataSource', 'SqlSettings.DataSourceReplicas']);
  });
  it('keeps what is not secret: booleans, empty values, hosts and URLs', () => {
    assert.equal(settings['EmailSettings.SMTPServer'], 'smtp.example.com');
    assert.equal(settings['ServiceSettings.EnableUserAccessTokens'], true);
    assert.equal(settings['GitLabSettings.Secret'], '');
    assert.equal(settings['ServiceSettings.SiteURL'], 'https://chat.example.com');
  });
  it('a MySQL DSN keeps only what follows the credentials', () => {
    assert.equal(dataSourceHost('mmuser:hunter2@tcp(db:3306)/mattermost?charset=utf8mb4'), 'tcp(db:3306)/mattermost');
    assert.equal(dataSourceHost('host=db user=mm password=p@ss dbname=mattermost'), MASKED, 'a key=value DSN is masked whole');
  });
  it('masks every secret Mattermost\'s Sanitize masks, plugin encryption keys, and credentials in URLs', () => {
    const f = flattenConfig({
      LdapSettings: { BindPassword: 'ldap-pw-1' },
      FileSettings: { PublicLinkSalt: 'salt-2' },
      ServiceSettings: { SplitKey: 'split-3', GiphySdkKey: 'giphy-4' },
      CacheSettings: { RedisPassword: 'redis-5', RedisAddress: 'redis://default:redis-6@cache:6379' },
      ElasticsearchSettings: { Password: 'es-7', ConnectionURL: 'https://elastic:es-8@search:9200', Username: 'elastic' },
      OpenIdSettings: { Secret: 'oidc-9' },
      MessageExportSettings: { GlobalRelaySettings: { SMTPPassword: 'relay-10' } },
      ImageProxySettings: { RemoteImageProxyOptions: 'camo-11' },
      SqlSettings: { DataSourceSearchReplicas: ['postgres://s:dsn-12@db-s/mm'], ReplicaLagSettings: [{ DataSource: 'postgres://l:dsn-13@db-l/mm', QueryTimeLag: 'q' }] },
      PluginSettings: { Plugins: { github: { EncryptionKey: 'enc-14', WebhookSecret: 'hook-15' }, jira: { AtRestEncryptionKey: 'enc-16' } } },
    });
    const text = JSON.stringify(f.settings);
    assert.doesNotMatch(text, /ldap-pw-1|salt-2|split-3|giphy-4|redis-5|redis-6|es-7|es-8|oidc-9|relay-10|camo-11|dsn-12|dsn-13|enc-14|hook-15|enc-16/);
    assert.equal(f.settings['ElasticsearchSettings.ConnectionURL'], 'https://search:9200', 'the userinfo is stripped, the host kept');
    assert.equal(f.settings['CacheSettings.RedisAddress'], 'redis://cache:6379');
    assert.equal(f.settings['PluginSettings.Plugins.github.EncryptionKey'], MASKED);
    assert.equal(f.settings['SqlSettings.ReplicaLagSettings'], '[{"DataSource":"postgres://db-l/mm","QueryTimeLag":"q"}]');
    assert.equal(f.settings['ElasticsearchSettings.Username'], 'elastic', 'a user name alone is no secret');
    assert.ok(f.masked.includes('ElasticsearchSettings.ConnectionURL') && f.masked.includes('SqlSettings.ReplicaLagSettings'));
  });
  it('diffs by dotted path, and Section.* patterns match a whole section', () => {
    assert.deepEqual(diffSettings({ 'A.x': 1, 'A.y': true }, { 'A.x': 2, 'B.z': 'new' }), [
      { path: 'A.x', before: 1, after: 2 }, { path: 'A.y', before: true }, { path: 'B.z', after: 'new' },
    ]);
    assert.equal(pathMatches('ClusterSettings.Enable', 'ClusterSettings.*'), true);
    assert.equal(pathMatches('ClusterSettingsX.Enable', 'ClusterSettings.*'), false);
  });
});

describe('identity: the client licence', () => {
  it('keeps the fields a gate needs and drops the customer\'s details', () => {
    const l = licenseFrom({ IsLicensed: 'true', SkuShortName: 'enterprise', Users: '500', Cluster: 'true', Metrics: 'false', ExpiresAt: '1798761600000', Name: 'Jane Admin', Email: 'jane@example.com', Company: 'Example Corp', Id: 'x' }, 'https://chat.example.com');
    assert.deepEqual(l, { url: 'https://chat.example.com', isLicensed: true, sanitized: false, skuShortName: 'enterprise', cluster: true, metrics: false, expiresAt: '2027-01-01T00:00:00.000Z', users: 500 });
  });
  it('the sanitized licence (no ExpiresAt) says so; an unlicensed server is just that', () => {
    assert.equal(licenseFrom({ IsLicensed: 'true', Cluster: 'true' }, 'u').sanitized, true);
    assert.deepEqual(licenseFrom({ IsLicensed: 'false' }, 'u'), { url: 'u', isLicensed: false, sanitized: false });
  });
  it('a body that is no licence map is a bad response', () => {
    assert.throws(() => licenseFrom([], 'u'), /did not answer a map/);
    assert.throws(() => licenseFrom({ Cluster: 'true' }, 'u'), /no IsLicensed/);
  });
});
