import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { MattermostCR } from '../../core/kube-types.js';
import { frontDoor } from './discover.js';

const cr = (spec: Record<string, unknown>, endpoint?: string): MattermostCR =>
  ({ metadata: { name: 'mm', namespace: 'mattermost' }, spec, ...(endpoint ? { status: { endpoint } } : {}) }) as MattermostCR;

describe('the front door mmgate init writes, from the custom resource', () => {
  it('a Mattermost resource: its ingress host, https when it names a TLS secret', () => {
    assert.equal(frontDoor(cr({ ingress: { host: 'chat.example.com', tlsSecret: 'chat-tls' } }), 'Mattermost'), 'https://chat.example.com');
    assert.equal(frontDoor(cr({ ingress: { host: 'chat.example.com' } }), 'Mattermost'), 'http://chat.example.com');
    assert.equal(frontDoor(cr({ ingressName: 'old.example.com' }), 'Mattermost'), 'http://old.example.com', 'the deprecated ingressName when ingress.host is absent');
  });
  it('a ClusterInstallation: ingressName, https with useIngressTLS', () => {
    assert.equal(frontDoor(cr({ ingressName: 'chat.example.com', useIngressTLS: true }), 'ClusterInstallation'), 'https://chat.example.com');
    assert.equal(frontDoor(cr({ ingress: { host: 'ignored.example.com' }, ingressName: 'chat.example.com' }), 'ClusterInstallation'), 'http://chat.example.com');
  });
  it('no host: status.endpoint (https unless it says otherwise); neither: none, so init asks for --url', () => {
    assert.equal(frontDoor(cr({}, 'chat.example.com'), 'Mattermost'), 'https://chat.example.com');
    assert.equal(frontDoor(cr({}, 'http://10.0.0.5:8065'), 'Mattermost'), 'http://10.0.0.5:8065');
    assert.equal(frontDoor(cr({}), 'Mattermost'), undefined);
  });
});
