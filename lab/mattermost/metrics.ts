/**
 * One pod's Prometheus metrics (port 8067, `/metrics`), with the names of Mattermost's enterprise
 * metrics (`server/enterprise/metrics/metrics.go`): `mattermost_api_time` is fed by the requests
 * this pod served, so PromQL from Mattermost's own tooling (error rate by status_code, p99 by
 * handler) gives meaningful answers against the lab. Unlicensed servers expose no Mattermost
 * metrics, only the Go runtime's.
 */

/** client_golang's `prometheus.DefBuckets`, which `mattermost_api_time` uses. */
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

interface Series {
  readonly labels: Readonly<Record<string, string>>;
  readonly counts: number[];
  sum: number;
  count: number;
}

const escapeLabel = (v: string): string => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
const labelText = (l: Readonly<Record<string, string>>): string =>
  Object.keys(l)
    .sort()
    .map((k) => `${k}="${escapeLabel(l[k] ?? '')}"`)
    .join(',');
/** Go's %g-like float formatting, as the text exposition format writes it. */
const num = (n: number): string => (Number.isInteger(n) ? String(n) : String(Number(n.toPrecision(15))));

export class PodMetrics {
  private readonly api = new Map<string, Series>();
  httpRequests = 0;
  httpErrors = 0;
  logins = 0;
  loginFails = 0;
  posts = 0;
  postWebhooks = 0;
  postFileAttachments = 0;

  /** `ObserveAPIEndpointDuration(handler, method, statusCode, originClient, pageLoadContext, elapsed)`. */
  observeApi(handler: string, method: string, status: number, seconds: number): void {
    const labels = { handler, method, status_code: String(status), origin_client: '', page_load_context: '' };
    const key = labelText(labels);
    let s = this.api.get(key);
    if (!s) {
      s = { labels, counts: BUCKETS.map(() => 0), sum: 0, count: 0 };
      this.api.set(key, s);
    }
    BUCKETS.forEach((b, i) => {
      if (seconds <= b) s.counts[i] = (s.counts[i] ?? 0) + 1;
    });
    s.sum += seconds;
    s.count += 1;
  }

  render(o: { licensed: boolean; startedAt: Date; now: Date }): string {
    const out: string[] = [];
    const metric = (name: string, type: string, help: string, samples: ReadonlyArray<readonly [string, number]>): void => {
      out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
      for (const [labels, v] of samples) out.push(`${name}${labels ? `{${labels}}` : ''} ${num(v)}`);
    };
    const uptime = Math.max(0, (o.now.getTime() - o.startedAt.getTime()) / 1000);
    // The Go collector is registered without a namespace, so these names have no prefix.
    metric('go_goroutines', 'gauge', 'Number of goroutines that currently exist.', [['', 180 + this.httpRequests % 7]]);
    metric('go_threads', 'gauge', 'Number of OS threads created.', [['', 24]]);
    if (!o.licensed) return out.join('\n') + '\n';

    const series = [...this.api.values()].sort((a, b) => labelText(a.labels).localeCompare(labelText(b.labels)));
    out.push('# HELP mattermost_api_time Time to execute the api handler', '# TYPE mattermost_api_time histogram');
    for (const s of series) {
      const l = labelText(s.labels);
      BUCKETS.forEach((b, i) => out.push(`mattermost_api_time_bucket{${l},le="${b}"} ${s.counts[i] ?? 0}`));
      out.push(`mattermost_api_time_bucket{${l},le="+Inf"} ${s.count}`);
      out.push(`mattermost_api_time_sum{${l}} ${num(s.sum)}`, `mattermost_api_time_count{${l}} ${s.count}`);
    }
    metric('mattermost_db_master_connections_total', 'gauge', 'The total number of connections to the master database.', [['', 10]]);
    metric('mattermost_http_errors_total', 'counter', 'The total number of http API errors.', [['', this.httpErrors]]);
    metric('mattermost_http_requests_total', 'counter', 'The total number of http API requests.', [['', this.httpRequests]]);
    metric('mattermost_http_websockets_total', 'gauge', 'The total number of websocket connections to this server.', [['origin_client=""', 0]]);
    metric('mattermost_login_logins_fail_total', 'counter', 'The total number of failed logins.', [['', this.loginFails]]);
    metric('mattermost_login_logins_total', 'counter', 'The total number of successful logins.', [['', this.logins]]);
    metric('mattermost_post_file_attachments_total', 'counter', 'The total number of file attachments created because of a message being sent.', [['', this.postFileAttachments]]);
    metric('mattermost_post_total', 'counter', 'The total number of posts created.', [['', this.posts]]);
    metric('mattermost_post_webhooks_total', 'counter', 'Total number of webhook posts created.', [['', this.postWebhooks]]);
    // The process collector is registered with Namespace "mattermost", hence the prefix.
    metric('mattermost_process_cpu_seconds_total', 'counter', 'Total user and system CPU time spent in seconds.', [['', uptime * 0.02 + this.httpRequests * 0.001]]);
    metric('mattermost_process_max_fds', 'gauge', 'Maximum number of open file descriptors.', [['', 1048576]]);
    metric('mattermost_process_open_fds', 'gauge', 'Number of open file descriptors.', [['', 42]]);
    metric('mattermost_process_resident_memory_bytes', 'gauge', 'Resident memory size in bytes.', [['', 157286400 + this.httpRequests * 4096]]);
    metric('mattermost_process_start_time_seconds', 'gauge', 'Start time of the process since unix epoch in seconds.', [['', Math.floor(o.startedAt.getTime() / 1000)]]);
    metric('mattermost_process_virtual_memory_bytes', 'gauge', 'Virtual memory size in bytes.', [['', 1610612736]]);
    metric('mattermost_system_server_start_time', 'gauge', 'The time the server started.', [['', Math.floor(o.startedAt.getTime() / 1000)]]);
    return out.join('\n') + '\n';
  }
}
