/**
 * A tiny stand-in for the Mattermost web app, enough for browser journeys written against the
 * selectors of Mattermost's own Playwright page objects (e2e-tests/playwright): the login page and
 * a channel view that posts and uploads through the same API as the real webapp (session cookie
 * plus `X-Requested-With: XMLHttpRequest`). No dependencies, no build step: HTML and inline JS.
 */
import { text } from './http.js';
import type { SimResponse } from './http.js';
import type { Route, RouteContext } from './router.js';

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

const STYLE = `body{font-family:sans-serif;margin:0}#global-header{background:#1e325c;color:#fff;padding:8px}
.card{max-width:360px;margin:60px auto;display:flex;flex-direction:column;gap:12px}
.AlertBanner.danger{background:#fbe6e6;color:#a00;padding:8px}[hidden]{display:none!important}
#SidebarContainer{float:left;width:200px;padding:8px}#app-content{margin-left:216px;padding:8px}
.post{border-bottom:1px solid #eee;padding:6px 0}textarea{width:100%;min-height:48px}`;

function page(title: string, body: string, script: string, bodyAttrs = ''): SimResponse {
  const html = `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title><style>${STYLE}</style></head><body${bodyAttrs}>${body}<script>${script}</script></body></html>`;
  // The static handler's headers (web/static.go): never framed, revalidated on each load.
  return text(200, html, 'text/html; charset=utf-8', { 'Cache-Control': 'no-cache, max-age=31556926, public', 'X-Frame-Options': 'SAMEORIGIN' });
}

const redirect = (location: string): SimResponse => ({ status: 302, headers: { Location: location, 'Content-Type': 'text/html; charset=utf-8' }, body: Buffer.from(`<a href="${esc(location)}">Found</a>.\n`) });

const LOGIN_SCRIPT = `
const form = document.getElementById('login-form');
const banner = document.getElementById('login-error');
form.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  banner.hidden = true;
  const body = JSON.stringify({ login_id: document.getElementById('input_loginId').value, password: document.getElementById('input_password-input').value });
  const headers = { 'Content-Type': 'application/json', 'X-Requested-With': 'XMLHttpRequest' };
  const res = await fetch('/api/v4/users/login', { method: 'POST', headers, body, credentials: 'same-origin' });
  if (!res.ok) { banner.hidden = false; return; }
  const redirectTo = new URLSearchParams(location.search).get('redirect_to');
  if (redirectTo && redirectTo.startsWith('/') && !redirectTo.startsWith('//')) { location.assign(redirectTo); return; }
  const teams = await (await fetch('/api/v4/users/me/teams', { headers: { 'X-Requested-With': 'XMLHttpRequest' }, credentials: 'same-origin' })).json();
  location.assign(teams.length ? '/' + teams[0].name + '/channels/town-square' : '/select_team');
});`;

function loginPage(): SimResponse {
  return page(
    'Mattermost',
    `<div class="card" data-testid="login-body-card"><h1>Log in to your account</h1>
<div id="login-error" class="AlertBanner danger" role="alert" hidden>The email/username or password is invalid.</div>
<form id="login-form" class="card" style="margin:0">
<input id="input_loginId" name="loginId" type="text" placeholder="Email or Username" autocomplete="username">
<input id="input_password-input" name="password-input" type="password" placeholder="Password" autocomplete="current-password">
<button id="saveSetting" type="submit">Log in</button>
</form></div>`,
    LOGIN_SCRIPT,
  );
}

const CHANNEL_SCRIPT = `
const channelId = document.body.dataset.channelId;
const xhr = { 'X-Requested-With': 'XMLHttpRequest' };
const textbox = document.querySelector('[data-testid="post_textbox"]');
const list = document.getElementById('postListContent');
const previews = document.querySelector('[data-testid="file-preview-container"]');
const input = document.getElementById('fileUploadInput');
let pending = [];
const esc = (s) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
document.getElementById('fileUploadButton').addEventListener('click', () => input.click());
input.addEventListener('change', async () => {
  for (const file of input.files) {
    const fd = new FormData();
    fd.append('channel_id', channelId);
    fd.append('client_ids', 'web' + Date.now() + Math.random().toString(36).slice(2));
    fd.append('files', file, file.name);
    const res = await fetch('/api/v4/files', { method: 'POST', headers: xhr, body: fd, credentials: 'same-origin' });
    if (!res.ok) continue;
    const info = (await res.json()).file_infos[0];
    pending.push(info.id);
    previews.hidden = false;
    previews.insertAdjacentHTML('beforeend', '<div data-testid="file-preview-item" class="file-preview"><span data-testid="post-image-details">' + esc(info.name) + '</span></div>');
  }
  input.value = '';
});
async function send() {
  const message = textbox.value;
  if (!message.trim() && pending.length === 0) return;
  const res = await fetch('/api/v4/posts', { method: 'POST', headers: { ...xhr, 'Content-Type': 'application/json' }, credentials: 'same-origin', body: JSON.stringify({ channel_id: channelId, message, file_ids: pending }) });
  if (!res.ok) return;
  const post = await res.json();
  const files = (post.metadata && post.metadata.files || []).map((f) => '<div class="post-image__name">' + esc(f.name) + '</div>').join('');
  list.insertAdjacentHTML('beforeend', '<div data-testid="postView" id="post_' + post.id + '" class="post"><div data-testid="post-message-text" class="post-message__text">' + esc(post.message) + '</div>' + files + '</div>');
  textbox.value = '';
  pending = [];
  previews.innerHTML = '';
  previews.hidden = true;
}
document.querySelector('[data-testid="SendMessageButton"]').addEventListener('click', send);
textbox.addEventListener('keydown', (ev) => { if (ev.key === 'Enter' && !ev.shiftKey) { ev.preventDefault(); send(); } });`;

function channelPage(ctx: RouteContext): SimResponse {
  const here = ctx.url.pathname;
  if (!ctx.user) return redirect(`/login?redirect_to=${encodeURIComponent(here)}`);
  const team = ctx.store.teamByName(ctx.params.team ?? '');
  const channel = team && ctx.store.channelByName(team.id, ctx.params.channel ?? '');
  if (!team || !channel || !ctx.store.canReadChannel(ctx.user, channel)) return text(404, '<!DOCTYPE html><html><body><h1>Channel not found</h1></body></html>', 'text/html; charset=utf-8');
  const posts = [...ctx.store.posts.values()].filter((p) => p.channelId === channel.id && p.deleteAt === 0).sort((a, b) => a.createAt - b.createAt);
  const sidebar = ctx.store
    .channelsOfTeam(team.id)
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((c) => `<li><a id="sidebarItem_${esc(c.name)}" href="/${esc(team.name)}/channels/${esc(c.name)}">${esc(c.displayName)}</a></li>`)
    .join('');
  const postHtml = posts
    .map((p) => {
      const files = ctx.store
        .filesOfPost(p)
        .map((f) => `<div class="post-image__name">${esc(f.name)}</div>`)
        .join('');
      return `<div data-testid="postView" id="post_${p.id}" class="post"><div data-testid="post-message-text" class="post-message__text">${esc(p.message)}</div>${files}</div>`;
    })
    .join('');
  return page(
    `${channel.displayName} - ${team.displayName} ${ctx.world.siteName}`,
    `<div id="global-header"><span>${esc(ctx.world.siteName)}</span> <button id="sidebarTeamMenuButton">${esc(team.displayName)}</button></div>
<nav id="SidebarContainer"><ul>${sidebar}</ul></nav>
<main id="app-content" data-testid="channel_view">
<div id="channel-header"><strong id="channelHeaderTitle">${esc(channel.displayName)}</strong></div>
<div id="postListContent">${postHtml}</div>
<div id="post-create" data-testid="post-create">
<div data-testid="file-preview-container" class="file-preview__container" hidden></div>
<textarea id="post_textbox" data-testid="post_textbox" placeholder="Write to ${esc(channel.displayName)}"></textarea>
<button id="fileUploadButton" type="button" aria-label="Attach files">Attach</button>
<input id="fileUploadInput" type="file" multiple style="display:none">
<button data-testid="SendMessageButton" type="button" aria-label="Send Now">Send</button>
</div></main>`,
    CHANNEL_SCRIPT,
    ` data-channel-id="${channel.id}"`,
  );
}

/** `/`: the webapp sends a logged-in user to their first team, anyone else to the login page. */
function rootPage(ctx: RouteContext): SimResponse {
  const team = ctx.user ? ctx.store.teamsOfUser(ctx.user.id)[0] : undefined;
  return redirect(team ? `/${team.name}/channels/town-square` : '/login');
}

export const webRoutes: Route[] = [
  { method: 'GET', path: '/', handler: 'root', kind: 'web', run: rootPage },
  { method: 'GET', path: '/login', handler: 'root', kind: 'web', run: loginPage },
  { method: 'GET', path: '/{team}/channels/{channel}', handler: 'root', kind: 'web', run: channelPage },
];
