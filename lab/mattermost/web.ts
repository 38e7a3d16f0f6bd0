/**
 * A tiny stand-in for the Mattermost web app, enough for the browser journeys: the login page, the
 * landing page /select_team and a channel view that posts and uploads through the same API as the
 * real web app (session cookie plus `X-Requested-With: XMLHttpRequest`). No dependencies, no build
 * step: HTML and inline JS.
 *
 * It cannot drift from the real app: every id, class and test id it renders comes from the one
 * list smoke/selectors.ts (each with the web app source file it comes from; docs/browser-selectors.md),
 * and lab/mattermost/web-selectors.test.ts checks the rendered pages hold nothing else. Scenario
 * variants (behaviour.webapp) imitate real configurations and versions: SSO-only login, the
 * two-step login of EnableGuestMagicLink, landing on /select_team, a German locale, an older web
 * app without the post-message-text test id, an upload whose preview never appears.
 */
import { WEBAPP, sel, type WebAppElement, type WebAppElementName } from '../../smoke/selectors.js';
import { text } from './http.js';
import type { SimResponse } from './http.js';
import type { Route, RouteContext } from './router.js';
import type { WebAppVariant } from './spec.js';

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

/** The words of the pages, per locale (the real app's en and de translations). */
const TEXT = {
  en: {
    title: 'Log in to your account', card: 'Log in', cardSso: 'Log in with one of the following:', loginId: 'Email or Username',
    password: 'Password', submit: 'Log in', submitting: 'Logging in…', invalid: 'The email/username or password is invalid.',
    write: 'Write to', send: 'Send Now', selectTeam: 'Select a team',
  },
  de: {
    title: 'Melden Sie sich bei Ihrem Konto an', card: 'Anmelden', cardSso: 'Melden Sie sich mit einer der folgenden Methoden an:', loginId: 'E-Mail-Adresse oder Benutzername',
    password: 'Passwort', submit: 'Anmelden', submitting: 'Anmelden…', invalid: 'Die E-Mail-Adresse/der Benutzername oder das Passwort ist ungültig.',
    write: 'Schreiben an', send: 'Jetzt senden', selectTeam: 'Team auswählen',
  },
} as const;

function variantOf(ctx: RouteContext): Required<WebAppVariant> {
  return { login: 'password', landing: 'channel', locale: 'en', postMessageTestId: true, uploadPreview: true, ...ctx.world.behaviour.webapp };
}

/**
 * The attributes of a listed element: its id (with the post id for per-post ids), its classes and
 * its test id — the only way this file writes an id, class or test id.
 */
function attrs(names: WebAppElementName | readonly WebAppElementName[], o: { idSuffix?: string } = {}): string {
  const es: WebAppElement[] = (typeof names === 'string' ? [names] : names).map((n) => WEBAPP[n]);
  const id = es.find((e) => e.id !== undefined)?.id;
  const classes = es.flatMap((e) => e.classes ?? []);
  const testId = es.find((e) => e.testId !== undefined)?.testId;
  return [
    ...(id !== undefined ? [`id="${esc(id + (o.idSuffix ?? ''))}"`] : []),
    ...(classes.length ? [`class="${classes.join(' ')}"`] : []),
    ...(testId !== undefined ? [`data-testid="${testId}"`] : []),
  ].join(' ');
}

const STYLE = `body{font-family:sans-serif;margin:0}.login-body-card{max-width:360px;margin:60px auto;display:flex;flex-direction:column;gap:12px}
form{display:flex;flex-direction:column;gap:12px}.AlertBanner.danger{background:#fbe6e6;color:#a00;padding:8px}
#SidebarContainer{float:left;width:200px;padding:8px}#channel_view{margin-left:216px;padding:8px}textarea{width:100%;min-height:48px}`;

function page(lang: string, title: string, body: string, script: string, bodyAttrs = ''): SimResponse {
  const html = `<!DOCTYPE html><html lang="${lang}"><head><meta charset="utf-8"><title>${esc(title)}</title><style>${STYLE}</style></head><body${bodyAttrs}>${body}<script>${script}</script></body></html>`;
  // The static handler's headers (web/static.go): never framed, revalidated on each load.
  return text(200, html, 'text/html; charset=utf-8', { 'Cache-Control': 'no-cache, max-age=31556926, public', 'X-Frame-Options': 'SAMEORIGIN' });
}

const redirect = (location: string): SimResponse => ({ status: 302, headers: { Location: location, 'Content-Type': 'text/html; charset=utf-8' }, body: Buffer.from(`<a href="${esc(location)}">Found</a>.\n`) });

/** A value for an inline script. */
const js = (v: unknown): string => JSON.stringify(v).replace(/</g, '\\u003c');

const LOGIN_SCRIPT = `
const form = document.querySelector('form');
const submit = document.querySelector(SEL.submit);
const twoStep = VARIANT.login === 'two-step';
let banner = null;
form.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  if (banner) { banner.remove(); banner = null; }
  const loginId = document.querySelector(SEL.loginId).value;
  if (twoStep && !document.querySelector(SEL.password)) {
    // EnableGuestMagicLink: the first submit only asks which kind of login the id has; a password user gets the field.
    submit.insertAdjacentHTML('beforebegin', HTML.password);
    document.querySelector(SEL.password).focus();
    return;
  }
  submit.textContent = WORDS.submitting;
  const body = JSON.stringify({ login_id: loginId, password: document.querySelector(SEL.password).value });
  const headers = { 'Content-Type': 'application/json', 'X-Requested-With': 'XMLHttpRequest' };
  const res = await fetch('/api/v4/users/login', { method: 'POST', headers, body, credentials: 'same-origin' });
  if (!res.ok) {
    submit.textContent = WORDS.submit;
    form.insertAdjacentHTML('beforebegin', HTML.banner);
    banner = form.previousElementSibling;
    return;
  }
  const redirectTo = new URLSearchParams(location.search).get('redirect_to');
  if (redirectTo && /^\\/([^/]|$)/.test(redirectTo)) { location.assign(redirectTo); return; }
  const teams = await (await fetch('/api/v4/users/me/teams', { headers: { 'X-Requested-With': 'XMLHttpRequest' }, credentials: 'same-origin' })).json();
  location.assign(teams.length && VARIANT.landing === 'channel' ? '/' + teams[0].name + '/channels/town-square' : '/select_team');
});`;

function loginPage(ctx: RouteContext): SimResponse {
  const v = variantOf(ctx);
  const w = TEXT[v.locale];
  const passwordHtml = `<input ${attrs('password')} name="password-input" type="password" placeholder="${esc(w.password)}" autocomplete="current-password">`;
  const form = v.login === 'sso-only'
    ? `<a ${attrs(['ssoSaml', 'ssoButton'])} href="/login/sso/saml">SAML</a>
<a ${attrs(['ssoOpenId', 'ssoButton'])} href="/oauth/openid/login">Open ID</a>`
    : `<form>
<input ${attrs('loginId')} name="loginId" type="text" placeholder="${esc(w.loginId)}" autocomplete="username">
${v.login === 'two-step' ? '' : passwordHtml}
<button ${attrs('submit')} type="submit">${esc(w.submit)}</button>
</form>`;
  const script = `const SEL = ${js({ loginId: sel('loginId'), password: sel('password'), submit: sel('submit') })};
const HTML = ${js({ password: passwordHtml, banner: `<div ${attrs('loginError')}>${esc(w.invalid)}</div>` })};
const WORDS = ${js({ submit: w.submit, submitting: w.submitting })};
const VARIANT = ${js(v)};${v.login === 'sso-only' ? '' : LOGIN_SCRIPT}`;
  return page(v.locale, ctx.world.siteName, `<div ${attrs('loginCard')}><h1>${esc(w.title)}</h1><p>${esc(v.login === 'sso-only' ? w.cardSso : w.card)}</p>
${form}</div>`, script);
}

/** `/select_team`: where a user lands who has no team yet (or the lab's landing variant). */
function selectTeamPage(ctx: RouteContext): SimResponse {
  if (!ctx.user) return redirect(`/login?redirect_to=${encodeURIComponent('/select_team')}`);
  const v = variantOf(ctx);
  const teams = ctx.store.teamsOfUser(ctx.user.id).map((t) => `<li><a href="/${esc(t.name)}/channels/town-square">${esc(t.displayName)}</a></li>`).join('');
  return page(v.locale, ctx.world.siteName, `<h1>${esc(TEXT[v.locale].selectTeam)}</h1><ul>${teams}</ul>`, '');
}

/** One post as the channel view renders it (message and file names already escaped); the client renders new ones from the same markup. */
function postHtml(id: string, message: string, filesHtml: string, v: Required<WebAppVariant>): string {
  const text: WebAppElementName[] = v.postMessageTestId ? ['postText', 'postTextTestId'] : ['postText'];
  return `<div ${attrs('post', { idSuffix: id })}><div ${attrs(text, { idSuffix: id })}>${message}</div>${filesHtml}</div>`;
}

const fileHtml = (escapedName: string): string => `<div>${escapedName}</div>`;

const CHANNEL_SCRIPT = `
const channelId = document.body.dataset.channelId;
const xhr = { 'X-Requested-With': 'XMLHttpRequest' };
const create = document.querySelector(SEL.postCreate);
const textbox = document.querySelector(SEL.textbox);
const input = document.querySelector(SEL.fileInput);
let pending = [];
const esc = (s) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
const fill = (tpl, values) => tpl.replace(/__([A-Z]+)__/g, (_, k) => values[k]);
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
    if (!VARIANT.uploadPreview) continue;
    if (!document.querySelector(SEL.filePreview)) create.insertAdjacentHTML('afterbegin', HTML.previews);
    document.querySelector(SEL.filePreview).insertAdjacentHTML('beforeend', fill(HTML.preview, { NAME: esc(info.name) }));
  }
  input.value = '';
});
async function send() {
  const message = textbox.value;
  if (!message.trim() && pending.length === 0) return;
  const res = await fetch('/api/v4/posts', { method: 'POST', headers: { ...xhr, 'Content-Type': 'application/json' }, credentials: 'same-origin', body: JSON.stringify({ channel_id: channelId, message, file_ids: pending }) });
  if (!res.ok) return;
  const post = await res.json();
  const files = (post.metadata && post.metadata.files || []).map((f) => fill(HTML.file, { NAME: esc(f.name) })).join('');
  create.insertAdjacentHTML('beforebegin', fill(HTML.post, { ID: post.id, MESSAGE: esc(post.message), FILES: files }));
  textbox.value = '';
  pending = [];
  const previews = document.querySelector(SEL.filePreview);
  if (previews) previews.remove();
}
document.querySelector(SEL.sendButton).addEventListener('click', send);
textbox.addEventListener('keydown', (ev) => { if (ev.key === 'Enter' && !ev.shiftKey) { ev.preventDefault(); send(); } });`;

function channelPage(ctx: RouteContext): SimResponse {
  const here = ctx.url.pathname;
  if (!ctx.user) return redirect(`/login?redirect_to=${encodeURIComponent(here)}`);
  const team = ctx.store.teamByName(ctx.params.team ?? '');
  const channel = team && ctx.store.channelByName(team.id, ctx.params.channel ?? '');
  if (!team || !channel || !ctx.store.canReadChannel(ctx.user, channel)) return text(404, '<!DOCTYPE html><html><body><h1>Channel not found</h1></body></html>', 'text/html; charset=utf-8');
  const v = variantOf(ctx);
  const w = TEXT[v.locale];
  const posts = [...ctx.store.posts.values()].filter((p) => p.channelId === channel.id && p.deleteAt === 0).sort((a, b) => a.createAt - b.createAt);
  const sidebar = ctx.store
    .channelsOfTeam(team.id)
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((c) => `<li><a href="/${esc(team.name)}/channels/${esc(c.name)}">${esc(c.displayName)}</a></li>`)
    .join('');
  const postList = posts.map((p) => postHtml(p.id, esc(p.message), ctx.store.filesOfPost(p).map((f) => fileHtml(esc(f.name))).join(''), v)).join('');
  const script = `const SEL = ${js({ postCreate: sel('postCreate'), textbox: sel('textbox'), fileInput: sel('fileInput'), filePreview: sel('filePreview'), sendButton: sel('sendButton') })};
const HTML = ${js({ post: postHtml('__ID__', '__MESSAGE__', '__FILES__', v), file: fileHtml('__NAME__'), previews: `<div ${attrs('filePreview')}></div>`, preview: '<div>__NAME__</div>' })};
const VARIANT = ${js(v)};${CHANNEL_SCRIPT}`;
  return page(
    v.locale,
    `${channel.displayName} - ${team.displayName} ${ctx.world.siteName}`,
    `<nav ${attrs('sidebar')}><p>${esc(team.displayName)}</p><ul>${sidebar}</ul></nav>
<div ${attrs('channelView')}><div ${attrs('appContent')}>
<h2>${esc(channel.displayName)}</h2>
${postList}
<div ${attrs('postCreate')}>
<textarea ${attrs('textbox')} placeholder="${esc(`${w.write} ${channel.displayName}`)}"></textarea>
<input ${attrs('fileInput')} type="file" multiple style="display:none">
<button ${attrs('sendButton')} type="button" aria-label="${esc(w.send)}">${esc(w.send)}</button>
</div></div></div>`,
    script,
    ` data-channel-id="${channel.id}"`,
  );
}

/** `/`: the webapp sends a logged-in user to their first team, anyone else to the login page. */
function rootPage(ctx: RouteContext): SimResponse {
  const team = ctx.user ? ctx.store.teamsOfUser(ctx.user.id)[0] : undefined;
  return redirect(team ? `/${team.name}/channels/town-square` : ctx.user ? '/select_team' : '/login');
}

export const webRoutes: Route[] = [
  { method: 'GET', path: '/', handler: 'root', kind: 'web', run: rootPage },
  { method: 'GET', path: '/login', handler: 'root', kind: 'web', run: loginPage },
  { method: 'GET', path: '/select_team', handler: 'root', kind: 'web', run: selectTeamPage },
  { method: 'GET', path: '/{team}/channels/{channel}', handler: 'root', kind: 'web', run: channelPage },
];
