/**
 * The mmgate.yaml that `mmgate init` writes, from what it found in the cluster. Pure: text in,
 * text out, so the file is tested without a cluster. Secrets are never written, only
 * `${env:…}` placeholders with the steps that create them.
 */
import type { FoundInstallation, FoundRelease } from '../collectors/kube/discover.js';

export interface InitAnswers {
  readonly context: string;
  /** As the user gave it (--kubeconfig), written relative to the output file's folder. */
  readonly kubeconfig?: string;
  readonly installation: FoundInstallation;
  readonly operator?: { readonly namespace: string; readonly name: string };
  readonly helm?: FoundRelease;
  readonly url?: string;
  readonly targetVersion?: string;
  readonly smoke: { readonly username: string; readonly team?: string; readonly channel?: string };
  /** The same installation found in other contexts of the kubeconfig. */
  readonly sites: readonly (FoundInstallation & { readonly context: string })[];
  readonly notes: readonly string[];
  readonly writtenAt: string;
}

export const ADMIN_TOKEN_ENV = 'MMGATE_ADMIN_TOKEN';
export const SMOKE_PASSWORD_ENV = 'MMGATE_SMOKE_PASSWORD';

/** Double-quoted YAML scalar (JSON strings are valid YAML). */
const q = (s: string): string => JSON.stringify(s);

function header(a: InitAnswers): string[] {
  const i = a.installation;
  return [
    `# mmgate.yaml written by \`mmgate init\` from context ${a.context} on ${a.writtenAt}.`,
    `# Found: ${i.kind} ${i.namespace}/${i.name}${i.version ? `, version ${i.version}` : ''}${i.replicas !== undefined ? `, ${i.replicas} replicas` : ''}.`,
    '# Reference of every key: docs/config.md. Check it with: mmgate config validate -c mmgate.yaml',
    ...a.notes.map((n) => `# note: ${n}`),
  ];
}

function targetLines(a: InitAnswers): string[] {
  const now = a.installation.version ? `it runs ${a.installation.version} now` : 'its current version could not be read';
  return a.targetVersion
    ? ['target:', `  version: ${q(a.targetVersion)}   # ${now}`]
    : ['target:', `  # The version the upgrade goes to (${now}). Set it, or pass --target-version.`, '  # version: "11.7.1"'];
}

function kubeLines(a: InitAnswers): string[] {
  const i = a.installation;
  return [
    'kube:',
    ...(a.kubeconfig ? [`  kubeconfig: ${q(a.kubeconfig)}`] : []),
    `  context: ${q(a.context)}`,
    `  namespace: ${q(i.namespace)}`,
    `  installation: ${q(i.name)}`,
    i.kind === 'ClusterInstallation' ? '  kind: ClusterInstallation   # mattermost.com/v1alpha1 (deprecated, the one with blue/green and canary)' : '  kind: Mattermost   # installation.mattermost.com/v1beta1',
    ...(a.operator
      ? [`  operator: { namespace: ${q(a.operator.namespace)}, deployment: ${q(a.operator.name)} }`]
      : ['  # operator: { namespace: mattermost-operator, deployment: mattermost-operator }   # not found: set where it runs']),
    ...(a.helm ? [`  helm: { release: ${q(a.helm.name)}, namespace: ${q(a.helm.namespace)} }   # revision ${a.helm.revision}, ${a.helm.status}`] : []),
  ];
}

function mattermostLines(a: InitAnswers): string[] {
  const s = a.smoke;
  return [
    'mattermost:',
    a.url ? `  url: ${q(a.url)}` : '  # url: "https://chat.example.com"   # no ingress host or status.endpoint on the resource: set the front door',
    '  # A system admin\'s personal access token: System Console > Integrations > Integration Management >',
    '  # "Enable Personal Access Tokens"; then Profile > Security > Personal Access Tokens > Create Token.',
    `  admin: { token: "\${env:${ADMIN_TOKEN_ENV}}" }`,
    '  # The smoke user logs in, posts and uploads. Create it once (mmctl user create --username',
    `  # ${s.username} --email ${s.username}@example.com --password …), add it to the team and channel below,`,
    `  # and give its password as ${SMOKE_PASSWORD_ENV} (or a file: \${file:/var/run/secrets/mmgate/smoke}).`,
    `  smoke: { username: ${q(s.username)}, password: "\${env:${SMOKE_PASSWORD_ENV}}", team: ${q(s.team ?? 'CHANGE-ME')}, channel: ${q(s.channel ?? 'town-square')} }`,
  ];
}

function siteLines(a: InitAnswers): string[] {
  if (a.sites.length === 0) return [];
  const me = { ...a.installation, context: a.context };
  const all = [me, ...a.sites];
  const lines = ['# The same installation was found in other contexts of the kubeconfig: sites of one deployment.',
    '# Remove any that is not (a staging cluster, say).', 'sites:'];
  for (const s of all) {
    const active = s.role === 'active' ? ', active: true' : s.role === 'passive' ? ', active: false' : '';
    lines.push(`  - { name: ${q(s.context)}, context: ${q(s.context)}${active} }`);
  }
  // Each site has its own host: that difference is meant.
  const hosts = new Set(all.map((s) => s.url));
  if (hosts.size > 1) lines.push('drift:', '  allow: [spec.ingress.host, spec.ingressName]');
  return lines;
}

const BACKUPS = [
  '# Backups are checked before every upgrade and the check fails closed: say where yours are.',
  '# backups:',
  '#   database: { path: /backups/mattermost, pattern: "*.dump", maxAge: 24h }',
  '#   snapshots: { volumes: [mattermost-postgres-data], maxAge: 24h }',
  '#   filestore: { path: /backups/files, maxAge: 24h }',
];

export function renderInitConfig(a: InitAnswers): string {
  const blueGreen = a.installation.blueGreen ? [`# blue/green: ${a.installation.blueGreen.production} serves production.`] : [];
  const canary = a.installation.canary ? ['# a canary Deployment is enabled on this installation.'] : [];
  const sections = [header(a), targetLines(a), kubeLines(a), [...blueGreen, ...canary], mattermostLines(a), siteLines(a), BACKUPS];
  return `${sections.filter((s) => s.length).map((s) => s.join('\n')).join('\n\n')}\n`;
}

/** What to do after the file is written. */
export function nextSteps(file: string, a: InitAnswers): string {
  return [
    `wrote ${file}`,
    '',
    'next steps:',
    `  1. export ${ADMIN_TOKEN_ENV}=…  ${SMOKE_PASSWORD_ENV}=…   (see the comments in the file)`,
    `  2. mmgate config validate -c ${file}`,
    `  3. mmgate preflight -c ${file}${a.targetVersion ? '' : ' --target-version X.Y.Z'}    # exit 0 = go`,
    '  4. during the upgrade: mmgate watch; after it: mmgate verify --baseline mmgate-report/preflight.snapshot.json (README: Quick start)',
  ].join('\n');
}
