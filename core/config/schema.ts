/**
 * The `mmgate.yaml` schema. Objects are strict: a misspelt key is an error that names it, never
 * silently ignored (a gate that ignores `chekcs:` would gate nothing). Descriptions feed the
 * generated JSON Schema (docs/mmgate.schema.json) and the config reference.
 */
import { z } from 'zod';
import { DURATION_PATTERN, parseDuration } from '../duration.js';
import { metricsSection } from './metrics-section.js';
import { backupsSection, databaseSection, driftSection, sitesSection } from './site-sections.js';

export const duration = z.string().regex(DURATION_PATTERN, 'a duration such as 30s, 15m, 24h or 7d');
const version = z.string().regex(/^v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/, 'a version such as 11.7.1');
export const level = z.enum(['off', 'warn', 'error']);
/** Every report format; reporters/index.ts implements one reporter per entry. */
export const REPORT_FORMATS = ['console', 'json', 'junit', 'markdown', 'prometheus', 'html'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];
/**
 * An http(s) URL without userinfo: URLs are copied into reports, snapshots and error messages, so
 * credentials in one (`https://user:pass@prom:9090`) would leak; they go in the auth options.
 */
const httpUrl = z.string().regex(/^https?:\/\/[^\s]+$/, 'an http(s) URL such as https://chat.example.com')
  .refine((u) => !/^https?:\/\/[^/?#\s]*@/i.test(u), { message: 'must not carry credentials (user:password@ before the host): reports and error messages copy this URL', params: { userinfo: true } });

const smokeAccount = z.strictObject({
  username: z.string().min(1).describe('The smoke user that logs in, posts and uploads.'),
  password: z.string().min(1).optional().describe('Its password: use ${env:NAME} or ${file:PATH}.'),
  token: z.string().min(1).optional().describe('Or a personal access token: use ${env:NAME} or ${file:PATH}.'),
  team: z.string().min(1).describe('Team name (URL name) the journeys run in.'),
  channel: z.string().min(1).default('town-square').describe('Channel name the smoke posts go to.'),
}).refine((s) => s.password !== undefined || s.token !== undefined, { message: 'give password or token', path: ['password'] });

const browserSection = z.strictObject({
  enabled: z.boolean().default(false).describe('Run the browser journeys in verify: the smoke user logs in through the web app, opens the smoke channel, posts and uploads (Playwright + Chromium; needs mattermost.smoke: with a password the login page is used, with a token only the web app is opened with its session cookie).'),
  executablePath: z.string().min(1).optional().describe('Chromium or Chrome to drive; default /usr/bin/chromium when it exists, else Playwright\'s own download.'),
  timeout: duration.default('30s').describe('Budget of each journey (login, channel, post, upload). The whole run also counts against timeouts.collector: raise it for slow servers.'),
  retries: z.number().int().min(0).max(3).default(1).describe('Reruns of the journeys after a failure; a journey that passes only on a retry is reported as flaky (a warning).'),
}).optional().describe('Browser smoke journeys through Mattermost\'s web app.');

export const configSchema = z.strictObject({
  target: z.strictObject({
    version: version.optional().describe('The Mattermost version the upgrade goes to.'),
    image: z.string().min(1).optional().describe('Or the full image reference, tag or digest (repo@sha256:…).'),
  }).optional().describe('Where the upgrade goes. Needed by upgrade-path and the post-upgrade version checks.'),
  kube: z.strictObject({
    kubeconfig: z.string().optional().describe('Path to a kubeconfig; default $KUBECONFIG, ~/.kube/config, then in-cluster.'),
    context: z.string().optional().describe('kubeconfig context; default its current-context.'),
    namespace: z.string().default('mattermost').describe('Namespace of the Mattermost installation.'),
    installation: z.string().default('mattermost').describe('Name of the custom resource: a Mattermost (installation.mattermost.com/v1beta1) or a ClusterInstallation (mattermost.com/v1alpha1, the kind with blue/green and canary); mmgate finds which.'),
    kind: z.enum(['Mattermost', 'ClusterInstallation']).optional().describe('The custom resource\'s kind, when both kinds carry the name kube.installation; default: look up Mattermost, then ClusterInstallation.'),
    operator: z.strictObject({
      namespace: z.string().default('mattermost-operator'),
      deployment: z.string().default('mattermost-operator'),
    }).default({ namespace: 'mattermost-operator', deployment: 'mattermost-operator' }).describe('Where the Mattermost Operator runs.'),
    helm: z.strictObject({
      release: z.string().min(1).describe('Helm release name (when Mattermost or the operator is installed by Helm).'),
      namespace: z.string().optional().describe('Namespace of the release secrets; default kube.namespace.'),
    }).optional(),
    requestTimeout: duration.default('15s').describe('Timeout of one Kubernetes API request.'),
  }).default({ namespace: 'mattermost', installation: 'mattermost', operator: { namespace: 'mattermost-operator', deployment: 'mattermost-operator' }, requestTimeout: '15s' }),
  mattermost: z.strictObject({
    url: httpUrl.optional().describe('Front door (Ingress/LB) URL; default the CR\'s status.endpoint.'),
    hosts: z.record(z.string().min(1), httpUrl).default({}).describe('Where to reach an Ingress host when not at https://HOST (blue/green colour hosts such as blue.chat.example.com, from a jump host or a port-forward).'),
    admin: z.strictObject({ token: z.string().min(1).describe('Admin personal access token: ${env:NAME} or ${file:PATH}.') }).optional(),
    smoke: smokeAccount.optional(),
    incomingWebhook: z.strictObject({
      id: z.string().min(1).describe('Id of an incoming webhook that posts into the smoke channel.'),
    }).optional(),
    podPort: z.number().int().positive().default(8065).describe('Mattermost API port inside the pod (pod proxy).'),
    metricsPort: z.number().int().positive().default(8067).describe('Mattermost\'s metrics port inside the pod (MetricsSettings.ListenAddress; the operator sets :8067): without Prometheus, the metrics checks read /metrics there through the pod proxy.'),
    requestTimeout: duration.default('15s'),
    logWindow: duration.default('15m').describe('How far back verify reads the Mattermost pod logs (log-errors) when upgradeStartedAt is not given.'),
    upgradeStartedAt: z.iso.datetime({ offset: true }).optional().describe('When the upgrade started (ISO 8601, e.g. 2026-11-20T11:45:00Z): verify reads pod logs from then on instead of logWindow.'),
    webhookTimeout: duration.default('10s').describe('How long the incoming-webhook journey waits for its post to appear in the smoke channel.'),
    browser: browserSection,
  }).optional(),
  prometheus: z.strictObject({
    url: httpUrl.describe('Prometheus base URL (such as http://prometheus.monitoring:9090): its HTTP API answers the metrics checks\' PromQL.'),
    token: z.string().min(1).optional().describe('Bearer token for Prometheus: ${env:NAME} or ${file:PATH}.'),
    username: z.string().min(1).optional().describe('Basic-auth user for Prometheus.'),
    password: z.string().min(1).optional().describe('Basic-auth password: ${env:NAME} or ${file:PATH}.'),
    caFile: z.string().min(1).optional().describe('PEM file of the CA that signed Prometheus\'s certificate (relative to the config file).'),
    timeout: duration.default('15s').describe('Timeout of one Prometheus query.'),
    selector: z.string().default('namespace="{namespace}"').describe('Label matchers that pick the installation\'s series ({namespace} is kube.namespace), e.g. namespace="{namespace}", job="mattermost".'),
    podLabel: z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, 'a Prometheus label name').default('pod').describe('The label that carries the pod name (pod, or kubernetes_pod_name with older relabel configs).'),
    staleAfter: duration.default('2m').describe('A pod whose last sample is older than this is stale: no data, never a pass.'),
  }).refine((p) => p.password === undefined || p.username !== undefined, { message: 'password needs username', path: ['username'] })
    .refine((p) => !(p.token && p.username), { message: 'give token or username/password, not both', path: ['token'] })
    .optional().describe('Prometheus that scrapes the Mattermost pods: the source of the metrics checks when set (metrics.source auto).'),
  metrics: metricsSection,
  watch: z.strictObject({
    interval: duration.default('2s').describe('How often mmgate watch reads the rollout (the Mattermost resource and its pods).'),
    probeRate: z.number().min(0.1).max(50).default(10).describe('Front-door probes per second (GET /api/v4/system/ping, alternating a kept-alive and a fresh connection), from 0.1 up to 50. Each probe times out before the next is due; a slow probe delays the next rather than stacking them. A 600 ms outage needs several probes a second to be seen.'),
    timeout: duration.default('30m').describe('How long the rollout may take; past it, rollout-completion fails.'),
    minDuration: duration.optional().describe('Keep watching at least this long even when the rollout is already complete (a sample of availability, not of progress). mmgate serve sets it to serve.sampleWindow for its rollout samples; unset, watch ends when the rollout completes.'),
  }).default({ interval: '2s', probeRate: 10, timeout: '30m' }).describe('mmgate watch: availability and progress while the operator rolls the pods.'),
  serve: z.strictObject({
    listen: z.string().regex(/^(\[[0-9a-fA-F:]+\]|[^\s:]*):\d{1,5}$/, 'host:port such as 0.0.0.0:8080 or 127.0.0.1:0').default('0.0.0.0:8080').describe('Address mmgate serve listens on.'),
    token: z.string().min(16, 'at least 16 characters').describe('Token every caller sends: Authorization: Bearer …, or, from Flagger (whose webhooks send no header), metadata.token in the webhook payload. Only /healthz is open: ${env:NAME} or ${file:PATH}.'),
    answerWithin: duration.default('8s').describe('How long a request waits for its run before answering 503 "still running" with Retry-After (the run goes on; the next call gets its result). Keep it below the caller\'s timeout: Flagger\'s default is 10s, Argo Rollouts\' web metric 10s.'),
    sampleWindow: duration.default('5s').describe('How long a Flagger rollout hook (and a watch web metric) watches the front door and the rollout: one fresh sample per call. Must be shorter than serve.answerWithin, or every rollout call would answer 503.'),
    drainTimeout: duration.default('60s').describe('On SIGTERM, how long runs in flight may finish before they are cut (their reports are marked partial, exit 3).'),
  }).superRefine((s, ctx) => {
    const ok = (d: string): boolean => DURATION_PATTERN.test(d);
    if (!ok(s.sampleWindow) || !ok(s.answerWithin) || parseDuration(s.sampleWindow) < parseDuration(s.answerWithin)) return;
    ctx.addIssue({
      code: 'custom', path: ['sampleWindow'],
      message: `serve.sampleWindow (${s.sampleWindow}) must be shorter than serve.answerWithin (${s.answerWithin}): a rollout sample that outlasts the wait is always answered 503. Lower serve.sampleWindow (default 5s) or raise serve.answerWithin, keeping it below the caller's timeout`,
    });
  }).optional().describe('mmgate serve: gate runs on request for Flagger webhooks and Argo Rollouts web metrics.'),
  backups: backupsSection,
  database: databaseSection,
  sites: sitesSection,
  drift: driftSection,
  extends: z.enum(['recommended', 'strict']).default('recommended').describe('Policy preset: recommended (each check at its own level) or strict (every check blocks).'),
  checks: z.record(z.string(), z.union([level, z.tuple([level]), z.tuple([level, z.record(z.string(), z.unknown())])]))
    .default({}).describe('Per check: off | warn | error, or [level, {options}].'),
  waivers: z.array(z.strictObject({
    check: z.string().min(1),
    reason: z.string().min(3).describe('Why, with a change or ticket reference.'),
    expires: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD').describe('Last day the waiver applies.'),
  })).default([]).describe('A waived check that does not pass warns instead of blocking, until the waiver expires.'),
  reports: z.strictObject({
    dir: z.string().default('./mmgate-report'),
    formats: z.array(z.enum(REPORT_FORMATS)).default(['console', 'json', 'junit', 'markdown']),
    pushgateway: httpUrl.optional().describe('Push the run\'s metrics to this Prometheus Pushgateway.'),
    history: z.string().min(1).optional().describe('Directory of the run history: one JSON line per run is appended to history.jsonl (time, phase, installation, target, verdict, durations, blocking ids); `mmgate history` and the HTML report read it. Relative to the working directory, like --history.'),
  }).default({ dir: './mmgate-report', formats: ['console', 'json', 'junit', 'markdown'] }),
  plugins: z.array(z.string().min(1)).default([]).describe('Modules (paths relative to this file) that export checks and collectors.'),
  timeouts: z.strictObject({
    collector: duration.default('60s').describe('Budget of one data source (with its retries).'),
    check: duration.default('10s').describe('Budget of one check\'s evaluation; a check over it is an error (a synchronous check is judged when it returns: it cannot be interrupted).'),
    overall: duration.default('15m').describe('Deadline of the whole run; past it the run stops, exit 3, partial report.'),
  }).default({ collector: '60s', check: '10s', overall: '15m' }),
});

export type MmgateConfig = z.output<typeof configSchema>;
export type MmgateConfigInput = z.input<typeof configSchema>;
