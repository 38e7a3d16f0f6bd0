/**
 * The one list of the Mattermost web app's elements the browser journeys use — and the only
 * elements the lab's web app (lab/mattermost/web.ts) may render. Each entry names the web app
 * source file (mattermost/mattermost, webapp/channels/src/…) it comes from; docs/browser-selectors.md
 * is the same list as a table, and lab/mattermost/web-selectors.test.ts keeps the lab's pages to it.
 *
 * Rules (docs/browser-selectors.md): an element id or class first, a test id only where the real
 * app renders one, never a localised accessible name or text (the login button reads "Log in",
 * "Anmelden" or "Logging in…" depending on the user's locale and the moment).
 */

/** The attributes one element carries in the real web app; a selector matches any of them. */
export interface WebAppElement {
  /** An element id. With `idPrefix`, the id is `<id><post id>`. */
  readonly id?: string;
  readonly idPrefix?: boolean;
  /** Class names that together identify it (`.AlertBanner.danger`). */
  readonly classes?: readonly string[];
  /** A data-testid the real app renders (only where it has one). */
  readonly testId?: string;
  /** A tag and attribute restriction, e.g. `input[type="file"]`. */
  readonly tag?: string;
  /** Where it comes from in mattermost/mattermost. */
  readonly source: string;
  /** Which web app versions render it, or why a fallback exists. */
  readonly note?: string;
}

export const WEBAPP = {
  // ---- /login
  loginCard: { classes: ['login-body-card'], source: 'webapp/channels/src/components/login/login.tsx', note: 'the login card; rendered once the page knows its sign-in methods' },
  loginId: { id: 'input_loginId', source: 'webapp/channels/src/components/login/login.tsx (Input name="loginId") + components/widgets/inputs/input/input.tsx (id="input_${name}")', note: 'absent when email, username and AD/LDAP sign-in are all off (SSO only)' },
  password: { id: 'input_password-input', source: 'webapp/channels/src/components/widgets/inputs/password_input/password_input.tsx (name="password-input")', note: 'with EnableGuestMagicLink (11.x) it appears only after the first submit' },
  submit: { id: 'saveSetting', testId: 'saveSetting', source: 'webapp/channels/src/components/save_button.tsx (used by components/login/login.tsx)', note: 'its text is localised ("Log in", "Anmelden", "Logging in…"): never selected by name' },
  loginError: { classes: ['AlertBanner', 'danger'], testId: 'login-body-card-banner', source: 'webapp/channels/src/components/alert_banner.tsx (className AlertBanner + mode; data-testid={id}, id="login-body-card-banner" in login.tsx)', note: 'the test id only in builds where login.tsx gives the banner an id' },
  ssoButton: { classes: ['external-login-button'], tag: 'a', source: 'webapp/channels/src/components/external_login_button/external_login_button.tsx', note: 'one per SSO method, with the method as id and class (saml, openid, gitlab, google, office365)' },
  ssoSaml: { id: 'saml', classes: ['saml'], source: 'webapp/channels/src/components/login/login.tsx (getExternalLoginOptions, id "saml"; ExternalLoginButton repeats it as a class)' },
  ssoOpenId: { id: 'openid', classes: ['openid'], source: 'webapp/channels/src/components/login/login.tsx (getExternalLoginOptions, id "openid"; ExternalLoginButton repeats it as a class)' },
  // ---- /<team>/channels/<channel>
  sidebar: { id: 'SidebarContainer', source: 'webapp/channels/src/components/channel_layout/channel_controller.tsx (ResizableLhs id="SidebarContainer")' },
  channelView: { id: 'channel_view', testId: 'channel_view', source: 'webapp/channels/src/components/channel_layout/channel_controller.tsx' },
  appContent: { id: 'app-content', source: 'webapp/channels/src/components/channel_view/channel_view.tsx' },
  postCreate: { id: 'post-create', testId: 'post-create', source: 'webapp/channels/src/components/channel_view/channel_view.tsx', note: 'absent in archived or read-only channels, and while the channel loads' },
  textbox: { id: 'post_textbox', source: 'webapp/channels/src/components/advanced_text_editor/advanced_text_editor.tsx (textbox id "post_textbox")' },
  sendButton: { testId: 'SendMessageButton', source: 'webapp/channels/src/components/advanced_text_editor/send_button/send_button.tsx', note: 'no id; its aria-label is localised' },
  fileInput: { id: 'fileUploadInput', tag: 'input[type="file"]', source: 'webapp/channels/src/components/file_upload/file_upload.tsx', note: 'absent when file attachments are disabled' },
  filePreview: { classes: ['file-preview__container'], source: 'webapp/channels/src/components/file_preview/file_preview.tsx', note: 'no test id (Mattermost\'s own tests select the class): a lookup of the test id "file-preview-container" matches nothing in the real app' },
  post: { id: 'post_', idPrefix: true, testId: 'postView', source: 'webapp/channels/src/components/post/post_component.tsx (id "post_" + post.id, data-testid "postView")' },
  postText: { id: 'postMessageText_', idPrefix: true, classes: ['post-message__text'], source: 'webapp/channels/src/components/post_view/post_message_view/post_message_view.tsx', note: 'recent builds also add data-testid "post-message-text"; older ones do not, so the id is used' },
  postTextTestId: { testId: 'post-message-text', source: 'webapp/channels/src/components/post_view/post_message_view/post_message_view.tsx (recent builds only)', note: 'rendered by the lab\'s current web app, never used by the journeys' },
} as const satisfies Record<string, WebAppElement>;

export type WebAppElementName = keyof typeof WEBAPP;

const cssId = (id: string): string => (/^[A-Za-z][\w-]*$/.test(id) ? `#${id}` : `[id="${id}"]`);

/** A CSS selector list matching the element by any of its attributes, id first. */
export function sel(name: WebAppElementName, idSuffix = ''): string {
  const e: WebAppElement = WEBAPP[name];
  const tag = e.tag ?? '';
  const alternatives: string[] = [];
  if (e.id !== undefined) alternatives.push(e.idPrefix ? (idSuffix ? `${tag}${cssId(e.id + idSuffix)}` : `${tag}[id^="${e.id}"]`) : `${tag}${cssId(e.id)}`);
  if (e.classes && !(e.idPrefix && idSuffix)) alternatives.push(`${tag}${e.classes.map((c) => `.${c}`).join('')}`);
  if (e.testId !== undefined && !(e.idPrefix && idSuffix)) alternatives.push(`${tag}[data-testid="${e.testId}"]`);
  if (alternatives.length === 0 && tag) alternatives.push(tag);
  return alternatives.join(', ');
}

/**
 * Where a successful login may land (login.tsx finishSignin, redirectUserToDefaultTeam): a channel,
 * a DM, the team root, /select_team (no team yet), /preparing-workspace (first admin onboarding).
 * A redirect_to target is any other path; the journeys accept it when they asked for it.
 */
export const LANDING_PAGES: readonly RegExp[] = [
  /^\/[^/]+\/channels\/[^/]+/,
  /^\/[^/]+\/messages\/@[^/]+/,
  /^\/select_team(?:[/?#]|$)/,
  /^\/preparing-workspace(?:[/?#]|$)/,
  // The team root redirects on to a channel; the web app's own one-segment pages are not landings.
  /^\/(?!(?:login|error|access_problem|should_verify_email|terms_of_service|signup_user_complete|reset_password|mfa)(?:[/?#]|$))[^/]+\/?$/,
];

/** The session cookies the server sets on login (app/login.go AttachSessionCookies). */
export const SESSION_COOKIES = { token: 'MMAUTHTOKEN', userId: 'MMUSERID', csrf: 'MMCSRF' } as const;
