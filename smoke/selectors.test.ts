/**
 * The selector list's CSS and the known landing pages (the lab's pages are checked against the list
 * in lab/mattermost/web-selectors.test.ts).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LANDING_PAGES, sel } from './selectors.js';

describe('sel', () => {
  it('lists an element\'s id first, then its classes and its test id', () => {
    assert.equal(sel('submit'), '#saveSetting, [data-testid="saveSetting"]');
    assert.equal(sel('loginError'), '.AlertBanner.danger, [data-testid="login-body-card-banner"]');
    assert.equal(sel('filePreview'), '.file-preview__container');
    assert.equal(sel('fileInput'), 'input[type="file"]#fileUploadInput');
    assert.equal(sel('ssoButton'), 'a.external-login-button');
  });

  it('finds per-post elements by the post id, and any of them by the id prefix', () => {
    assert.equal(sel('post', 'abc123'), '#post_abc123');
    assert.equal(sel('postText', 'abc123'), '#postMessageText_abc123');
    assert.equal(sel('postText'), '[id^="postMessageText_"], .post-message__text');
  });
});

describe('LANDING_PAGES', () => {
  const lands = (path: string): boolean => LANDING_PAGES.some((p) => p.test(path));

  it('accepts where a login may land: a channel, a DM, the team root, /select_team, /preparing-workspace', () => {
    for (const p of ['/ops/channels/town-square', '/ops/messages/@alice', '/ops', '/ops/', '/select_team', '/preparing-workspace']) assert.ok(lands(p), p);
  });

  it('rejects the login page, the error page and other pages that are not a login\'s landing', () => {
    for (const p of ['/login', '/login/sso/saml', '/error', '/mfa/setup', '/should_verify_email', '/ops/pl/abc', '/admin_console/about']) assert.ok(!lands(p), p);
  });
});
